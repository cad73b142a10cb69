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
  const map = renfang.basemap("closure-map", { legend: [
    { kind: "circle", colour: "#6c757d", label: picker.dataset.closedLabel },
  ] }).map;
  const circles = L.layerGroup().addTo(map);
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
  // the city backdrop (outlines, and the streets themselves once zoomed in) comes with the map: basemap.js
})();
