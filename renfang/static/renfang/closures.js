// Cut roads (what-if) on the assignment and routing forms: click the map to close the roads around a point;
// each line of the text box is one closed circle ("lon, lat, radius"), so typing and clicking stay in step.
(function () {
  "use strict";
  const box = document.getElementById("id_closures");
  const picker = document.getElementById("closure-picker");
  if (!box || !picker) return;
  box.closest(".mb-3").append(picker);  // under the text box, its help and its errors
  picker.classList.remove("d-none");
  const radius = document.getElementById("closure-radius");
  const map = L.map("closure-map");
  renfang.maps.push(map);
  map.setView([36.5, 116.0], 10);
  L.control.scale({ imperial: false }).addTo(map);
  const outline = L.geoJSON(null, { style: { color: "#7a1f1f", weight: 1.5, fill: false }, interactive: false }).addTo(map);
  const roads = L.geoJSON(null, { style: { color: "#999", weight: 1 }, interactive: false, renderer: L.canvas() })
    .addTo(map);
  const circles = L.layerGroup().addTo(map);
  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => { if (!r.ok) throw new Error(url + " → " + r.status); return r.json(); });
  }
  function lines() { return box.value.split("\n").map((l) => l.trim()).filter((l) => l); }
  function draw() {
    circles.clearLayers();
    lines().forEach((line, i) => {
      const [lon, lat, r] = line.split(/[,，\s]+/).map(Number);
      if (![lon, lat, r].every(Number.isFinite) || r <= 0) return;  // the server names the bad line
      L.circle([lat, lon], { radius: r, color: "#6c757d", weight: 2, dashArray: "4", fillOpacity: 0.3,
        className: "closure-circle" })
        .on("click", (e) => {  // reopen: drop this line
          L.DomEvent.stopPropagation(e);
          const rest = lines(); rest.splice(i, 1); box.value = rest.join("\n"); draw();
        }).addTo(circles);
    });
  }
  map.on("click", (e) => {
    const r = Math.max(1, Math.min(20000, Number(radius.value) || 150));
    box.value = lines().concat([e.latlng.lng.toFixed(5) + ", " + e.latlng.lat.toFixed(5) + ", " + r]).join("\n");
    draw();
  });
  box.addEventListener("input", draw);
  draw();

  getJSON("/api/v1/regions/geojson/?level=district").then((d) => {
    outline.addData(d);
    if (outline.getBounds().isValid()) map.fitBounds(outline.getBounds());
  }).catch(console.error);
  // the streets themselves once zoomed in (so a cut can be put on the right one)
  let network = null;
  function refresh() {
    if (network === null) return;
    if (map.getZoom() < 14) { roads.clearLayers(); return; }
    getJSON("/api/v1/road-networks/" + network + "/edges/?bbox=" + map.getBounds().toBBoxString() + "&limit=15000")
      .then((d) => { roads.clearLayers(); roads.addData(d); }).catch(console.error);
  }
  getJSON("/api/v1/road-networks/?is_active=true").then((d) => {
    if (d.results && d.results.length) { network = d.results[0].id; refresh(); }
  }).catch(console.error);
  map.on("moveend", refresh);
})();
