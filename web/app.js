// steppe's map page: the network by mode, two places picked by name or by clicking, the best
// route and its alternatives each in its own colour, and their figures in the side panel.
// Everything comes from this server (no tiles, no CDN).
"use strict";

const COLOURS = ["#d7191c", "#2c7bb6", "#1a9641", "#7b3294", "#fdae61", "#01665e", "#c51b7d", "#4d4d4d"];
const $ = (id) => document.getElementById(id);
const state = { places: [], routesDrawn: 0, answer: null, pick: "from" };
window.steppe = state;

const map = L.map("map", { zoomControl: true, attributionControl: true, preferCanvas: false })
  .setView([47, 90], 5);
map.attributionControl.addAttribution("Natural Earth");
const routeLayer = L.layerGroup().addTo(map);
state.map = map;

async function getJSON(url) {
  const r = await fetch(url);
  const body = await r.json();
  if (!r.ok) {
    const where = body.parameter ? ` (${body.parameter})` : "";
    throw new Error(`${body.message || r.statusText}${where}`);
  }
  return body;
}

function fmt(x, digits) {
  return Number(x).toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

async function drawBasemap() {
  const [countries, lakes] = await Promise.all([
    getJSON("/v1/basemap/countries"), getJSON("/v1/basemap/lakes")]);
  L.geoJSON(countries, {
    style: (f) => ({ color: "#999", weight: 1, fillColor: ["MN", "KZ"].includes(f.properties.iso_a2) ? "#f7f4e8" : "#ecebe4", fillOpacity: 1 }),
    interactive: false,
  }).addTo(map);
  L.geoJSON(lakes, { style: { color: "#8fb8d6", weight: 1, fillColor: "#cfe3f0", fillOpacity: 1 }, interactive: false }).addTo(map);
}

async function drawNetwork() {
  const net = await getJSON("/v1/network");
  L.geoJSON(net, {
    filter: (f) => f.geometry.type !== "Point",
    style: (f) => ({
      color: f.properties.stroke || "#888",
      weight: f.properties.mode === "rail" ? 2.5 : 1.5,
      opacity: f.properties["stroke-opacity"] ?? 1,
      dashArray: f.properties.mode === "rail" ? "6 3" : null,
      className: `network-${f.properties.mode}`,
    }),
    onEachFeature: (f, layer) => layer.bindTooltip(`${f.properties.mode} ${f.properties.ref || ""} ${f.properties.from} – ${f.properties.to}`),
  }).addTo(map);
  const list = await getJSON("/v1/places");
  state.places = list.places;
  const dl = $("places");
  for (const p of list.places) {
    const o = document.createElement("option");
    o.value = p.name;
    o.label = `${p.name} (${p.country}, ${p.kind})`;
    dl.appendChild(o);
    if (p.kind === "city" || p.kind === "border_crossing") {
      L.circleMarker([p.lat, p.lon], {
        radius: p.kind === "city" ? 4 : 3, color: p.kind === "city" ? "#000" : "#de2d26", weight: 1,
        fillColor: "#fff", fillOpacity: 1, className: "place", bubblingMouseEvents: false,
      }).bindTooltip(p.name).on("click", () => pickPlace(p.name)).addTo(map);
    }
  }
}

function pickPlace(name) {
  $(state.pick).value = name;
  if (state.pick === "from") {
    state.pick = "to";
  } else {
    state.pick = "from";
    findRoutes();
  }
}

map.on("click", async (e) => {
  try {
    const modes = $("modes").value === "road" ? "driving" : $("modes").value === "rail" ? "rail" : "freight";
    const near = await getJSON(`/nearest/v1/${modes}/${e.latlng.lng.toFixed(5)},${e.latlng.lat.toFixed(5)}`);
    pickPlace(near.waypoints[0].name);
  } catch (err) {
    $("status").textContent = err.message;
  }
});

function query() {
  const q = new URLSearchParams();
  q.set("from", $("from").value.trim());
  q.set("to", $("to").value.trim());
  q.set("modes", $("modes").value);
  q.set("minimize", $("minimize").value);
  q.set("alternatives", $("alternatives").value);
  if ($("month").value) q.set("month", $("month").value);
  return q;
}

async function findRoutes() {
  $("status").textContent = "";
  if (!$("from").value.trim() || !$("to").value.trim()) {
    $("status").textContent = "Give an origin and a destination.";
    return;
  }
  $("go").disabled = true;
  try {
    const q = query();
    const answer = await getJSON(`/v1/route?${q}`);
    state.answer = answer;
    routeLayer.clearLayers();
    state.routesDrawn = 0;
    $("routes").innerHTML = "";
    if (!answer.routes.length) {
      const nr = answer.no_route || { reason: "no route", hints: [] };
      $("status").textContent = [nr.reason, ...nr.hints].join(" ");
      return;
    }
    q.set("format", "geojson");
    const fc = await getJSON(`/v1/route?${q}`);
    drawRoutes(fc, answer.routes.length);
    showRoutes(answer);
  } catch (err) {
    $("status").textContent = err.message;
  } finally {
    $("go").disabled = false;
  }
}

function drawRoutes(fc, n) {
  // Lower-ranked routes first, so the best one is drawn on top.
  const totals = fc.features.filter((f) => f.properties.type === "route_total")
    .sort((a, b) => b.properties.route - a.properties.route);
  const bounds = L.latLngBounds([]);
  for (const f of totals) {
    const rank = f.properties.route;
    const line = L.geoJSON(f, {
      style: { color: COLOURS[(rank - 1) % COLOURS.length], weight: rank === 1 ? 6 : 4, opacity: rank === 1 ? 0.9 : 0.7, className: `route-line route-${rank}` },
    }).bindTooltip(`Route ${rank}: ${fmt(f.properties.hours, 1)} h, ${fmt(f.properties.km, 0)} km, ${fmt(f.properties.usd, 0)} USD`);
    line.addTo(routeLayer);
    bounds.extend(line.getBounds());
    state.routesDrawn += 1;
  }
  for (const f of fc.features) {
    const t = f.properties.type;
    if (f.properties.route === 1 && ["border", "gauge_change", "origin", "destination"].includes(t)) {
      const [lon, lat] = f.geometry.coordinates;
      L.circleMarker([lat, lon], {
        radius: t === "origin" || t === "destination" ? 7 : 6,
        color: t === "border" ? "#de2d26" : t === "gauge_change" ? "#3182bd" : "#000",
        weight: 2, fillColor: "#fff", fillOpacity: 1, className: `event-${t}`,
      }).bindTooltip(`${t.replace("_", " ")}: ${f.properties.name}`).addTo(routeLayer);
    }
  }
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [30, 30] });
}

