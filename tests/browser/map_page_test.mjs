// steppe serve's map page in headless Chromium, used as a person would: type two places and
// press the button, then click two places on the map; the routes must be drawn and the totals
// shown must equal the API's.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";

const [bin, executablePath, screenshot] = process.argv.slice(2);
let passed = 0;
const failures = [];
function check(what, ok, detail = "") {
  if (ok) passed += 1;
  else { failures.push(what); console.log(`FAIL ${what}: ${detail}`); }
}

const server = spawn(bin, ["serve", "--bind", "127.0.0.1:0"], { stdio: ["ignore", "pipe", "inherit"] });
const base = await new Promise((resolve, reject) => {
  createInterface({ input: server.stdout }).once("line", (line) => {
    const m = line.match(/http:\/\/[^\s]+/);
    m ? resolve(m[0].replace(/\/$/, "")) : reject(new Error(`no address in ${line}`));
  });
  server.once("exit", (code) => reject(new Error(`steppe serve exited ${code}`)));
});

const browser = await chromium.launch({
  executablePath,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const offline = [];
  page.on("request", (r) => { if (!r.url().startsWith(base)) offline.push(r.url()); });
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  await page.goto(base + "/");
  await page.waitForSelector("body[data-ready=true]", { timeout: 20000 });
  check("basemap drawn", await page.locator("path.leaflet-interactive, path").count() > 50);
  check("road network drawn", await page.locator("path.network-road").count() > 10);
  check("rail network drawn", await page.locator("path.network-rail").count() > 10);

  // 1. By the search boxes and the button.
  await page.fill("#from", "Ulaanbaatar");
  await page.fill("#to", "Almaty");
  await page.selectOption("#alternatives", "3");
  await page.click("#go");
  await page.waitForSelector(".route[data-rank='1']", { timeout: 20000 });
  const api = await (await fetch(`${base}/v1/route?from=Ulaanbaatar&to=Almaty&modes=road%2Crail&minimize=generalized&alternatives=3`)).json();
  const shown = await page.$$eval(".route", (els) => els.map((e) => ({
    hours: Number(e.dataset.hours), km: Number(e.dataset.km), usd: Number(e.dataset.usd),
    hoursText: e.querySelector(".hours").textContent, kmText: e.querySelector(".km").textContent,
  })));
  check("one panel per route", shown.length === api.routes.length, `${shown.length} vs ${api.routes.length}`);
  const fmt = (x, d) => Number(x).toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
  api.routes.forEach((r, i) => {
    const s = shown[i] || {};
    check(`route ${i + 1} totals equal the API's`, s.hours === r.totals.hours && s.km === r.totals.km && s.usd === r.totals.usd,
      JSON.stringify([s, r.totals]));
    check(`route ${i + 1} hours shown`, s.hoursText === fmt(r.totals.hours, 1), `${s.hoursText}`);
    check(`route ${i + 1} km shown`, s.kmText === fmt(r.totals.km, 0), `${s.kmText}`);
  });
  const lines = await page.locator("path.route-line").count();
  check("each route drawn", lines === api.routes.length, `${lines} lines`);
  check("best route drawn", await page.locator("path.route-1").count() === 1);
  const borders = api.routes[0].border_crossings.length;
  check("border crossings marked", await page.locator("path.event-border").count() === borders, `${borders} crossings`);
  check("per-country breakdown shown",
    await page.locator(".route[data-rank='1'] table.countries tr").count() === Object.keys(api.routes[0].by_country).length + 1);
  await page.screenshot({ path: screenshot });

  // 2. By clicking the map: Khovd, then Astana.
  await page.selectOption("#alternatives", "1");
  for (const [lat, lon] of [[48.0056, 91.6419], [51.1801, 71.4460]]) {
    const pt = await page.evaluate(([la, lo]) => {
      const p = window.steppe.map.latLngToContainerPoint([la, lo]);
      return { x: p.x, y: p.y };
    }, [lat, lon]);
    const box = await page.locator("#map").boundingBox();
    await page.mouse.click(box.x + pt.x + 3, box.y + pt.y + 3);
    await page.waitForTimeout(300);
  }
  await page.waitForFunction(() => document.querySelectorAll(".route").length === 1, null, { timeout: 20000 });
  const from = await page.inputValue("#from");
  const to = await page.inputValue("#to");
  check("map clicks pick places", from === "Khovd" && to === "Astana", `${from} -> ${to}`);
  const api2 = await (await fetch(`${base}/v1/route?from=Khovd&to=Astana&modes=road%2Crail&minimize=generalized&alternatives=1`)).json();
  const h2 = await page.$eval(".route", (e) => Number(e.dataset.hours));
  check("clicked route totals equal the API's", h2 === api2.routes[0].totals.hours, `${h2} vs ${api2.routes[0].totals.hours}`);
  check("no request left the server", offline.length === 0, offline.join(", "));
  check("no script errors", pageErrors.length === 0, pageErrors.join("; "));
} finally {
  await browser.close();
  server.kill("SIGTERM");
}
console.log(`browser test: ${passed} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
