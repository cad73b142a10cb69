// The city map: the city's own layers come from Renfang's API, so the map works with no tile server.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("map-config").textContent);
  const L_ = config.labels;
  const map = L.map("map", { preferCanvas: true });
  renfang.maps.push(map);
  const note = document.getElementById("map-note");
  function showNote(text) { note.textContent = text; note.classList.remove("d-none"); }

  if (config.bounds) { map.fitBounds(config.bounds); } else { map.setView([36.5, 116.0], 10); }

  // base tiles are optional (天地图 / OSM / intranet); a failing tile server only shows a note
  if (config.tiles.layers.length === 0) {
    showNote(L_.noTiles);
  } else {
    let failed = 0;
    config.tiles.layers.forEach(function (t) {
      const layer = L.tileLayer(t.url, { attribution: t.attribution, maxZoom: t.maxZoom || 18, subdomains: t.subdomains || "abc" });
      layer.on("tileerror", function () { failed += 1; if (failed === 3) { showNote(L_.tileError); } });
      layer.addTo(map);
    });
  }

  async function getJSON(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) { throw new Error(url + " → " + response.status); }
    return response.json();
  }

  // a region or zone known only by its point draws as a small dot, not a pin
  function dot(colour) {
    return function (f, latlng) { return L.circleMarker(latlng, { radius: 3, color: colour, weight: 1, fillOpacity: 0.8 }); };
  }
  function outline(weight, dash) {
    return L.geoJSON(null, {
      style: { color: "#7a1f1f", weight: weight, fill: false, dashArray: dash },
      pointToLayer: dot("#7a1f1f"),
      onEachFeature: function (f, layer) { layer.bindTooltip(renfang.tip(f.properties.display), { sticky: true }); },
    });
  }
  const districts = outline(2.5, null);
  const streets = outline(1, "3 4");
  const regions = L.featureGroup([districts, streets]);
  const zones = L.geoJSON(null, {
    style: { color: "#1f5f7a", weight: 1.5, fillOpacity: 0.06 },
    pointToLayer: dot("#1f5f7a"),
    onEachFeature: function (f, layer) { layer.bindPopup(renfang.tip(f.properties.display)); },
  });
  const blocks = L.geoJSON(null, {
    pointToLayer: function (f, latlng) {
      const r = Math.max(3, Math.min(14, Math.sqrt(f.properties.residents || 0) / 6));
      return L.circleMarker(latlng, { radius: r, color: "#b85c00", weight: 1, fillOpacity: 0.5 });
    },
    style: { color: "#b85c00", weight: 1, fillOpacity: 0.3 },
    onEachFeature: function (f, layer) {
      // names are data: built as text nodes, never as HTML (a district user types them)
      const box = renfang.text("div");
      box.append(renfang.text("b", "", f.properties.display), document.createElement("br"),
        (f.properties.residents || 0).toLocaleString() + " " + L_.residents);
      layer.bindPopup(box);
    },
  });
  const roads = L.geoJSON(null, { style: function (f) {
    const major = ["primary", "secondary", "trunk"].indexOf(f.properties.highway) >= 0;
    return { color: major ? "#555" : "#999", weight: major ? 2 : 1 };
  } });

  // works and shelters: only for roles that may see them (the API answers 403 to the others)
  function sites(colour, path) {
    return L.geoJSON(null, {
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, { radius: 5, color: "#fff", weight: 1.5, fillColor: colour, fillOpacity: 0.95 });
      },
      onEachFeature: function (f, layer) {
        const box = document.createElement("div");
        const link = document.createElement("a");
        link.href = path + f.id + "/";
        link.textContent = f.properties.display;
        box.append(link);
        if (f.properties.capacity) { box.append(document.createElement("br"), L_.capacity + " " + f.properties.capacity); }
        layer.bindPopup(box);
      },
    });
  }
  const works = sites("#8b1a1a", "/works/");
  const shelters = sites("#198754", "/shelters/");

  regions.addTo(map); zones.addTo(map); blocks.addTo(map); roads.addTo(map);
  const overlays = {};
  overlays[L_.regions] = regions; overlays[L_.zones] = zones; overlays[L_.blocks] = blocks; overlays[L_.roads] = roads;
  if (config.layers.works) {
    works.addTo(map); shelters.addTo(map);
    overlays[L_.works] = works; overlays[L_.shelters] = shelters;
    getJSON("/api/v1/works/geojson/").then(function (d) { works.addData(d); }).catch(console.error);
    getJSON("/api/v1/shelters/geojson/").then(function (d) { shelters.addData(d); }).catch(console.error);
  }
  L.control.layers(null, overlays, { collapsed: window.innerWidth < 576 }).addTo(map);
  L.control.scale({ imperial: false }).addTo(map);

  getJSON("/api/v1/regions/geojson/?level=district").then(function (d) {
    districts.addData(d);
    if (!config.bounds && districts.getBounds().isValid()) { map.fitBounds(districts.getBounds()); }
  }).catch(console.error);
  getJSON("/api/v1/regions/geojson/?level=street").then(function (d) { streets.addData(d); }).catch(console.error);
  getJSON("/api/v1/defence-zones/geojson/").then(function (d) { zones.addData(d); }).catch(console.error);
  getJSON("/api/v1/population-blocks/geojson/").then(function (d) {
    // draw outlines where a block has one, else its point
    d.features.forEach(function (f) { f.properties.residents = f.properties.residents || 0; });
    blocks.addData(d);
  }).catch(console.error);

  let networkId = null;
  let roadsLoaded = null;
  const roadHint = L.control({ position: "topright" });
  roadHint.onAdd = function () { const d = L.DomUtil.create("div", "badge text-bg-light border"); d.id = "road-hint"; d.textContent = L_.zoomIn; return d; };
  roadHint.addTo(map);
  function refreshRoads() {
    const hint = document.getElementById("road-hint");
    if (networkId === null || !map.hasLayer(roads)) { return; }
    if (map.getZoom() < 14) { roads.clearLayers(); roadsLoaded = null; hint.style.display = ""; return; }
    hint.style.display = "none";
    const b = map.getBounds();
    const key = b.toBBoxString();
    if (roadsLoaded === key) { return; }
    getJSON("/api/v1/road-networks/" + networkId + "/edges/?bbox=" + key + "&limit=15000").then(function (d) {
      roads.clearLayers(); roads.addData(d); roadsLoaded = key;
    }).catch(console.error);
  }
  getJSON("/api/v1/road-networks/?is_active=true").then(function (d) {
    if (d.results && d.results.length) { networkId = d.results[0].id; refreshRoads(); }
  }).catch(console.error);
  map.on("moveend", refreshRoads);
  map.on("overlayadd", refreshRoads);
  window.renfangMap = map;
  window.renfangLayers = { regions: districts, streets: streets, zones: zones, blocks: blocks, roads: roads };
})();
