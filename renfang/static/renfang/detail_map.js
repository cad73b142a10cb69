// The small map on a record's page: its point or outline (from the #geometry JSON block), on the city backdrop.
(function () {
  "use strict";
  const box = document.getElementById("detail-map");
  const data = document.getElementById("geometry");
  if (!box || !data) return;
  const colour = "#0d6efd";
  const map = renfang.basemap(box, { legend: [{ kind: "dot", colour: colour, label: box.dataset.label }] }).map;
  const layer = L.geoJSON(JSON.parse(data.textContent), {
    style: { color: colour, weight: 2, fillOpacity: 0.15 },
    pointToLayer: function (f, ll) { return L.circleMarker(ll, { radius: 7, color: "#fff", weight: 2, fillColor: colour, fillOpacity: 1 }); },
  }).addTo(map);
  const bounds = layer.getBounds();
  // a point opens at street zoom, where the roads and street names around it are drawn
  if (bounds.isValid()) { map.fitBounds(bounds, { maxZoom: 16 }); }
})();
