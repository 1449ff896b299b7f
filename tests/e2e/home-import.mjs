// Home readings imported from the app (issue 31, item 4): a copy of demo 01 (Walter Brennan, office
// BP 8 months old) is cached under its own id, and a week of his home monitor's readings is chosen
// in the overview's "Import home readings" panel in the real browser: the file is streamed to
// `serve`'s upload route after the clinician confirms the patient; the report says what arrived;
// HomeBpPanel appears with the protocol mean; and the stale-inputs notice no longer calls blood
// pressure stale, saying the office BP still feeds the twin. Screenshot 21-home-import.png.
//
// Runs inside workstation.mjs (its own data folder and server, the suite's browser), or alone:
// node tests/e2e/home-import.mjs target/debug/cardiotwin
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
    for (const [time, s, d] of [['07:05', 129, 79], ['07:07', 127, 78], ['21:10', 125, 77], ['21:12', 123, 76]]) {
      lines.push(`2026-11-${day.toString()},${time},${(s + extra).toString()},${(d + extra).toString()},66`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Seeds a data folder, serves it, imports through the page; `check` is the suite's axe-and-screenshot step. */
export async function homeImportSection(browser, { binary, check }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'cardiotwin-e2e-homeui-'));
  const inputs = mkdtempSync(join(tmpdir(), 'cardiotwin-e2e-homeui-in-'));
  let server;
  const shots = resolve(process.env.CT_E2E_OUT ?? 'target/e2e');
  try {
    const bundle = join(inputs, 'walter-homeui.json');
    writeFileSync(bundle, readFileSync(resolve('assets/demo/01-uncontrolled-hypertension.json'), 'utf8').replaceAll('ct-demo-01', 'ct-homeui-01'));
    const csv = join(inputs, 'omron-week.csv');
    writeFileSync(csv, weekCsv());
    execFileSync(resolve(binary), ['--data-dir', dataDir, '--as-of', AS_OF, 'cache', 'import', '--bundle', bundle], { encoding: 'utf8' });

    server = startServer(binary, { dataDir });
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await page.goto(await server.url);
    await page.getByTestId('patient-row').filter({ hasText: 'Offline cache' }).filter({ hasText: 'Brennan' }).getByRole('link').first().click();
    const panel = page.getByTestId('home-import');
    await panel.waitFor({ timeout: 60000 });
    assert.equal(await page.getByTestId('home-bp').count(), 0, 'no home readings yet');
    assert.match(await page.getByTestId('stale-inputs').innerText(), /Blood pressure/, 'office BP 8 months old is stale');

    await panel.getByLabel('Choose a file').setInputFiles(csv);
    const confirm = panel.getByTestId('home-import-confirm');
    assert.match(await confirm.innerText(), /Import omron-week\.csv \(\d+ bytes\) as a home BP monitor’s readings into the record of .*Brennan.*\? The file does not say whose readings it holds/s);
    await confirm.getByLabel('Monitor (the CSV does not name it)').fill('Omron M3');
    await panel.scrollIntoViewIfNeeded();
    await check(page, '21-home-import-confirm');
    await confirm.getByRole('button', { name: /^Import into .*Brennan.*’s record$/ }).click();
    const report = panel.getByTestId('home-import-report');
    await report.waitFor({ timeout: 60000 }).catch(async (e) => {
      await page.screenshot({ path: join(shots, '21-home-import-failed.png'), fullPage: true });
      throw e;
    });
    const words = await report.innerText();
    assert.match(words, /28 new readings filed\. From: Omron M3\./, words);
    assert.match(words, /Home BP: 28 readings over 7 days \(21 Nov 2026 – 27 Nov 2026\)/, words);
    // Days 2–7: 129/79, 127/78, 125/77, 123/76 → 126/77.5.
    assert.match(words, /Home BP now 126\/78 mmHg: mean of 24 readings over 6 days, 22 Nov 2026 – 27 Nov 2026\./, words);

    // The overview reloads: the home panel appears, and BP is no longer called stale, truthfully.
    const home = page.getByTestId('home-bp');
    await home.waitFor({ timeout: 60000 });
    assert.match(await page.getByTestId('home-bp-mean').innerText(), /^126\/78 mmHg$/);
    assert.match(await home.innerText(), /Home readings from: Omron M3/);
    const note = page.getByTestId('home-bp-freshness');
    await note.waitFor({ timeout: 60000 });
    assert.match(await note.innerText(), /Blood pressure: office BP last measured 25 Mar 2026, 8 months ago \(older than the 3-month limit\); home BP mean of 22 Nov 2026–27 Nov 2026 \(24 readings\) is current and shown beside it; the twin's calibration and risk equations use the office BP\./);
    // The latest-values table still says the office BP the twin uses is old.
    assert.match(await page.getByTestId('latest-sbp').innerText(), /office 8 months old; home BP current/);
    const stale = page.getByTestId('stale-inputs');
    if ((await stale.count()) > 0) assert.doesNotMatch(await stale.locator('tbody').innerText(), /Blood pressure/);

    await panel.scrollIntoViewIfNeeded();
    await check(page, '21-home-import');
    await note.scrollIntoViewIfNeeded();
    await check(page, '21-home-import-freshness');
    await context.close();
  } finally {
    server?.child.kill();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(inputs, { recursive: true, force: true });
  }
}

// Alone: its own browser, axe check and screenshot folder.
if (import.meta.url === pathToFileURL(process.argv[1]).href) await runAlone(homeImportSection, 'home import');
