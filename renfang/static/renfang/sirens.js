// Siren maps: audible areas and uncovered blocks (coverage), chosen sites (siting); click for the level there.
// Text from the server is inserted as text, never as HTML.
(function () {
  "use strict";
  const box = document.getElementById("coverage-map") || document.getElementById("siting-map");
  if (!box) return;
  const map = L.map(box).setView([36.5, 116.05], 11);
  L.control.scale({ imperial: false }).addTo(map);
  const audible = L.layerGroup().addTo(map);
  const uncovered = L.layerGroup().addTo(map);
  const chosen = L.layerGroup().addTo(map);
  const bounds = L.latLngBounds([]);

  function tip(text) { const s = document.createElement("span"); s.textContent = text; return s; }

  function draw(collection) {
    for (const f of collection.features) {
      const [lon, lat] = f.geometry.coordinates;
      const p = f.properties;
      bounds.extend([lat, lon]);
      if (p.layer === "siren" || p.layer === "chosen") {
        const colour = p.layer === "chosen" ? "#0d6efd" : (p.state === "in_use" ? "#198754" : "#fd7e14");
        L.circle([lat, lon], { radius: p.radius_m, color: colour, weight: 1, fillOpacity: 0.12, interactive: false })
          .addTo(p.layer === "chosen" ? chosen : audible);
        L.circleMarker([lat, lon], { radius: 4, color: colour, weight: 2, fillOpacity: 1, className: "siren-" + p.layer })
          .bindTooltip(tip(p.name + (p.rated_db ? " · " + p.rated_db + " dB" : "")))
          .addTo(p.layer === "chosen" ? chosen : audible);
      } else if (p.layer === "uncovered") {
        L.circleMarker([lat, lon], { radius: Math.max(2, Math.min(8, Math.sqrt(p.residents) / 5)), color: "#dc3545",
          weight: 1, fillOpacity: 0.7, className: "uncovered-block" })
          .bindTooltip(tip(p.name + " · " + p.residents)).addTo(uncovered);
      }
    }
    if (bounds.isValid()) map.fitBounds(bounds.pad(0.05));
  }

  if (box.dataset.map) {
    fetch(box.dataset.map, { credentials: "same-origin" }).then((r) => r.json()).then(draw).catch(console.error);
  }
  if (box.dataset.chosen) {
    draw(JSON.parse(document.getElementById("chosen-sites").textContent));
  }

  const answer = document.getElementById("level-answer");
  const labels = document.getElementById("coverage-labels");
  if (answer && box.dataset.level) {
    const L_ = labels ? JSON.parse(labels.textContent) : {};
    let marker = null;
    map.on("click", async (e) => {
      const url = box.dataset.level + "?lon=" + e.latlng.lng.toFixed(6) + "&lat=" + e.latlng.lat.toFixed(6);
      const body = await (await fetch(url, { credentials: "same-origin" })).json();
      if (marker) marker.remove();
      marker = L.marker(e.latlng).addTo(map);
      if (body.level_db === null) { answer.textContent = L_.none || "—"; return; }
      answer.textContent = body.level_db + " dB · " + (body.audible ? L_.audible : L_.inaudible) +
        (body.siren ? " · " + body.siren.name : "");
    });
  }
})();
