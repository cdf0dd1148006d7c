// The small map on a device's page (map part): the device's point over country outlines
// from our own origin. No tiles, no other site: the page's Content-Security-Policy allows
// none (only the atlas's map page offers the street map, on request).

const L = window.L;

function miniMap(element) {
  const latitude = Number.parseFloat(element.dataset.latitude);
  const longitude = Number.parseFloat(element.dataset.longitude);
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return;
  element.hidden = false;
  const map = L.map(element, { scrollWheelZoom: false, zoomControl: false, maxZoom: 12 });
  map.setView([latitude, longitude], 7);
  L.control
    .zoom({ zoomInTitle: element.dataset.zoomIn || "+", zoomOutTitle: element.dataset.zoomOut || "−" })
    .addTo(map);
  map.attributionControl.setPrefix("Leaflet");
  if (element.dataset.credit) map.attributionControl.addAttribution(element.dataset.credit);
  if (element.dataset.world) {
    const outlines = L.geoJSON(null, {
      interactive: false,
      style: { color: "#8a8a99", weight: 1, fillColor: "#f7f5ee", fillOpacity: 1 },
    }).addTo(map);
    fetch(element.dataset.world)
      .then((response) => response.json())
      .then((world) => {
        outlines.addData(world);
        outlines.bringToBack();
      })
      .catch(() => {});
  }
  L.circleMarker([latitude, longitude], {
    radius: 8,
    color: "#1b1b1f",
    weight: 2,
    fillColor: "#b00020",
    fillOpacity: 1,
    interactive: false,
  }).addTo(map);
}

if (L) for (const element of document.querySelectorAll(".atlas-device-map[data-latitude]")) miniMap(element);
