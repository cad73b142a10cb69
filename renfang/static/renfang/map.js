// The city map: the shared backdrop (basemap.js) and, for each registry the user may see, its layer from
// Renfang's API: defence zones, population blocks, works, shelters, sirens with their audible circles and the
// evacuation places. Each layer is in the layer switch and the legend. Names are data: built as text nodes.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("map-config").textContent);
  const W = config.labels;
  const base = renfang.basemap("map", { map: { preferCanvas: true } });  // thousands of blocks: one canvas
  const map = base.map;

  async function getJSON(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) { throw new Error(url + " → " + response.status); }
    return response.json();
  }

  function dot(colour, radius) {
    return function (f, latlng) { return L.circleMarker(latlng, { radius: radius || 3, color: colour, weight: 1, fillOpacity: 0.8 }); };
  }
  // a record's popup: its name as a link to its page, and a line of facts
  function popup(path, facts) {
    return function (f, layer) {
      const box = document.createElement("div");
      const link = document.createElement("a");
      link.href = path + f.id + "/";
      link.textContent = f.properties.display;
      box.append(link);
      const line = facts ? facts(f.properties) : "";
      if (line) box.append(document.createElement("br"), line);
      layer.bindPopup(box);
    };
  }
  function sites(colour, path, facts) {
    return L.geoJSON(null, {
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, { radius: 5, color: "#fff", weight: 1.5, fillColor: colour, fillOpacity: 0.95 });
      },
      onEachFeature: popup(path, facts),
    });
  }
  function capacity(p) { return p.capacity ? W.capacity + " " + Number(p.capacity).toLocaleString() : ""; }

  const overlays = {};
  function layer(key, label, group, legendEntry, url, fill) {
    if (!config.layers[key]) return;
    group.addTo(map);
    overlays[label] = group;
    base.legend(Object.assign({ label: label }, legendEntry));
    getJSON(url).then(fill || function (d) { group.addData(d); }).catch(console.error);
  }

  const zones = L.geoJSON(null, { style: { color: "#1f5f7a", weight: 1.5, fillOpacity: 0.06 }, pointToLayer: dot("#1f5f7a"),
    onEachFeature: function (f, l) { l.bindPopup(renfang.tip(f.properties.display)); } });
  layer("zones", W.zones, zones, { kind: "area", colour: "#1f5f7a" }, "/api/v1/defence-zones/geojson/");

  const blocks = L.geoJSON(null, {
    pointToLayer: function (f, latlng) {
      const r = Math.max(3, Math.min(14, Math.sqrt(f.properties.residents || 0) / 6));
      return L.circleMarker(latlng, { radius: r, color: "#b85c00", weight: 1, fillOpacity: 0.5 });
    },
    style: { color: "#b85c00", weight: 1, fillOpacity: 0.3 },
    onEachFeature: popup("/city/population-blocks/", function (p) { return (p.residents || 0).toLocaleString() + " " + W.residents; }),
  });
  layer("blocks", W.blocks, blocks, { kind: "dot", colour: "#b85c00" }, "/api/v1/population-blocks/geojson/");

  layer("works", W.works, sites("#8b1a1a", "/works/", capacity), { kind: "dot", colour: "#8b1a1a" }, "/api/v1/works/geojson/");
  layer("shelters", W.shelters, sites("#198754", "/shelters/", capacity), { kind: "dot", colour: "#198754" }, "/api/v1/shelters/geojson/");
  layer("reception", W.reception, sites("#6f42c1", "/evacuation/reception-areas/", capacity), { kind: "square", colour: "#6f42c1" },
    "/api/v1/reception-areas/geojson/");
  layer("assembly", W.assembly, sites("#0dcaf0", "/evacuation/assembly-points/", capacity), { kind: "dot", colour: "#0dcaf0" },
    "/api/v1/assembly-points/geojson/");

  // sirens: where each is heard (the active propagation model), green in use, orange out of use
  const sirens = L.layerGroup();
  layer("sirens", W.sirens, sirens, { kind: "circle", colour: "#198754" }, config.urls.sirens, function (fc) {
    for (const f of fc.features) {
      const [lon, lat] = f.geometry.coordinates;
      const p = f.properties;
      const colour = p.state === "in_use" ? "#198754" : "#fd7e14";
      L.circle([lat, lon], { radius: p.radius_m, color: colour, weight: 1, fillOpacity: 0.08, interactive: false }).addTo(sirens);
      const box = document.createElement("div");
      const link = document.createElement("a");
      link.href = p.url;
      link.textContent = p.name;
      box.append(link, document.createElement("br"), p.rated_db + " dB · " + Math.round(p.radius_m) + " m");
      L.circleMarker([lat, lon], { radius: 4, color: colour, weight: 2, fillOpacity: 1, className: "map-siren" }).bindPopup(box).addTo(sirens);
    }
  });
  if (config.layers.sirens) base.legend({ kind: "circle", colour: "#fd7e14", label: W.sirensOut });

  L.control.layers(null, overlays, { collapsed: window.innerWidth < 576 }).addTo(map);
  window.renfangMap = map;
  window.renfangLayers = { regions: base.layers.districts, streets: base.layers.streets, zones: zones, blocks: blocks, roads: base.layers.roads };
})();
