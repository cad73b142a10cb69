// Shelter assignment map: shortfall by block, shelters by how full they are, and who goes where.
// Text from the server is inserted as text, never as HTML.
(function () {
  "use strict";
  const box = document.getElementById("assignment-map");
  if (!box) return;
  const base = renfang.basemap(box, { legend: [
    { kind: "line", colour: "#0d6efd", label: box.dataset.lines },
    { kind: "square", colour: "#198754", label: box.dataset.worksFree },
    { kind: "square", colour: "#fd7e14", label: box.dataset.worksBusy },
    { kind: "square", colour: "#dc3545", label: box.dataset.worksFull },
    { kind: "square", colour: "#6c757d", label: box.dataset.worksClosed },
    { kind: "dot", colour: "#dc3545", label: box.dataset.shortfall },
  ] });
  const map = base.map;
  const lines = L.layerGroup().addTo(map);
  const works = L.layerGroup().addTo(map);
  const shortfall = L.layerGroup().addTo(map);
  const bounds = L.latLngBounds([]);
  const tip = renfang.tip;
  function fullness(load, capacity, closed) {
    if (closed) return "#6c757d";
    const use = capacity ? load / capacity : 1;
    return use >= 0.95 ? "#dc3545" : use >= 0.7 ? "#fd7e14" : "#198754";
  }
  fetch(box.dataset.map, { credentials: "same-origin" }).then((r) => r.json()).then((fc) => {
    for (const f of fc.features) {
      const p = f.properties;
      if (p.layer === "flow") {
        const c = f.geometry.coordinates;
        L.polyline([[c[0][1], c[0][0]], [c[1][1], c[1][0]]], { color: "#0d6efd", weight: 1, opacity: 0.35,
          interactive: false }).addTo(lines);
        continue;
      }
      const [lon, lat] = f.geometry.coordinates;
      bounds.extend([lat, lon]);
      if (p.layer === "work") {
        const colour = fullness(p.load, p.capacity, p.closed);
        L.rectangle([[lat - 0.0004, lon - 0.0005], [lat + 0.0004, lon + 0.0005]],
          { color: colour, weight: 1, fillOpacity: 0.8, className: "assignment-work" })
          .bindTooltip(tip(p.name + " · " + p.load + "/" + p.capacity)).addTo(works);
      } else if (p.unassigned > 0) {
        L.circleMarker([lat, lon], { radius: Math.max(3, Math.min(14, Math.sqrt(p.unassigned) / 2)), color: "#dc3545",
          weight: 1, fillOpacity: 0.6, className: "shortfall-block" })
          .bindTooltip(tip(p.name + " · " + p.unassigned + "/" + p.demand)).addTo(shortfall);
      }
    }
    if (bounds.isValid()) map.fitBounds(bounds.pad(0.05));
    const layers = {};
    layers[box.dataset.lines] = lines;
    layers[box.dataset.works] = works;
    layers[box.dataset.shortfall] = shortfall;
    L.control.layers(null, layers).addTo(map);
  }).catch(console.error);
})();
