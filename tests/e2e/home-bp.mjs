// Home BP on the overview (issue 31, item 4): a copy of demo 01 (Walter Brennan, uncontrolled
// hypertension in the office) is cached under its own id with `cardiotwin cache import`, a week of
// his home monitor's readings joins it with `cardiotwin import --home-bp` (the CLI a practice runs on
// the monitor's CSV), and `serve` opens it: the overview shows the home mean beside the office BP
// with its protocol (days, readings, morning/evening, first day dropped) and the home threshold
// 135/85. Screenshot 20-home-bp.png.
//
// Runs inside workstation.mjs (its own data folder and server, the suite's browser), or alone:
// node tests/e2e/home-bp.mjs target/debug/cardiotwin
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AS_OF, runAlone, startServer } from './serve.mjs';

/** A week of duplicate morning and evening readings ending four days before the consultation; day 1 higher. */
function weekCsv() {
  const lines = ['Date,Time,Systolic (mmHg),Diastolic (mmHg),Pulse (bpm)'];
  for (let day = 21; day <= 27; day += 1) {
    const extra = day === 21 ? 14 : 0;
    for (const [time, s, d] of [['07:05', 139, 83], ['07:07', 137, 82], ['21:10', 133, 80], ['21:12', 131, 81]]) {
      lines.push(`2026-11-${day.toString()},${time},${(s + extra).toString()},${(d + extra).toString()},66`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Seeds a data folder, serves it, and checks the overview; `check` is the suite's axe-and-screenshot step. */
export async function homeBpSection(browser, { binary, check }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'cardiotwin-e2e-home-'));
  const inputs = mkdtempSync(join(tmpdir(), 'cardiotwin-e2e-home-in-'));
  let server;
  try {
    const bundle = join(inputs, 'walter-home.json');
    writeFileSync(bundle, readFileSync(resolve('assets/demo/01-uncontrolled-hypertension.json'), 'utf8').replaceAll('ct-demo-01', 'ct-home-01'));
    const csv = join(inputs, 'omron-week.csv');
    writeFileSync(csv, weekCsv());
    const cli = (args) => execFileSync(resolve(binary), ['--data-dir', dataDir, '--as-of', AS_OF, ...args], { encoding: 'utf8' });
    cli(['cache', 'import', '--bundle', bundle]);
    const imported = cli(['import', '--home-bp', csv, '--device', 'Omron M3', '--patient', 'ct-home-01']);
    assert.match(imported, /28 BP reading\(s\).*28 observation\(s\) added/, imported);

    server = startServer(binary, { dataDir });
    const url = await server.url;
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await page.goto(url);
    await page.getByTestId('patient-row').filter({ hasText: 'Offline cache' }).filter({ hasText: 'Brennan' }).getByRole('link').first().click();
    const panel = page.getByTestId('home-bp');
    await panel.waitFor({ timeout: 60000 }).catch(async (e) => {
      await page.screenshot({ path: join(resolve(process.env.CT_E2E_OUT ?? 'target/e2e'), '20-home-bp-failed.png'), fullPage: true });
      throw e;
    });
    const text = await panel.innerText();
    // Days 2–7: mornings 139/83 and 137/82, evenings 133/80 and 131/81 → 135/81.5, shown rounded.
    assert.match(await page.getByTestId('home-bp-mean').innerText(), /^135\/82 mmHg$/, text);
    assert.match(text, /At or above the home threshold 135\/85/, text);
    assert.match(text, /Mean of 24 readings over 6 days, 22 Nov 2026 – 27 Nov 2026 \(12 morning, 12 evening; first day 21 Nov 2026 dropped\)/, text);
    assert.match(text, /Office, latest: \d+\/\d+ mmHg on \d{1,2} [A-Z][a-z]{2} \d{4}/, text);
    assert.match(text, /Home readings from: Omron M3/, text);
    const box = await panel.boundingBox();
    assert.ok(box && box.width > 300, `the panel is readable at 1366×768 (${JSON.stringify(box)})`);
    await panel.scrollIntoViewIfNeeded();
    await check(page, '20-home-bp');
    await context.close();
  } finally {
    server?.child.kill();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(inputs, { recursive: true, force: true });
  }
}

// Alone: its own browser, axe check and screenshot folder.
if (import.meta.url === pathToFileURL(process.argv[1]).href) await runAlone(homeBpSection, 'home BP');
