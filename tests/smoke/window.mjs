// Real-window smoke test: the built desktop app, driven through tauri-driver and WebKitWebDriver
// under Xvfb. It must show the demo patient list, open a patient and draw the overview timeline.
// Screenshots are kept under target/smoke/ for people to look at.
//
// Usage (scripts/test runs it): xvfb-run -a node tests/smoke/window.mjs target/debug/cardiotwin-desktop
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import assert from 'node:assert/strict';

const app = resolve(process.argv[2] ?? 'target/debug/cardiotwin-desktop');
const outDir = resolve('target/smoke');
const port = 4444 + Math.floor(Math.random() * 1000);
const nativePort = port + 1000;
const base = `http://127.0.0.1:${port}`;
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function wd(method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json.value ?? json)}`);
  return json.value;
}

async function waitFor(what, fn, timeoutMs = 30000) {
  const start = Date.now();
  let last;
  while (Date.now() - start < timeoutMs) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

// tauri-driver logs connection errors while WebKitWebDriver starts and a backtrace when killed;
// kept, and printed only when the test fails, so a passing run reads as one.
// In its own process group, so the app and WebKitWebDriver it starts are stopped with it: one
// left behind would hold the log pipes open and keep this script from ending.
const driver = spawn('tauri-driver', ['--port', String(port), '--native-port', String(nativePort)], {
  stdio: ['ignore', 'pipe', 'pipe'],
  detached: true,
});
let driverLog = '';
driver.stdout.on('data', (d) => { driverLog += d; });
driver.stderr.on('data', (d) => { driverLog += d; });
let session;
let failed = true;
try {
  await waitFor('tauri-driver', async () => (await fetch(`${base}/status`)).ok);
  const created = await wd('POST', '/session', {
    capabilities: { alwaysMatch: { browserName: 'wry', 'tauri:options': { application: app } } },
  });
  session = created.sessionId;
  const s = `/session/${session}`;
  mkdirSync(outDir, { recursive: true });

  const rows = await waitFor('patient rows', async () => {
    const found = await wd('POST', `${s}/elements`, { using: 'css selector', value: '[data-testid=patient-row]' });
    return found.length >= 12 ? found : null;
  });
  const links = await wd('POST', `${s}/elements`, { using: 'css selector', value: '[data-testid=patient-row] a' });
  const firstText = await wd('GET', `${s}/element/${rows[0][ELEMENT]}/text`);
  assert.match(firstText, /synthetic/, 'demo patients are marked synthetic');
  writeFileSync(`${outDir}/patient-list.png`, Buffer.from(await wd('GET', `${s}/screenshot`), 'base64'));

  await wd('POST', `${s}/element/${links[0][ELEMENT]}/click`, {});
  await waitFor('overview timeline', async () => {
    const plots = await wd('POST', `${s}/elements`, { using: 'css selector', value: '[data-testid=timeline-chart][data-drawn=true] .main-svg' });
    return plots.length > 0;
  });
  // The overview draws the readings first and redraws when today's projection arrives: a query that
  // meets the redraw gets a stale element, so it is asked again until the points hold still.
  const points = await waitFor('timeline points', async () => {
    const found = await wd('POST', `${s}/elements`, { using: 'css selector', value: '[data-testid=timeline-chart] .scatterlayer .point' });
    return found.length >= 20 ? found : null;
  });
  writeFileSync(`${outDir}/patient-overview.png`, Buffer.from(await wd('GET', `${s}/screenshot`), 'base64'));
  console.log(`smoke: ${rows.length} patients listed, overview timeline with ${points.length} points; screenshots in ${outDir}`);
  failed = false;
} finally {
  if (session) await wd('DELETE', `/session/${session}`).catch(() => {});
  try {
    process.kill(-driver.pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
  driver.stdout.destroy();
  driver.stderr.destroy();
  if (failed) process.stderr.write(`tauri-driver said:\n${driverLog}`);
}
process.exit(failed ? 1 : 0);
