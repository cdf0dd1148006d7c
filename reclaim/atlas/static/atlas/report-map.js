// The report form's place picker: clicking the map fills in the latitude and longitude
// fields, and typing them moves the marker. Leaflet comes from our own origin; the map has
// no base layer from anywhere else (country outlines from our origin and a grid of
// degrees), so opening
// the form sends no request to another site. Without JavaScript the map stays hidden and
// the typed fields do the same job.

const box = document.getElementById("report-map-box");
const element = document.getElementById("report-map");

// Grid spacing in degrees by zoom level: about four to ten lines across the view.
function spacing(zoom) {
  const steps = [30, 10, 5, 2, 1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001];
  return steps[Math.min(steps.length - 1, Math.max(0, Math.floor(zoom / 1.3)))];
}

function decimals(step) {
  return Math.max(0, Math.ceil(-Math.log10(step)));
}

function readNumber(input, limit) {
  const text = input.value.trim().replace(",", ".").replace("\u2212", "-");
  if (text === "") return null;
  const value = Number(text);
  return Number.isFinite(value) && Math.abs(value) <= limit ? value : null;
}

function start(L) {
  const latitude = document.getElementById(element.dataset.latitude);
  const longitude = document.getElementById(element.dataset.longitude);
  if (!latitude || !longitude) return;
  box.hidden = false;
  const map = L.map(element, { worldCopyJump: true, minZoom: 1, maxZoom: 19, attributionControl: false });
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
  const grid = L.layerGroup().addTo(map);
  let marker = null;

  function drawGrid() {
    grid.clearLayers();
    const step = spacing(map.getZoom());
    const bounds = map.getBounds();
    const south = Math.max(-90, Math.floor(bounds.getSouth() / step) * step);
    const north = Math.min(90, Math.ceil(bounds.getNorth() / step) * step);
    const west = Math.floor(bounds.getWest() / step) * step;
    const east = Math.ceil(bounds.getEast() / step) * step;
    const style = { color: "#7a8a94", weight: 1, opacity: 0.6, interactive: false };
    for (let lat = south; lat <= north + step / 2; lat += step) {
      grid.addLayer(L.polyline([[lat, west], [lat, east]], style));
    }
    for (let lon = west; lon <= east + step / 2; lon += step) {
      grid.addLayer(L.polyline([[south, lon], [north, lon]], style));
    }
    const places = decimals(step);
    const corner = map.getBounds();
    grid.addLayer(
      L.marker(corner.getNorthWest(), {
        interactive: false,
        keyboard: false,
        icon: L.divIcon({
          className: "report-map-scale",
          html: `${step.toFixed(places)}°`,
          iconSize: null,
        }),
      }),
    );
  }

  function place(lat, lon, pan) {
    const point = L.latLng(lat, lon);
    if (marker) {
      marker.setLatLng(point);
    } else {
      marker = L.circleMarker(point, { radius: 8, color: "#b00020", weight: 3, fillOpacity: 0.4 }).addTo(map);
    }
    if (pan) map.setView(point, Math.max(map.getZoom(), 15));
  }

  function fromFields(pan) {
    const lat = readNumber(latitude, 90);
    const lon = readNumber(longitude, 180);
    if (lat !== null && lon !== null) place(lat, lon, pan);
  }

  map.on("moveend", drawGrid);
  map.on("click", (event) => {
    const point = event.latlng.wrap();
    latitude.value = point.lat.toFixed(6);
    longitude.value = point.lng.toFixed(6);
    place(point.lat, point.lng, false);
  });
  latitude.addEventListener("change", () => fromFields(true));
  longitude.addEventListener("change", () => fromFields(true));

  const lat = readNumber(latitude, 90);
  const lon = readNumber(longitude, 180);
  if (lat !== null && lon !== null) {
    map.setView([lat, lon], 15);
    place(lat, lon, false);
  } else {
    map.setView([element.dataset.centreLatitude || 48, element.dataset.centreLongitude || 14], 4);
  }
  drawGrid();
}

if (box && element) {
  if (window.L) {
    start(window.L);
  } else {
    window.addEventListener("load", () => window.L && start(window.L));
  }
}
