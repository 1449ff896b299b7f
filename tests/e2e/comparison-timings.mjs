// Where the time of "save a scenario → comparison drawn" goes (docs/BENCHMARKS.md): a developer
// probe, not part of the suite. Saves four scenarios in turn on Walter Brennan's comparison (2, 3,
// 4 and again 4 compared) and prints, per round, each API request's start and end after the click
// and when the API answered, the trajectories were drawn, and every chart and table was drawn.
// Usage: (cd ui && npx vite build --outDir /tmp/ct-dist) then, in the test keyring,
//   node tests/e2e/comparison-timings.mjs target/release/cardiotwin /tmp/ct-dist
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
const require = createRequire(resolve('ui/package.json'));
const { chromium } = require('playwright-core');
const binary = resolve(process.argv[2]);
const dist = process.argv[3];
const child = spawn(binary, ['serve', '--port', '0', '--data-dir', mkdtempSync(join(tmpdir(), 'h2-perf-')), '--ui-dir', dist, '--as-of', '2026-12-01'], { stdio: ['ignore', 'pipe', 'pipe'] });
let apiLog = '';
child.stderr.on('data', (d) => { apiLog += d; });
const url = await new Promise((ok) => { let out = ''; child.stdout.on('data', (d) => { out += d; const m = /(http\S+)/.exec(out); if (m && out.includes('\n')) ok(m[1]); }); });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'disabled:' }, args: ['--no-sandbox', '--disable-gpu'] });
const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
const results = [];
const reqs = [];
page.on('request', (r) => { if (r.url().includes('/api/')) reqs.push([r.url().split('/api/')[1], Date.now()]); });
page.on('requestfinished', (r) => { if (r.url().includes('/api/')) reqs.push(['done ' + r.url().split('/api/')[1], Date.now()]); });
try {
  await page.goto(url);
  await page.getByTestId('patient-row').first().waitFor();
  await page.goto(new URL(url).origin + '/patient/ct-demo-01/scenarios');
  await page.locator('[data-testid=comparison-chart][data-drawn=true]').waitFor({ timeout: 60000 });
  const now = () => page.evaluate(() => performance.now());
  for (let round = 0; round < 4; round += 1) {
    await page.getByLabel('Scenario name').fill(`Amlodipine ${round}`);
    await page.getByLabel('Change', { exact: true }).selectOption('start_drug');
    await page.getByLabel('Drug class').selectOption('calcium_channel_blocker');
    await page.getByLabel('Adherence (%)').fill(String(60 + round * 10));
    await page.getByRole('button', { name: 'Add change' }).click();
    const response = page.waitForResponse((r) => r.url().endsWith('/api/compare'));
    const t0 = await now();
    reqs.length = 0; const w0 = Date.now();
    await page.getByRole('button', { name: 'Save scenario' }).click();
    await response;
    const tApi = await now();
    const want = round === 0 ? 6 : Math.min(round + 1, 3) * 6;
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=comparison-chart] .scatterlayer .trace').length >= n, want);
    const tChart = await now();
    await page.getByTestId('difference-table').waitFor();
    await page.locator('[data-testid=risk-over-time][data-drawn=true]').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=risk-bars] .trace').length >= 2);
    const tAll = await now();
    console.log(round, reqs.filter(([n]) => !n.includes('jobProgress')).map(([n, t]) => `${n}@${t - w0}`).join(' '));
    results.push({ round, compared: Math.min(round + 1, 3) + 1, apiMs: Math.round(tApi - t0), chartMs: Math.round(tChart - t0), allMs: Math.round(tAll - t0) });
  }
} finally {
  console.log(JSON.stringify(results));
  console.log(apiLog.split('\n').filter((l) => /compare|saveScenario|checkScenarios/.test(l)).join('\n'));
  await browser.close();
  child.kill();
}
