// The small map on a record's page: its point or outline (from the #geometry JSON block).
(function () {
  "use strict";
  const box = document.getElementById("detail-map");
  const data = document.getElementById("geometry");
  if (!box || !data) return;
  const map = L.map(box);
  renfang.maps.push(map);
  const layer = L.geoJSON(JSON.parse(data.textContent)).addTo(map);
  const bounds = layer.getBounds();
  if (bounds.isValid()) { map.fitBounds(bounds, { maxZoom: 16 }); } else { map.setView([36.5, 116], 10); }
})();
