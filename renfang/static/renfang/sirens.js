// Siren maps: audible areas and uncovered blocks (coverage), chosen sites (siting); click for the level there.
// Text from the server is inserted as text, never as HTML.
(function () {
  "use strict";
  const box = document.getElementById("coverage-map") || document.getElementById("siting-map");
  if (!box) return;
  const legend = [];
  if (box.dataset.map) {
    legend.push({ kind: "circle", colour: "#198754", label: box.dataset.audibleLabel });
    legend.push({ kind: "circle", colour: "#fd7e14", label: box.dataset.faultyLabel });
    legend.push({ kind: "dot", colour: "#dc3545", label: box.dataset.uncoveredLabel });
  }
  if (box.dataset.chosen) legend.push({ kind: "circle", colour: "#0d6efd", label: box.dataset.chosenLabel });
  const map = renfang.basemap(box, { legend: legend }).map;
  const audible = L.layerGroup().addTo(map);
  const uncovered = L.layerGroup().addTo(map);
  const chosen = L.layerGroup().addTo(map);
  const bounds = L.latLngBounds([]);

  const tip = renfang.tip;

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
    async function lookup(latlng, name) {
      const url = box.dataset.level + "?lon=" + latlng.lng.toFixed(6) + "&lat=" + latlng.lat.toFixed(6);
      const body = await (await fetch(url, { credentials: "same-origin" })).json();
      if (marker) marker.remove();
      marker = L.marker(latlng).addTo(map);
      const where = name ? name + ": " : "";
      if (body.level_db === null) { answer.textContent = where + (L_.none || "—"); return; }
      answer.textContent = where + body.level_db + " dB · " + (body.audible ? L_.audible : L_.inaudible) +
        (body.siren ? " · " + body.siren.name : "");
    }
    map.on("click", (e) => lookup(e.latlng, ""));

    // a typed place (the same place search as the public finder)
    const input = document.getElementById("level-place");
    const list = document.getElementById("level-places");
    let timer = null;
    if (input && box.dataset.places) {
      input.addEventListener("input", () => {
        clearTimeout(timer);
        timer = setTimeout(async () => {
          const q = input.value.trim();
          list.replaceChildren();
          if (!q) { list.classList.add("d-none"); return; }
          const body = await (await fetch(box.dataset.places + "?q=" + encodeURIComponent(q))).json();
          for (const place of body.places) {
            const item = document.createElement("li");
            item.className = "list-group-item list-group-item-action";
            item.textContent = [place.name, place.kind, place.within].filter(Boolean).join(" · ");
            item.addEventListener("click", () => {
              list.classList.add("d-none");
              input.value = place.name;
              const latlng = L.latLng(place.lat, place.lon);
              map.setView(latlng, Math.max(map.getZoom(), 14));
              lookup(latlng, place.name);
            });
            list.append(item);
          }
          list.classList.toggle("d-none", !body.places.length);
        }, 200);
      });
    }
  }
})();
