// The place of a record on the shared map: click (or drag the marker) to fill the form's longitude and
// latitude; typing them moves the marker. Any form with #id_lon, #id_lat and a #point-picker uses it.
(function () {
  "use strict";
  const lon = document.getElementById("id_lon");
  const lat = document.getElementById("id_lat");
  const picker = document.getElementById("point-picker");
  if (!lon || !lat || !picker || !window.renfang) return;
  lat.closest(".mb-3").after(picker);  // under the latitude, its help and its errors
  picker.classList.remove("d-none");
  const view = renfang.basemap("point-map", { legend: [
    { kind: "circle", colour: "#8b1a1a", label: picker.dataset.label },
  ] });
  const map = view.map;
  let marker = null;
  function place() {
    const x = Number(lon.value), y = Number(lat.value);
    if (lon.value === "" || lat.value === "" || !Number.isFinite(x) || !Number.isFinite(y)) return;
    if (!marker) {
      marker = L.marker([y, x], { draggable: true }).addTo(map);
      marker.on("dragend", () => { const p = marker.getLatLng(); write(p.lng, p.lat); });
    } else {
      marker.setLatLng([y, x]);
    }
    map.setView([y, x], Math.max(map.getZoom(), 15));
  }
  function write(x, y) {
    lon.value = x.toFixed(6);
    lat.value = y.toFixed(6);
    lon.dispatchEvent(new Event("change", { bubbles: true }));
    place();
  }
  map.on("click", (e) => write(e.latlng.lng, e.latlng.lat));
  lon.addEventListener("change", place);
  lat.addEventListener("change", place);
  place();
})();
