// The one map component: every map of Renfang (the city map, a record's map, coverage, siting, assignment,
// routing, closures, the public finder) is made by renfang.basemap(element, options). It gives the map the
// configured base tiles when they can be reached and always the city's own backdrop, which needs no tile
// server: district and street outlines with their names, roads at street zoom, and a legend of every layer.
// Names are data: labels and legend entries are text nodes, never HTML.
(function () {
  "use strict";
  const node = document.getElementById("basemap-config");
  if (!node || !window.L) return;
  const cfg = JSON.parse(node.textContent);
  const W = cfg.labels;
  const OUTLINE = "#7a1f1f";
  const ROAD = "#9aa5b1";
  let backdrop = null;

  function loadBackdrop() {
    if (backdrop === null) {
      backdrop = fetch(cfg.urls.backdrop, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { features: [] }; })
        .catch(function () { return { features: [] }; });
    }
    return backdrop;
  }

  function swatch(entry) {
    const mark = document.createElement("span");
    mark.className = "legend-mark legend-" + (entry.kind || "dot");
    mark.style.setProperty("--legend-colour", entry.colour || "#333");
    return mark;
  }

  // the legend: the backdrop's entries and the page's own; a page adds entries as its layers arrive
  function legendControl(map) {
    const control = L.control({ position: "bottomleft" });
    let list = null;
    control.onAdd = function () {
      const box = L.DomUtil.create("details", "map-legend");
      // open where there is room for it; on a phone or a small map it is one tap away
      const size = map.getSize();
      box.open = window.innerWidth >= 576 && size.y >= 360;
      box.append(renfang.text("summary", "", W.legend));
      list = renfang.text("ul", "list-unstyled mb-0");
      box.append(list);
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    control.addTo(map);
    return function add(entry) {
      const item = renfang.text("li", "");
      item.append(swatch(entry), renfang.text("span", "", entry.label));
      list.append(item);
    };
  }

  function note(map, text) {
    const control = L.control({ position: "topright" });
    control.onAdd = function () { return renfang.text("div", "badge text-bg-light border basemap-note text-wrap", text); };
    control.addTo(map);
  }

  function tiles(map) {
    if (!cfg.tiles.layers.length) { note(map, W.noTiles); return; }
    let failed = 0;
    cfg.tiles.layers.forEach(function (t) {
      const layer = L.tileLayer(t.url, { attribution: t.attribution, maxZoom: t.maxZoom || 18, subdomains: t.subdomains || "abc" });
      layer.on("tileerror", function () { failed += 1; if (failed === 3) note(map, W.tileError); });
      layer.addTo(map);
    });
  }

  function labelIcon(name, level) {
    return L.divIcon({ className: "region-label region-label-" + level, html: renfang.text("span", "", name), iconSize: null });
  }

  renfang.basemap = function (element, options) {
    options = options || {};
    const map = L.map(element, options.map || {});
    renfang.maps.push(map);
    // the map always has a view (the city) before anything asks for its bounds; a page then fits its own content
    if (cfg.bounds) map.fitBounds(cfg.bounds); else map.setView([36.5, 116.0], 10);
    tiles(map);
    L.control.scale({ imperial: false }).addTo(map);
    const legend = legendControl(map);

    const districts = L.geoJSON(null, { interactive: false, style: { color: OUTLINE, weight: 2.5, fill: false },
      pointToLayer: function (f, ll) { return L.circleMarker(ll, { radius: 2, color: OUTLINE, weight: 1, interactive: false }); } });
    const streets = L.geoJSON(null, { interactive: false, style: { color: OUTLINE, weight: 1, dashArray: "3 4", fill: false },
      pointToLayer: function (f, ll) { return L.circleMarker(ll, { radius: 1.5, color: OUTLINE, weight: 1, interactive: false }); } });
    const districtLabels = L.layerGroup();
    const streetLabels = L.layerGroup();
    const roads = L.geoJSON(null, { interactive: false, style: function (f) {
      const major = ["primary", "secondary", "trunk", "motorway"].indexOf(f.properties.highway) >= 0;
      return { color: major ? "#6c757d" : ROAD, weight: major ? 2.5 : 1.5, opacity: 0.85 };
    } });
    districts.addTo(map); streets.addTo(map); roads.addTo(map);
    legend({ kind: "line", colour: OUTLINE, label: W.districts });
    legend({ kind: "dash", colour: OUTLINE, label: W.streets });
    legend({ kind: "line", colour: ROAD, label: W.roads });

    function showLabels() {
      const zoom = map.getZoom();
      if (zoom >= 9 && zoom < 15) districtLabels.addTo(map); else districtLabels.remove();
      if (zoom >= 13) streetLabels.addTo(map); else streetLabels.remove();
    }
    const ready = loadBackdrop().then(function (fc) {
      fc.features.forEach(function (f) {
        const district = f.properties.level === "district";
        (district ? districts : streets).addData(f);
        const at = f.properties.label;
        if (at) {
          L.marker([at[1], at[0]], { icon: labelIcon(f.properties.name, f.properties.level), interactive: false, keyboard: false })
            .addTo(district ? districtLabels : streetLabels);
        }
      });
      showLabels();
      return fc;
    });

    // the roads are drawn at street zoom, for the part of the city in view
    let ticket = 0;
    function refreshRoads() {
      if (!map._loaded) return;
      if (map.getZoom() < 14) { roads.clearLayers(); return; }
      const b = map.getBounds();
      const mine = ++ticket;
      fetch(cfg.urls.roads + "?bbox=" + [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (x) { return x.toFixed(5); }).join(","))
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (body) { if (body && mine === ticket) { roads.clearLayers(); roads.addData(body); } })
        .catch(function () { /* no network loaded: the outlines stay */ });
    }
    map.on("zoomend", showLabels);
    map.on("moveend", refreshRoads);
    refreshRoads();
    (options.legend || []).forEach(legend);
    return { map: map, legend: legend, ready: ready, layers: { districts: districts, streets: streets, roads: roads } };
  };
})();