function showRoutes(answer) {
  const out = $("routes");
  answer.routes.forEach((r, i) => {
    const rank = i + 1;
    const div = document.createElement("div");
    div.className = "route";
    div.dataset.rank = rank;
    div.dataset.hours = r.totals.hours;
    div.dataset.km = r.totals.km;
    div.dataset.usd = r.totals.usd;
    div.style.borderLeftColor = COLOURS[i % COLOURS.length];
    const countries = Object.entries(r.by_country).map(([c, s]) =>
      `<tr><td>${esc(c)}</td><td>${fmt(s.km, 0)}</td><td>${fmt(s.hours, 1)}</td><td>${fmt(s.usd, 0)}</td></tr>`).join("");
    const events = r.steps.filter((s) => s.type === "border" || (s.type === "transfer" && s.from_layer.startsWith("rail") && s.to_layer.startsWith("rail")))
      .map((s) => s.type === "border"
        ? `<li>border: ${esc(s.name)} (${esc(s.mode)}, ${esc(s.countries.join("/"))}) ${fmt(s.hours, 1)} h, bad day ${fmt(s.bad_day_hours, 0)} h</li>`
        : `<li>gauge change: ${esc(s.name)} (${esc(s.from_layer)} → ${esc(s.to_layer)}) ${fmt(s.hours, 1)} h</li>`).join("");
    div.innerHTML = `
      <h2>Route ${rank}${rank === 1 ? " (best)" : ""}</h2>
      <table class="totals">
        <tr><td>hours</td><td class="hours">${fmt(r.totals.hours, 1)}</td><td>days</td><td>${fmt(r.totals.hours / 24, 1)}</td></tr>
        <tr><td>km</td><td class="km">${fmt(r.totals.km, 0)}</td><td>USD</td><td class="usd">${fmt(r.totals.usd, 0)}</td></tr>
        <tr><td>bad-day h</td><td>${fmt(r.totals.bad_day_hours, 0)}</td><td>gauge ch.</td><td>${r.gauge_changes}</td></tr>
      </table>
      <table class="countries"><tr><th>country</th><th>km</th><th>h</th><th>USD</th></tr>${countries}</table>
      <ul class="events">${events || "<li>no border crossing</li>"}</ul>
      ${r.notes.map((n) => `<p class="hint">${esc(n)}</p>`).join("")}`;
    out.appendChild(div);
  });
}

$("go").addEventListener("click", findRoutes);
for (const id of ["from", "to"]) {
  $(id).addEventListener("keydown", (e) => { if (e.key === "Enter") findRoutes(); });
}
for (let m = 1; m <= 12; m++) {
  const o = document.createElement("option");
  o.value = m;
  o.textContent = new Date(2000, m - 1, 1).toLocaleString("en", { month: "long" });
  $("month").appendChild(o);
}

(async () => {
  try {
    await drawBasemap();
    await drawNetwork();
    document.body.dataset.ready = "true";
  } catch (err) {
    $("status").textContent = `Could not load the map: ${err.message}`;
  }
})();
