// Evacuation routing map: every road's load against its capacity, minute by minute (a slider), with the
// sources, reception areas and cut areas. Text from the server is inserted as text, never as HTML.
(function () {
  "use strict";
  const box = document.getElementById("routing-map");
  if (!box) return;
  const slider = document.getElementById("routing-step");
  const label = document.getElementById("routing-step-label");
  const play = document.getElementById("routing-play");
  const map = renfang.basemap(box, { legend: [
    { kind: "line", colour: "#0d6efd", label: box.dataset.legendLight },
    { kind: "line", colour: "#fd7e14", label: box.dataset.legendBusy },
    { kind: "line", colour: "#dc3545", label: box.dataset.legendFull },
    { kind: "dot", colour: "#198754", label: box.dataset.sources },
    { kind: "dot", colour: "#dc3545", label: box.dataset.stranded },
    { kind: "square", colour: "#6f42c1", label: box.dataset.areas },
    { kind: "circle", colour: "#6c757d", label: box.dataset.cut },
  ] }).map;
  const canvas = L.canvas();  // thousands of road segments: one canvas, not thousands of SVG paths
  const roads = L.layerGroup().addTo(map);
  const sources = L.layerGroup().addTo(map);
  const areas = L.layerGroup().addTo(map);
  const cuts = L.layerGroup().addTo(map);
  const bounds = L.latLngBounds([]);
  const lines = [];
  let stepMinutes = 1;
  let timer = null;
  const tip = renfang.tip;
  function colour(use) { return use >= 1 ? "#dc3545" : use >= 0.5 ? "#fd7e14" : "#0d6efd"; }

  // at the last position of the slider each road shows its peak; elsewhere its load in that step
  function show(step) {
    const all = step >= Number(slider.max);
    label.textContent = all ? label.dataset.all : label.dataset.minute.replace("{m}", String(Math.round(step * stepMinutes)));
    for (const { line, p } of lines) {
      const people = all ? p.peak : (step >= p.first && step <= p.last ? p.series[step - p.first] : 0);
      if (!people) { line.setStyle({ opacity: all ? 0.25 : 0, weight: 1, color: "#0d6efd" }); continue; }
      const use = p.capacity ? people / p.capacity : 1;
      line.setStyle({ color: colour(use), opacity: 0.85, weight: 1 + 4 * Math.min(use, 1) });
    }
  }

  fetch(box.dataset.map, { credentials: "same-origin" }).then((r) => r.json()).then((fc) => {
    stepMinutes = fc.step_minutes;
    for (const f of fc.features) {
      const p = f.properties;
      if (p.layer === "road") {
        const c = f.geometry.coordinates;
        const line = L.polyline([[c[0][1], c[0][0]], [c[1][1], c[1][0]]], { weight: 1, renderer: canvas })
          .bindTooltip(tip(p.people + " · " + p.peak + "/" + p.capacity + " · " + Math.round(p.full * stepMinutes) + " " + box.dataset.min))
          .addTo(roads);
        lines.push({ line, p });
        bounds.extend(line.getBounds());
        continue;
      }
      const [lon, lat] = f.geometry.coordinates;
      bounds.extend([lat, lon]);
      if (p.layer === "source") {
        L.circleMarker([lat, lon], { radius: Math.max(3, Math.min(12, Math.sqrt(p.people) / 4)),
          color: p.stranded ? "#dc3545" : "#198754", weight: 1, fillOpacity: 0.6, className: "routing-source" })
          .bindTooltip(tip(p.name + " · " + p.evacuated + "/" + p.people + " · " + p.leave)).addTo(sources);
      } else if (p.layer === "area") {
        L.marker([lat, lon], { title: p.name, icon: L.divIcon({ className: "routing-area", html: "★",
          iconSize: [18, 18] }) }).bindTooltip(tip(p.name + " · " + p.arrived + "/" + p.capacity)).addTo(areas);
      } else if (p.layer === "closure") {
        L.circle([lat, lon], { radius: p.radius_m, color: "#6c757d", weight: 2, dashArray: "4",
          fillOpacity: 0.3, className: "routing-cut" }).addTo(cuts);
      }
    }
    if (bounds.isValid()) map.fitBounds(bounds.pad(0.05));
    const layers = {};
    layers[box.dataset.roads] = roads;
    layers[box.dataset.sources] = sources;
    layers[box.dataset.areas] = areas;
    layers[box.dataset.cut] = cuts;
    L.control.layers(null, layers).addTo(map);
    show(Number(slider.value));
    box.dataset.roadsDrawn = String(lines.length);
  }).catch(console.error);

  // the congested-roads table: a click shows that road on the map, outlined for a moment
  let marked = null;
  document.querySelectorAll(".road-link").forEach((a) => a.addEventListener("click", () => {
    const c = JSON.parse(a.dataset.coords);
    const latlngs = [[c[0][1], c[0][0]], [c[1][1], c[1][0]]];
    if (marked) marked.remove();
    marked = L.polyline(latlngs, { color: "#212529", weight: 9, opacity: 0.5, className: "routing-marked" }).addTo(map);
    map.fitBounds(L.latLngBounds(latlngs).pad(2), { maxZoom: 17 });
  }));

  slider.addEventListener("input", () => show(Number(slider.value)));
  play.addEventListener("click", () => {
    if (timer) { clearInterval(timer); timer = null; return; }
    if (Number(slider.value) >= Number(slider.max)) slider.value = "0";
    timer = setInterval(() => {
      const next = Number(slider.value) + 1;
      slider.value = String(next);
      show(next);
      if (next >= Number(slider.max)) { clearInterval(timer); timer = null; }
    }, 120);
  });
})();
