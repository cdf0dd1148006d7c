// The atlas's map (map part): Leaflet from our origin over country outlines from our
// origin, and the public devices in view, clustered by the server
// (atlas:clusters, reclaim/atlas/services/clusters.py). Nothing is asked of another site
// until the visitor presses the street-map button, which says where the tiles come from;
// the choice is remembered for this tab's session only (sessionStorage, no cookie).
//
// Markers are real links (a device, a deployment) and buttons (a cluster: zoom into it),
// so they are reached with the Tab key and have a name; the map itself moves with the
// arrow keys and zooms with + and - once it has the focus (Leaflet's keyboard handler).

// The only other site this script may ever contact, and only from showTiles(): the
// street-map tiles, and the page credited in their attribution (a link, not a request).
const STREET_MAP = {
  tiles: "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
  copyright: "https://www.openstreetmap.org/copyright",
};
const REMEMBER = "reclaim-atlas-tiles";
const START = { centre: [50, 12], zoom: 4 };

const root = document.getElementById("atlas-map");
const configElement = document.getElementById("atlas-map-config");
const L = window.L;

function format(text, values) {
  return text.replace(/%\((\w+)\)s/g, (_match, key) => String(values[key] ?? ""));
}

function escapeHtml(text) {
  const span = document.createElement("span");
  span.textContent = text;
  return span.innerHTML;
}

function remembered() {
  try {
    return window.sessionStorage.getItem(REMEMBER) === "1";
  } catch {
    return false;
  }
}

function remember(on) {
  try {
    if (on) window.sessionStorage.setItem(REMEMBER, "1");
    else window.sessionStorage.removeItem(REMEMBER);
  } catch {
    // Storage refused (private mode): the choice lasts as long as the page.
  }
}

function start(config) {
  const labels = config.labels;
  for (const element of document.querySelectorAll(".atlas-map-js")) element.hidden = false;
  const status = document.getElementById("atlas-map-status");
  const map = L.map(root, {
    zoomControl: false,
    worldCopyJump: true,
    minZoom: 1,
    maxZoom: config.maxZoom,
    keyboard: true,
  }).setView(START.centre, START.zoom);
  L.control.zoom({ zoomInTitle: labels.zoomIn, zoomOutTitle: labels.zoomOut }).addTo(map);
  map.attributionControl.setPrefix("Leaflet");
  map.attributionControl.addAttribution(escapeHtml(labels.outlines));

  const outlines = L.geoJSON(null, {
    interactive: false,
    style: { color: "#8a8a99", weight: 1, fillColor: "#f7f5ee", fillOpacity: 1 },
  }).addTo(map);
  fetch(root.dataset.world)
    .then((response) => response.json())
    .then((world) => outlines.addData(world))
    .catch(() => {});

  const points = L.layerGroup().addTo(map);
  let pending = null;

  function marker(lat, lng, element, size, label) {
    element.setAttribute("aria-label", label);
    element.title = label;
    const icon = L.divIcon({ html: element, className: "atlas-marker", iconSize: [size, size] });
    return L.marker([lat, lng], { icon, keyboard: false, title: "" });
  }

  function draw(data) {
    points.clearLayers();
    const centre = map.getCenter().lng;
    let shown = 0;
    for (const feature of data.features) {
      const [longitude, latitude] = feature.geometry.coordinates;
      // Place each point on the copy of the world in view.
      const shift = 360 * Math.round((centre - longitude) / 360);
      const lng = longitude + shift;
      const p = feature.properties;
      if (p.kind === "cluster") {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "atlas-cluster";
        button.textContent = p.count.toLocaleString(document.documentElement.lang);
        const size = Math.round(28 + 9 * Math.log10(p.count));
        const item = marker(latitude, lng, button, size, format(labels.cluster, { count: p.count }));
        const [west, south, east, north] = p.bounds;
        item.on("click", () => {
          const bounds = L.latLngBounds([south, west + shift], [north, east + shift]);
          const zoom = Math.min(
            config.maxZoom,
            Math.max(map.getZoom() + 1, map.getBoundsZoom(bounds.pad(0.2)))
          );
          map.setView(bounds.getCenter(), zoom);
        });
        item.addTo(points);
        shown += p.count;
      } else if (p.kind === "device") {
        const link = document.createElement("a");
        link.href = root.dataset.deviceUrl.replace(config.placeholderId, String(p.id));
        link.className = `atlas-device ${p.verification}${p.stale ? " stale" : ""}`;
        let label = format(labels.device, {
          id: p.id,
          verification: labels[`verification:${p.verification}`] || p.verification,
        });
        if (p.stale) label += `, ${labels.stale}`;
        marker(latitude, lng, link, 18, label).addTo(points);
        shown += 1;
      } else if (p.kind === "deployment") {
        const link = document.createElement("a");
        link.href = root.dataset.deploymentUrl.replace(
          config.placeholderSlug,
          encodeURIComponent(p.slug)
        );
        link.className = "atlas-deployment-point";
        marker(latitude, lng, link, 16, format(labels.deployment, { name: p.name })).addTo(points);
        shown += 1;
      }
    }
    status.textContent = format(labels.shown, { count: shown.toLocaleString(document.documentElement.lang) });
  }

  function load() {
    if (pending) pending.abort();
    pending = new AbortController();
    const bounds = map.getBounds();
    const bbox = [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()]
      .map((value) => value.toFixed(5))
      .join(",");
    const query = new URLSearchParams({ bbox, zoom: String(map.getZoom()), ...config.filters });
    status.textContent = labels.loading;
    fetch(`${root.dataset.clusters}?${query}`, {
      signal: pending.signal,
      headers: { Accept: "application/json" },
    })
      .then((response) => {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(draw)
      .catch((error) => {
        if (error.name !== "AbortError") status.textContent = labels.failed;
      });
  }

  map.on("moveend", load);
  load();

  const button = document.getElementById("atlas-tiles");
  let tiles = null;
  function showTiles(on) {
    if (on && !tiles) {
      const credit = `<a href="${STREET_MAP.copyright}">${escapeHtml(labels.tilesAttribution)}</a>`;
      tiles = L.tileLayer(STREET_MAP.tiles, {
        maxZoom: 19,
        attribution: credit,
        // OpenStreetMap's tile policy asks for a referrer: our origin, nothing more.
        referrerPolicy: "strict-origin-when-cross-origin",
      }).addTo(map);
      // The outlines are filled: under the tiles they would hide nothing, over them all.
      map.removeLayer(outlines);
    } else if (!on && tiles) {
      map.removeLayer(tiles);
      tiles = null;
      outlines.addTo(map);
    }
    button.textContent = on ? labels.hideTiles : labels.showTiles;
    remember(on);
  }
  button.addEventListener("click", () => showTiles(!tiles));
  if (remembered()) showTiles(true);
}

if (root && configElement && L) start(JSON.parse(configElement.textContent));
