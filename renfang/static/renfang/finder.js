// The public shelter finder: a point (location, typed place or map tap) -> the nearest open sites on foot.
// Plain browser JavaScript, no build step; every text from the server is inserted as text, never as HTML.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("finder-config").textContent);
  const L_ = config.labels;
  const $ = (id) => document.getElementById(id);
  const statusBox = $("status");
  const list = $("results");
  const filters = $("filters");

  // the shared map component: tiles when reachable, the city's outlines, names and roads always (basemap.js);
  // it opens on the whole city with every open site drawn, before anyone has searched
  const map = renfang.basemap("finder-map", { legend: [
    { kind: "dot", colour: "#2f7d4f", label: L_.openSites },
    { kind: "dot", colour: "#8b1a1a", label: L_.nearest },
    { kind: "line", colour: "#8b1a1a", label: L_.walkRoute },
  ] }).map;
  const allSites = L.layerGroup().addTo(map);
  const siteLayer = L.layerGroup().addTo(map);
  const routeLayer = L.layerGroup().addTo(map);
  let origin = null;
  let originMarker = null;
  let results = [];

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function distanceText(m) {
    return m >= 1000 ? (m / 1000).toFixed(1) + " " + L_.km : m + " " + L_.metres;
  }

  function params() {
    const p = new URLSearchParams(new FormData(filters));
    for (const [key, value] of [...p.entries()]) if (!value) p.delete(key);
    if (origin) {
      p.set("lon", origin[0].toFixed(6));
      p.set("lat", origin[1].toFixed(6));
    }
    return p;
  }

  function showRoute(index) {
    routeLayer.clearLayers();
    const hit = results[index];
    if (!hit) return;
    const line = L.polyline(hit.route.map(([x, y]) => [y, x]), { color: "#8b1a1a", weight: 5, opacity: 0.85, className: "finder-route" });
    line.addTo(routeLayer);
    const end = hit.route[hit.route.length - 1];
    L.circleMarker([end[1], end[0]], { radius: 6, color: "#8b1a1a", weight: 3, fillColor: "#fff", fillOpacity: 1 })
      .bindTooltip(renfang.tip(hit.name)).addTo(routeLayer);
    map.fitBounds(line.getBounds().pad(0.25), { maxZoom: 17 });
    list.querySelectorAll(".result").forEach((node, i) => node.classList.toggle("active", i === index));
  }

  function render(body) {
    results = body.results;
    list.replaceChildren();
    siteLayer.clearLayers();
    if (!results.length) {
      statusBox.textContent = L_.noResults;
      routeLayer.clearLayers();
      return;
    }
    statusBox.textContent = "";
    results.forEach((site, i) => {
      const item = el("li", "result");
      item.dataset.code = site.code;
      item.tabIndex = 0;
      const top = el("div", "d-flex justify-content-between gap-2");
      top.append(el("strong", "site-name", site.name), el("span", "walk", site.walk_minutes + " " + L_.minutes));
      const meta = el("div", "small text-muted");
      meta.textContent = [distanceText(site.distance_m), site.category, site.district].filter(Boolean).join(" · ");
      const facts = el("div", "small d-flex flex-wrap gap-2 align-items-center");
      if (site.capacity) facts.append(el("span", "", L_.capacity + " " + site.capacity.toLocaleString() + " " + L_.people));
      if (site.crowding !== null) facts.append(el("span", "crowd crowd-" + site.crowding, site.crowding_label));
      if (site.accessible) facts.append(el("span", "badge text-bg-primary", L_.accessible));
      facts.append(el("span", "text-muted", L_.straight + " " + distanceText(site.straight_m)));
      item.append(top, meta, facts);
      if (site.address) item.append(el("div", "small", site.address));
      if (site.phone) {
        const a = el("a", "small", L_.phone + " " + site.phone);
        a.href = "tel:" + site.phone.replace(/[^0-9+]/g, "");
        item.append(a);
      }
      item.addEventListener("click", () => showRoute(i));
      item.addEventListener("keydown", (e) => { if (e.key === "Enter") showRoute(i); });
      list.append(item);
      L.circleMarker([site.lat, site.lon], { radius: 8, color: "#fff", weight: 2, fillColor: "#8b1a1a", fillOpacity: 1 })
        .bindTooltip(renfang.tip(site.name))
        .on("click", () => showRoute(i))
        .addTo(siteLayer);
    });
    showRoute(0);
  }

  async function search() {
    if (!origin) return;
    const p = params();
    history.replaceState(null, "", "?" + p.toString());
    $("share").classList.remove("d-none");
    statusBox.textContent = "…";
    try {
      const response = await fetch(config.api.nearest + "?" + p.toString());
      const body = await response.json();
      if (!response.ok) {
        statusBox.textContent = body.error || L_.error;
        list.replaceChildren();
        siteLayer.clearLayers();
        routeLayer.clearLayers();
        return;
      }
      render(body);
    } catch (err) {
      statusBox.textContent = L_.error;
    }
  }

  function setOrigin(lon, lat) {
    origin = [lon, lat];
    if (originMarker) originMarker.remove();
    originMarker = L.marker([lat, lon], { title: L_.you }).addTo(map).bindTooltip(renfang.tip(L_.you));
    search();
  }

  map.on("click", (e) => setOrigin(e.latlng.lng, e.latlng.lat));

  // every open site, small, from the open data; tapping one searches from there
  fetch(config.api.sites).then((r) => (r.ok ? r.json() : { features: [] })).then((fc) => {
    for (const f of fc.features) {
      if (!f.geometry) continue;
      const [lon, lat] = f.geometry.coordinates;
      L.circleMarker([lat, lon], { radius: 4, color: "#fff", weight: 1, fillColor: "#2f7d4f", fillOpacity: 0.9, className: "finder-site" })
        .bindTooltip(renfang.tip(f.properties.name))
        .on("click", () => setOrigin(lon, lat))
        .addTo(allSites);
    }
  }).catch(() => { /* the search still works */ });
  filters.addEventListener("change", search);

  $("locate").addEventListener("click", () => {
    if (!navigator.geolocation) { statusBox.textContent = L_.noGeo; return; }
    statusBox.textContent = L_.locating;
    navigator.geolocation.getCurrentPosition(
      (pos) => setOrigin(pos.coords.longitude, pos.coords.latitude),
      () => { statusBox.textContent = L_.noGeo; },
      { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 }
    );
  });

  const placeInput = $("place");
  const placeList = $("places");
  let timer = null;
  placeInput.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = placeInput.value.trim();
      placeList.replaceChildren();
      placeList.classList.toggle("d-none", !q);
      if (!q) return;
      const response = await fetch(config.api.places + "?q=" + encodeURIComponent(q));
      const body = await response.json();
      for (const place of body.places) {
        const item = el("li", "list-group-item list-group-item-action");
        item.setAttribute("role", "option");
        item.append(el("span", "", place.name), el("span", "text-muted small ms-2", [place.kind, place.within].filter(Boolean).join(" · ")));
        item.addEventListener("click", () => {
          placeInput.value = place.name;
          placeList.classList.add("d-none");
          map.setView([place.lat, place.lon], 15);
          setOrigin(place.lon, place.lat);
        });
        placeList.append(item);
      }
      placeList.classList.toggle("d-none", !body.places.length);
    }, 200);
  });

  $("share").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      statusBox.textContent = L_.copied;
    } catch (err) {
      window.prompt("", location.href);
    }
  });

  // a shared link: restore the filters and the point, then search
  const initial = new URLSearchParams(location.search);
  for (const [key, value] of initial.entries()) {
    const field = filters.querySelector(`[name="${CSS.escape(key)}"][value="${CSS.escape(value)}"]`) || filters.elements[key];
    if (!field) continue;
    if (field.type === "checkbox") field.checked = true;
    else field.value = value;
  }
  if ([...initial.keys()].some((k) => k !== "lon" && k !== "lat")) $("filters-box").open = true;
  const lon = parseFloat(initial.get("lon"));
  const lat = parseFloat(initial.get("lat"));
  if (Number.isFinite(lon) && Number.isFinite(lat)) {
    map.setView([lat, lon], 15);
    setOrigin(lon, lat);
  }
})();
