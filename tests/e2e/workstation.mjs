// End to end in a real browser: the built UI and a real `cardiotwin serve` on a temporary data
// folder, driven by playwright-core in Debian's Chromium. A cardiologist's first consultation:
// open a demo patient, see the timeline, open the twin, build a scenario adding amlodipine at 80 %
// adherence, compare it with current treatment, read the explanation, then the risk explanation.
// Then the heart-failure patient (demo 03): his plan of GDMT, death from any cause and a first HF
// hospitalisation at 3 years on the decision, comparison, heatmap and patient view screens.
// Every screen is checked with axe (no serious or critical violation) and saved under target/e2e/.
// Timings from performance marks go to target/e2e/timings.json (docs/BENCHMARKS.md).
//
// Usage (scripts/test runs it): node tests/e2e/workstation.mjs target/debug/cardiotwin
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import assert from 'node:assert/strict';
import { AS_OF, browserModules, launchBrowser, startServer } from './serve.mjs';
import { overviewSection } from './overview.mjs';
import { heatmapToFourWayComparison } from './compare.mjs';
import { noteFactsSection } from './notes.mjs';
import { patientViewSection } from './patient-view.mjs';
import { decisionToPatientViewSection } from './decision-to-patient-view.mjs';
import { writeBackLogSection } from './write-back-log.mjs';
import { worklistSection } from './worklist.mjs';
import { geneticScoreSection } from './genetic-score.mjs';
import { hl7LabResultsSection } from './hl7.mjs';
import { guidelineSection } from './guideline.mjs';
import { changesSinceFetchSection } from './changes.mjs';
import { homeBpSection } from './home-bp.mjs';
import { homeImportSection } from './home-import.mjs';

const { chromium, AxeBuilder } = browserModules();

const binary = resolve(process.argv[2] ?? 'target/debug/cardiotwin');
// CT_E2E_OUT and CT_UI_DIST let parallel runs keep their screenshots and UI builds apart.
const outDir = resolve(process.env.CT_E2E_OUT ?? 'target/e2e');
mkdirSync(outDir, { recursive: true });
const dataDir = mkdtempSync(join(tmpdir(), 'cardiotwin-e2e-'));
// Bundles the test writes for the app to import (outside the data folder, which only the app writes).
const bundleDir = mkdtempSync(join(tmpdir(), 'cardiotwin-e2e-bundles-'));

const violations = [];
async function check(page, name, { fullPage = false } = {}) {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of bad) violations.push(`${name}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  await page.screenshot({ path: join(outDir, `${name}.png`), fullPage });
}

const server = startServer(binary, { dataDir });
let browser;
let ok = false;
const timings = {};
try {
  const url = await server.url;
  const origin = new URL(url).origin;

  // The API refuses calls without the token, and with a wrong one.
  const bare = await fetch(`${origin}/api/listPatients`, { method: 'POST', body: '{}' });
  assert.equal(bare.status, 401, 'no token: 401');
  const wrong = await fetch(`${origin}/api/listPatients`, { method: 'POST', body: '{}', headers: { authorization: 'Bearer 00' } });
  assert.equal(wrong.status, 401, 'wrong token: 401');

  browser = await launchBrowser(chromium);
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
  const page = await context.newPage();
  const consoleErrors = [];
  page.on('pageerror', (e) => consoleErrors.push(e.message));

  // 1. Patient list.
  await page.goto(url);
  await page.getByTestId('patient-row').nth(11).waitFor();
  assert.ok(!page.url().includes('token='), 'the token is removed from the address bar');
  assert.equal(await page.getByTestId('patient-row').count(), 12, 'twelve demo patients');
  await page.getByLabel('Name or condition').fill('heart failure');
  const filtered = await page.getByTestId('patient-row').count();
  assert.ok(filtered >= 1 && filtered < 12, `the filter narrows the list (${filtered})`);
  await page.getByLabel('Name or condition').fill('');

  // Import a bundle into the encrypted cache; it is listed with its age and opens from there.
  await page.getByLabel('Import a FHIR bundle into the offline cache').setInputFiles(resolve('assets/demo/03-heart-failure-reduced-ef.json'));
  await page.getByText(/Imported .* into the encrypted cache/).waitFor();
  const cachedRow = page.getByTestId('patient-row').filter({ hasText: 'Offline cache · cached today' });
  await cachedRow.waitFor();
  await check(page, '01-patients');
  const t0 = await page.evaluate(() => performance.now());
  await cachedRow.locator('th a').click();
  await page.locator('[data-testid=timeline-chart][data-drawn=true]').waitFor();
  timings.openCachedPatientToFirstChartMs = (await page.evaluate(() => performance.now())) - t0;
  await page.getByRole('link', { name: 'CardioTwin' }).click();
  await page.getByTestId('patient-row').nth(11).waitFor();

  // 2. Overview timeline of the uncontrolled hypertensive on lisinopril alone (demo bundle 01).
  const row = page.getByTestId('patient-row').filter({ hasText: 'Walter Brennan' });
  const name = (await row.locator('th a').innerText()).trim();
  const t1 = await page.evaluate(() => performance.now());
  await row.locator('th a').click();
  await page.locator('[data-testid=timeline-chart][data-drawn=true]').waitFor();
  timings.openDemoPatientToChartMs = (await page.evaluate(() => performance.now())) - t1;
  const points = await page.locator('[data-testid=timeline-chart] .scatterlayer .point').count();
  assert.ok(points >= 20, `the timeline draws the measurements (${points} points)`);
  assert.ok((await page.getByTestId('active-medications').innerText()).length > 0);
  // Stale data is visible: on 2026-12-01 Walter's BP is 8 months old and his lipids 17 (limits
  // 3 and 12 months), each listed with what to re-measure.
  const stale = page.getByRole('region', { name: /Stale inputs: re-measure/ });
  await stale.waitFor();
  const staleText = await stale.innerText();
  assert.match(staleText, /Model calibrated to readings up to 25 Mar 2026 \(8 months before 1 Dec 2026\)/);
  assert.match(staleText, /Blood pressure\s+25 Mar 2026\s+8 months\s+3 months\s+Re-measure office or home BP/);
  assert.match(staleText, /LDL cholesterol, HDL cholesterol and total cholesterol\s+11 Jul 2025\s+17 months\s+12 months\s+Repeat the lipid profile/);
  await check(page, '02-overview');
  await page.screenshot({ path: join(outDir, '02b-stale-inputs.png') });

  // 2b. The overview of demo patients 01 and 03: latest values against targets, medications,
  // the timeline with targets, doses, events and the projection, the lab table (overview.mjs).
  await overviewSection(page, { check, outDir });
  await page.getByTestId('patient-row').filter({ hasText: 'Walter Brennan' }).first().locator('th a').click();
  await page.locator('[data-testid=timeline-chart][data-drawn=true]').waitFor();

  // 3. Twin panel.
  await page.getByRole('link', { name: 'Twin', exact: true }).click();
  await page.locator('[data-testid=pv-loop][data-drawn=true]').waitFor();
  await page.locator('[data-testid=waveforms][data-drawn=true]').waitFor();
  const fit = await page.getByTestId('twin-fit').innerText();
  assert.match(fit, /Systolic BP/);
  assert.match(fit, /prior only/, 'the prior is marked as a prior');
  assert.match(await page.getByTestId('twin-summary').innerText(), /\d+\/\d+ mmHg/);
  assert.match(await page.getByTestId('twin-summary').innerText(), /^Model calibrated to readings up to 25 Mar 2026 \(8 months before 1 Dec 2026\)/);
  assert.equal(await page.getByTestId('stale-inputs').count(), 1, 'the twin lists the stale inputs too');
  await check(page, '03-twin');
  // The personal hindcast: the twin of a year before against the readings of the last year.
  const hindcast = await page.getByTestId('hindcast-table').innerText();
  assert.match(hindcast, /Systolic BP\s+\d+\s+[\d.]+ mmHg/, 'SBP readings of the last year with the error');
  assert.match(await page.getByTestId('hindcast').innerText(), /rebuilt from the record as it stood on \d{1,2} [A-Z][a-z]{2} \d{4}/);
  assert.match(await page.getByTestId('hindcast-hybrid').innerText(), /Hybrid off by[\s\S]*Systolic BP/);
  await page.locator('[data-testid=hindcast-chart][data-drawn=true]').waitFor();
  await page.getByTestId('hindcast').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(outDir, '03b-hindcast.png') });

  // 4. Scenario builder: add amlodipine (a calcium-channel blocker) at 80 % adherence.
  await page.getByRole('link', { name: 'Scenarios & comparison' }).click();
  await page.locator('[data-testid=comparison-chart][data-drawn=true]').waitFor({ timeout: 60000 });
  await page.getByLabel('Scenario name').fill('Add amlodipine, 80% adherence');
  await page.getByLabel('Change', { exact: true }).selectOption('start_drug');
  await page.getByLabel('Drug class').selectOption('calcium_channel_blocker');
  await page.getByLabel('Adherence (%)').fill('180');
  assert.match(await page.locator('.invalid').first().innerText(), /Adherence must be between 0 and 100/, 'inline validation');
  assert.ok(await page.getByRole('button', { name: 'Add change' }).isDisabled());
  await page.getByLabel('Adherence (%)').fill('80');
  await page.getByRole('button', { name: 'Add change' }).click();
  await page.evaluate(() => performance.mark('e2e:save-scenario'));
  await page.getByRole('button', { name: 'Save scenario' }).click();

  // 5. Comparison with current treatment.
  await page.getByTestId('difference-table').waitFor({ timeout: 60000 });
  await page.locator('[data-testid=comparison-chart][data-drawn=true]').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=comparison-chart] .scatterlayer .trace').length >= 6);
  timings.scenarioEditToComparisonMs = await page.evaluate(() => performance.now() - performance.getEntriesByName('e2e:save-scenario')[0].startTime);
  const table = await page.getByTestId('difference-table').innerText();
  assert.match(table, /Add amlodipine, 80% adherence/);
  assert.match(table, /Systolic BP/);
  const sbpCell = await page.getByTestId('diff-1-sbp-12').innerText();
  const sbpDiff = Number.parseFloat(/([-+]?\d+\.\d) mmHg/.exec(sbpCell)?.[1] ?? 'NaN');
  assert.ok(sbpDiff < -2 && sbpDiff > -20, `amlodipine at 80 % lowers SBP at 1 year by a plausible amount (${sbpDiff} mmHg)`);
  // A risk difference is in percentage points, with its relative size and the number needed to treat.
  const riskCell = await page.getByTestId('diff-1-event_risk-120').innerText();
  assert.match(riskCell, /^-\d+\.\d pp/, `risk difference in percentage points: ${riskCell}`);
  assert.match(riskCell, /-\d+ % rel\./, `and relative: ${riskCell}`);
  assert.match(riskCell, /NNT \d+/, `and the number needed to treat: ${riskCell}`);
  await page.getByTestId('difference-table').screenshot({ path: join(outDir, '04d-difference-table.png') });
  // Outside heart failure the outcome is a major cardiovascular event at the horizon, with its band.
  assert.equal(await page.getByTestId('risk-panel').locator('h3').innerText(), 'Major cardiovascular event risk by 10 years');
  assert.match(await page.getByTestId('risk-values').innerText(), /Add amlodipine, 80% adherence\s+\d+\.\d %\s+\d+\.\d–\d+\.\d/);
  await page.locator('[data-testid=risk-bars][data-drawn=true]').waitFor();
  await page.getByTestId('risk-panel').screenshot({ path: join(outDir, '04h-risk-panel.png') });

  // 6. The explanation of the difference.
  const explanation = await page.getByTestId('scenario-explanation').innerText();
  assert.match(explanation, /systolic BP [\d.]+ mmHg lower/);
  assert.match(explanation, /Law MR et al\. BMJ 2009/);
  const sources = await page.getByTestId('projection-sources').innerText();
  assert.match(sources, /Law MR et al\. BMJ 2003/, 'the references the projection used are listed');
  assert.match(sources, /BPLTTC, Lancet 2021/);
  // The learned model's correction, kept apart from the engine's projection and labelled.
  const learned = page.getByTestId('learned-panel');
  await learned.locator('summary').click();
  assert.match(await learned.innerText(), /synthetic patients[\s\S]*not clinically validated[\s\S]*Learned adds/);
  await page.locator('[data-testid=learned-paths][data-drawn=true]').first().waitFor();
  const paths = await page.locator('[data-testid=learned-paths]').first().locator('.scatterlayer .trace').count();
  assert.equal(paths, 22, 'twenty sampled paths, the hybrid mean and the engine mean');
  assert.match(await page.getByTestId('hindcast-sentence').innerText(), /off by [\d.]+ mmHg on average for systolic BP/);
  await page.getByTestId('hindcast-sentence').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(outDir, '04c-hindcast-sentence.png') });
  assert.match(await page.getByTestId('projection-backend').innerText(), /Computed on this computer’s (processor|graphics card)/);
  await learned.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(outDir, '04b-learned-correction.png') });
  await page.getByTestId('comparison-chart').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(outDir, '04-comparison.png') });
  await page.getByTestId('scenario-explanation').scrollIntoViewIfNeeded();
  await check(page, '04-scenarios');

  // A large ensemble shows its progress and stops on Cancel, on the server too.
  await page.getByLabel('Ensemble members').fill('100000');
  await page.getByRole('progressbar').waitFor({ timeout: 30000 });
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByText('Stopped: the projection was cancelled.').waitFor();
  await page.getByLabel('Ensemble members').fill('1000');
  await page.getByTestId('difference-table').waitFor();

  // The scenario was saved in the data folder and comes back after a reload.
  await page.reload();
  await page.getByRole('checkbox', { name: 'Add amlodipine, 80% adherence' }).waitFor();

  // 6b. A treat-to-target strategy: SBP below 130 mmHg, reviewed every 3 months, the default
  // drug sequence; the builder checks it as the server does and keeps drug changes out of it.
  await page.getByLabel('Scenario name').fill('Treat to SBP below 130, 3-monthly reviews');
  await page.getByLabel('Treat to an SBP target').check();
  const sequence = page.getByRole('list', { name: 'BP drug sequence, in the order added' });
  assert.deepEqual(
    (await sequence.getByRole('listitem').allInnerTexts()).map((t) => t.split('\n')[0].replace(/\s*↑.*$/, '').trim()),
    ['ACE inhibitor', 'Calcium-channel blocker', 'Thiazide diuretic', 'Mineralocorticoid receptor antagonist', 'Beta-blocker'],
    'the default sequence, in order',
  );
  await page.getByLabel('SBP target (mmHg)').fill('85');
  await page.getByText('The SBP target must be 90–180 mmHg.').waitFor();
  assert.ok(await page.getByRole('button', { name: 'Save scenario' }).isDisabled(), 'an out-of-range target cannot be saved');
  await page.getByLabel('SBP target (mmHg)').fill('130');
  await page.getByLabel('BP review every (months)').fill('3');
  await page.getByLabel('Change', { exact: true }).selectOption('start_drug');
  await page.getByText(/the strategy chooses the drugs/).waitFor();
  assert.ok(await page.getByRole('button', { name: 'Add change' }).isDisabled(), 'no drug change beside a strategy');
  await page.getByTestId('strategy-fields').scrollIntoViewIfNeeded();
  await check(page, '04f-strategy-builder');
  await page.getByRole('button', { name: 'Save scenario' }).click();
  // Compared with current treatment alone.
  await page.getByRole('checkbox', { name: 'Treat to SBP below 130, 3-monthly reviews' }).waitFor();
  await page.getByRole('checkbox', { name: 'Add amlodipine, 80% adherence' }).uncheck();
  const strategyTable = page.getByTestId('difference-table').filter({ hasText: 'Treat to SBP below 130' });
  await strategyTable.waitFor({ timeout: 120000 });
  assert.equal(await page.getByTestId('difference-table').count(), 1, 'the strategy against current treatment only');
  const strategySbp = Number.parseFloat(/([-+]?\d+\.\d) mmHg/.exec(await page.getByTestId('diff-1-sbp-12').innerText())?.[1] ?? 'NaN');
  assert.ok(strategySbp < -5, `the strategy lowers SBP at 1 year (${strategySbp} mmHg)`);
  const drugCell = await page.getByTestId('diff-1-bp_drugs-12').innerText();
  const drugsAdded = Number.parseFloat(/^\+(\d+(?:\.\d)?) class/.exec(drugCell)?.[1] ?? 'NaN');
  assert.ok(drugsAdded >= 1, `the strategy adds BP-lowering classes by 1 year: ${drugCell}`);
  assert.match(await page.getByTestId('diff-1-event_risk-120').innerText(), /^-\d+\.\d pp/, 'and lowers the event risk');
  const strategyWords = await page.getByTestId('scenario-explanation').innerText();
  assert.match(strategyWords, /is a treat-to-target strategy \(SBP < 130 mmHg, reviewed every 3 months/);
  assert.match(strategyWords, /effect is the strategy's as a whole/);
  assert.match(strategyWords, /After 1 year, \d+% of simulated courses have systolic BP below 130 mmHg, on/);
  assert.match(strategyWords, /the treat-to-target strategy as a whole/, 'the contribution table does not split it');
  assert.match(await page.getByTestId('projection-backend').innerText(), /Computed on this computer’s (processor|graphics card)/);
  // The number of BP-lowering drugs over time, median and band, as steps.
  await page.getByLabel('Output', { exact: true }).selectOption('bp_drugs');
  await page.locator('[data-testid=comparison-chart][data-drawn=true]').waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid=comparison-chart] .chart-title')?.textContent?.startsWith('BP-lowering drugs'));
  await page.getByTestId('comparison-chart').scrollIntoViewIfNeeded();
  await check(page, '04e-strategy-compare');
  await strategyTable.screenshot({ path: join(outDir, '04g-strategy-difference-table.png') });
  await page.getByLabel('Output', { exact: true }).selectOption('sbp');

  // 7. Risk explanation.
  await page.getByRole('link', { name: 'Risk explanation' }).click();
  await page.locator('[data-testid=risk-waterfall][data-drawn=true]').waitFor();
  assert.match(await page.getByTestId('risk-summary').innerText(), /\d+\.\d %/);
  await page.getByLabel('Equation').selectOption('pce');
  assert.match(await page.getByTestId('risk-summary').innerText(), /race group is not known/, 'the PCE say what they lack');
  await page.getByLabel('Race group (PCE)').selectOption('white');
  await page.locator('[data-testid=risk-waterfall][data-drawn=true]').waitFor();
  assert.match(await page.getByTestId('risk-explanation').innerText(), /PCE/);
  assert.match(await page.getByTestId('selected-model').innerText(), /Model for this patient: PREVENT/);
  await check(page, '05-explain');
  const id = await page.evaluate(() => decodeURIComponent(location.pathname.split('/')[2] ?? ''));

  // The heart-failure patient's explanation opens on MAGGIC, the model meant for him.
  await page.getByRole('link', { name: 'CardioTwin' }).click();
  await page.getByTestId('patient-row').filter({ hasText: 'Miguel Ortega' }).first().locator('th a').click();
  await page.locator('[data-testid=timeline-chart][data-drawn=true]').waitFor();
  await page.getByRole('link', { name: 'Risk explanation' }).click();
  await page.getByTestId('maggic-summary').waitFor();
  assert.match(await page.getByTestId('selected-model').innerText(), /Model for this patient: MAGGIC/);
  assert.match(await page.getByTestId('maggic-summary').innerText(), /death within 3 years/);
  assert.match(await page.getByTestId('maggic-points').innerText(), /NYHA class\s+2/);
  await page.getByText(/Equation: Pocock SJ et al\./).waitFor();
  await check(page, '05b-explain-heart-failure');

  // The atrial-fibrillation patient's explanation (demo patient 09, Ingrid Halvorsen): CHA₂DS₂-VA,
  // CHA₂DS₂-VASc and HAS-BLED with each item's input, and a note that the event equations leave
  // atrial fibrillation out.
  await page.getByRole('link', { name: 'CardioTwin' }).click();
  await page.getByTestId('patient-row').filter({ hasText: 'Ingrid Halvorsen' }).first().locator('th a').click();
  await page.locator('[data-testid=timeline-chart][data-drawn=true]').waitFor();
  await page.getByRole('link', { name: 'Risk explanation' }).click();
  await page.getByTestId('af-scores').waitFor();
  assert.equal(await page.getByTestId('af-cha2ds2Va').locator('h3').innerText(), 'CHA₂DS₂-VA: 2 of 8');
  assert.equal(await page.getByTestId('af-cha2ds2Vasc').locator('h3').innerText(), 'CHA₂DS₂-VASc: 3 of 9');
  assert.equal(await page.getByTestId('af-hasBled').locator('h3').innerText(), 'HAS-BLED: 1 of 9');
  assert.match(await page.getByTestId('af-hasBled').innerText(), /133 mmHg\s+31 Mar 2026/);
  assert.match(await page.getByTestId('af-event-note').innerText(), /not modelled in the projected event risk/);
  await check(page, '05c-explain-atrial-fibrillation', { fullPage: true });

  // 6. Risk heatmap: event risk over SBP × LDL-C lowering; a cell opens as a scenario.
  await page.getByRole('link', { name: 'CardioTwin' }).click();
  await page.getByTestId('patient-row').filter({ hasText: 'Walter Brennan' }).first().locator('th a').click();
  await page.getByRole('link', { name: 'Risk heatmap' }).click();
  // A large grid draws its rows as they finish, and stops on Cancel.
  await page.getByLabel('Cells a side', { exact: true }).selectOption('32');
  await page.getByLabel('Courses per cell', { exact: true }).selectOption('1000');
  await page.getByRole('button', { name: 'Compute' }).click();
  await page.locator('[data-testid=risk-heatmap-partial][data-drawn=true]').waitFor({ timeout: 60000 });
  await check(page, '05c-heatmap-rows-arriving');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('alert').filter({ hasText: /cancelled/ }).waitFor({ timeout: 60000 });
  await page.getByLabel('Cells a side', { exact: true }).selectOption('8');
  await page.getByLabel('Courses per cell', { exact: true }).selectOption('200');
  await page.getByRole('button', { name: 'Compute' }).click();
  await page.locator('[data-testid=risk-heatmap][data-drawn=true]').waitFor({ timeout: 60000 });
  assert.match(await page.getByTestId('heatmap-meta').innerText(), /Computed on this computer’s (processor|graphics card)/);
  await check(page, '05c-heatmap');
  const drag = page.locator('[data-testid=risk-heatmap] .nsewdrag').first();
  const box = await drag.boundingBox();
  await page.mouse.click(box.x + box.width * 0.9, box.y + box.height * 0.1);
  await page.getByRole('checkbox', { name: /SBP −\d+ mmHg, LDL-C −\d+%/ }).waitFor();

  // 14. Heatmap → comparison by keyboard, and four scenarios compared (tests/e2e/compare.mjs).
  await heatmapToFourWayComparison({ page, check, outDir, timings });

  // The SBP-target axis: each cell a treat-to-target strategy (on the CPU, by design); it does
  // not pair with an axis that sets drugs.
  await page.getByRole('link', { name: 'Risk heatmap' }).click();
  await page.getByLabel('Across', { exact: true }).selectOption('sbpTarget');
  await page.getByLabel('Up', { exact: true }).selectOption('ldlLowering');
  await page.getByRole('button', { name: 'Compute' }).click();
  await page.getByRole('alert').filter({ hasText: /chooses the drugs itself/ }).waitFor();
  await page.getByLabel('Up', { exact: true }).selectOption('exercise');
  await page.getByLabel('Cells a side', { exact: true }).selectOption('8');
  await page.getByLabel('Courses per cell', { exact: true }).selectOption('200');
  await page.getByRole('button', { name: 'Compute' }).click();
  await page.locator('[data-testid=risk-heatmap][data-drawn=true]').waitFor({ timeout: 180000 });
  const targetMeta = await page.getByTestId('heatmap-meta').innerText();
  assert.match(targetMeta, /treat-to-target strategy/);
  assert.match(targetMeta, /Computed on this computer’s (processor|graphics card)/);
  await check(page, '05d-heatmap-sbp-target');

  // 8. Suggestion and decision: decline with a reason; the decision is in the history and in the
  // audit log on disk, which verifies.
  await page.getByRole('link', { name: 'CardioTwin' }).click();
  await page.getByTestId('patient-row').filter({ hasText: 'Walter Brennan' }).first().locator('th a').click();
  await page.getByRole('link', { name: 'Suggestion & decision' }).click();
  await page.getByTestId('suggestion').waitFor({ timeout: 60000 });
  assert.match(await page.getByTestId('suggestion-why').innerText(), /\S/);
  assert.match(await page.getByTestId('suggestion-effects').innerText(), /Systolic BP/);
  // The regimen on record is checked before anything is proposed: Walter's lisinopril alone is safe.
  const walterAlerts = page.getByRole('region', { name: 'Alerts in today’s regimen' });
  assert.match(await walterAlerts.innerText(), /None: the regimen on record passes all \d+ safety rules/);
  // The plan as steps: an ordered list, the first step now, naming a drug with its mg and schedule;
  // each later step at a review, if still above target.
  const planSteps = page.getByRole('list', { name: 'The plan, step by step' });
  assert.equal(await planSteps.evaluate((el) => el.tagName), 'OL', 'the steps are an ordered list');
  const stepItems = planSteps.getByTestId('plan-step');
  const nSteps = await stepItems.count();
  assert.ok(nSteps >= 2, `a stepwise plan (${nSteps} steps)`);
  assert.match(await stepItems.first().locator('h4').innerText(), /^Step 1: Now\b/);
  const firstChanges = await stepItems.first().getByTestId('plan-changes').innerText();
  assert.match(firstChanges, /\b(Start|Raise to) [a-z]+ \d+(\.\d+)? mg (once|twice) daily \(/, `the first step names a drug and its dose: ${firstChanges}`);
  assert.match(await stepItems.nth(1).locator('h4').innerText(), /^Step 2: At the \d+-month review, if (SBP|LDL-C) is still/);
  assert.match(await stepItems.first().innerText(), /Checks:/, 'the first step lists its checks');
  assert.match(await page.getByTestId('suggestion-risk').innerText(), /10-year event risk [\d.]+% → [\d.]+%: -[\d.]+ pp \(5–95%: .*NNT \d+/);
  assert.match(await page.getByTestId('targets').innerText(), /Blood pressure\s+ESC 2024: below 1\d\d\/\d\d mmHg/);
  await page.screenshot({ path: join(outDir, '06-decide-plan.png') });
  await page.locator('#plan-title').evaluate((el) => { el.scrollIntoView({ block: 'start' }); });
  await page.screenshot({ path: join(outDir, '06-decide-plan-steps.png') });
  await page.getByRole('radio', { name: 'Declined' }).check();
  await page.getByRole('button', { name: 'Record decision' }).click();
  await page.getByText(/Give a reason/).waitFor();
  await page.getByLabel('Reason (required)').fill('Patient prefers to try salt reduction first');
  await page.getByRole('button', { name: 'Record decision' }).click();
  await page.getByTestId('decision-recorded').waitFor();
  await page.getByTestId('decision-history').getByText('Patient prefers to try salt reduction first').waitFor();
  assert.match(await page.getByTestId('audit-verify').innerText(), /hash chain intact/);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export the log as FHIR AuditEvent/Provenance' }).click();
  const saved = await (await download).path();
  const exported = JSON.parse(readFileSync(saved, 'utf8'));
  assert.equal(exported.resourceType, 'Bundle');
  assert.ok(exported.entry.some((e) => e.resource.resourceType === 'AuditEvent'), 'AuditEvent in the export');
  assert.ok(exported.entry.some((e) => e.resource.resourceType === 'Provenance'), 'Provenance in the export');
  await check(page, '06-decide', { fullPage: true });
  // Modify: the suggestion becomes a scenario the clinician edits, then is chosen as the regimen
  // (the form closed once the decline was recorded: another decision is asked for explicitly).
  await page.getByRole('button', { name: 'Record another decision' }).click();
  await page.getByRole('radio', { name: 'Modified' }).check();
  await page.getByRole('button', { name: 'Edit the suggestion as a new scenario' }).click();
  await page.getByRole('checkbox', { name: /^Modified: / }).waitFor();
  await page.getByRole('link', { name: 'Suggestion & decision' }).click();
  await page.getByTestId('suggestion').waitFor({ timeout: 60000 });
  await page.getByRole('radio', { name: 'Modified' }).check();
  const chosen = page.getByLabel('The regimen you chose instead (a saved scenario)');
  const edited = (await chosen.locator('option', { hasText: 'Modified: ' }).first().innerText()).trim();
  await chosen.selectOption({ label: edited });
  await page.getByLabel('Reason (required)').fill('Ezetimibe deferred until the next lipid panel');
  await page.getByRole('button', { name: 'Record decision' }).click();
  await page.getByTestId('decision-history').getByText('Ezetimibe deferred until the next lipid panel').waitFor();
  const history = await page.getByTestId('decision-history').innerText();
  assert.match(history, /Modified: /);
  assert.doesNotMatch(history, /Modified: Modified: /, 'the history says "Modified" once');
  const listed = await new Promise((resolveList, reject) => {
    const child = spawn(binary, ['audit', 'list', '--data-dir', dataDir, '--format', 'json', '--as-of', AS_OF], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('exit', (code) => (code === 0 ? resolveList(out) : reject(new Error(`audit list exited ${code}: ${err}`))));
  });
  const entries = JSON.parse(listed);
  assert.ok(entries.some((e) => e.decision === 'declined' && e.reason === 'Patient prefers to try salt reduction first'), 'the CLI reads the decision from the same data folder');

  // 8b. From the decision just recorded to the patient view: its plan selected, nothing chosen yet.
  await decisionToPatientViewSection(page, { check });

  // 9. Patient view (issue 29): nothing patient-facing until the clinician chooses what it shows;
  // the plan as modified in the decision, in plain words, previewed and printed; today's treatment
  // with a high blood pressure not reassured; then the clinician summary, printed to PDF.
  await patientViewSection(page, { outDir, check });

  // 9b. A hazard already in the record: an edited copy of Walter's bundle (another patient, on
  // lisinopril and losartan) imported through the app. The decision screen leads with the dual
  // RAAS blockade as a contraindication, before the plan, whose first step stops one of the two.
  const dual = JSON.parse(readFileSync(resolve('assets/demo/01-uncontrolled-hypertension.json'), 'utf8').replaceAll('ct-demo-01', 'ct-e2e-dual-raas'));
  const medication = dual.entry.find((e) => e.resource.resourceType === 'MedicationRequest');
  const losartan = structuredClone(medication);
  losartan.fullUrl = `${medication.fullUrl}-losartan`;
  losartan.request.url = `${medication.request.url}-losartan`;
  losartan.resource.id = `${medication.resource.id}-losartan`;
  losartan.resource.authoredOn = '2024-06-01';
  losartan.resource.medicationCodeableConcept = { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '52175', display: 'losartan' }], text: 'losartan 50 mg once daily' };
  const dose = losartan.resource.dosageInstruction[0];
  dose.text = 'losartan 50 mg once daily';
  dose.doseAndRate[0].doseQuantity.value = 50;
  dose.timing.repeat.boundsPeriod.start = '2024-06-01';
  dual.entry.push(losartan);
  const patientEntry = dual.entry.find((e) => e.resource.resourceType === 'Patient');
  patientEntry.resource.name = [{ use: 'official', family: 'Kessler', given: ['Arthur'] }];
  patientEntry.resource.identifier[0].value = 'e2e-dual-raas-copy-of-01';
  const dualFile = join(bundleDir, 'dual-raas.json');
  writeFileSync(dualFile, JSON.stringify(dual));
  await page.getByRole('link', { name: 'CardioTwin' }).click();
  await page.getByTestId('patient-row').nth(11).waitFor();
  await page.getByLabel('Import a FHIR bundle into the offline cache').setInputFiles(dualFile);
  await page.getByText(/Imported .* into the encrypted cache/).waitFor();
  await page.getByTestId('patient-row').filter({ hasText: 'Arthur Kessler' }).locator('th a').click();
  await page.getByRole('link', { name: 'Suggestion & decision' }).click();
  await page.getByTestId('suggestion').waitFor({ timeout: 60000 });
  const dualAlerts = page.getByRole('region', { name: 'Alerts in today’s regimen' });
  const dualText = await dualAlerts.innerText();
  assert.match(dualText, /Contraindicated in today’s regimen\s+lisinopril \+ losartan: dual RAAS blockade/, dualText);
  assert.match(dualText, /Source: ONTARGET/);
  assert.match(await dualAlerts.getByRole('alert').innerText(), /dual RAAS blockade/, 'a contraindication on record is announced');
  const before = await dualAlerts.evaluate((el) => Boolean(el.compareDocumentPosition(document.querySelector('[data-testid=suggestion]')) & Node.DOCUMENT_POSITION_FOLLOWING));
  assert.ok(before, 'the alert comes before the plan');
  const dualFirst = page.getByRole('list', { name: 'The plan, step by step' }).getByTestId('plan-step').first();
  assert.match(await dualFirst.locator('h4').innerText(), /^Step 1: Now\b/);
  const stops = await dualFirst.locator('[data-action=stop]').allInnerTexts();
  assert.ok(stops.some((t) => /^Stop (losartan|lisinopril|ARB|ACE inhibitor)\b/.test(t)), `the first step stops one of the two: ${stops.join('; ')}`);
  await check(page, '06-decide-current-alert');
  await page.locator('#plan-title').evaluate((el) => { el.scrollIntoView({ block: 'start' }); });
  await page.screenshot({ path: join(outDir, '06-decide-current-alert-plan.png') });

  // 9c. Heart failure (demo patient 03, Miguel Ortega, HFrEF, EF 35 %): the outcome is death from
  // any cause with a first HF hospitalisation beside it, read at MAGGIC's 3 years, never 10.
  await page.getByRole('link', { name: 'CardioTwin' }).click();
  await page.getByTestId('patient-row').nth(11).waitFor();
  await page.getByTestId('patient-row').filter({ hasText: 'Miguel Ortega' }).first().locator('th a').click();
  await page.locator('[data-testid=timeline-chart][data-drawn=true]').waitFor();
  await page.getByRole('link', { name: 'Suggestion & decision' }).click();
  await page.getByTestId('suggestion').waitFor({ timeout: 60000 });
  const hfSteps = page.getByRole('list', { name: 'The plan, step by step' }).getByTestId('plan-step');
  const hfFirst = await hfSteps.first().getByTestId('plan-changes').innerText();
  assert.match(hfFirst, /sacubitril\/valsartan \d+\/\d+ mg twice daily/, `the first step starts sacubitril/valsartan: ${hfFirst}`);
  assert.match(hfFirst, /ICD assessment|CRT assessment/, `and assesses for a device: ${hfFirst}`);
  const hfOutcomes = page.getByTestId('suggestion-risk');
  const band = String.raw`\d+\.\d %\s+\d+\.\d %\s+-\d+\.\d pp \(-\d+\.\d to -\d+\.\d\)\s+-\d+ % relative\s+NNT \d+ over 3 years`;
  assert.match(await hfOutcomes.getByTestId('outcome-event_risk').innerText(), new RegExp(String.raw`^Death from any cause\s+${band}`), 'death from any cause: today, the plan, the change with its band and NNT');
  assert.match(await hfOutcomes.getByTestId('outcome-hf_hospitalisation').innerText(), new RegExp(String.raw`^First HF hospitalisation\s+${band}`), 'a first HF hospitalisation likewise');
  assert.match(await hfOutcomes.locator('caption').innerText(), /within 3 years/);
  const hfAlternatives = page.getByTestId('alternatives');
  if (await hfAlternatives.count()) {
    const head = await hfAlternatives.locator('thead').innerText();
    assert.match(head, /Death from any cause, 3 years\s+First HF hospitalisation, 3 years/, head);
  }
  const hfDecide = await page.locator('main').innerText();
  assert.doesNotMatch(hfDecide, /10-year|major cardiovascular event/i, 'no 10-year or CV-event wording for heart failure');
  await check(page, '08-hf-decide');
  await page.getByTestId('suggestion').screenshot({ path: join(outDir, '08-hf-decide.png') });

  // His comparison: ramipril switched to sacubitril/valsartan, taken as prescribed.
  await page.getByRole('link', { name: 'Scenarios & comparison' }).click();
  await page.locator('[data-testid=comparison-chart][data-drawn=true]').waitFor({ timeout: 60000 });
  await page.getByLabel('Scenario name').fill('Switch ramipril to sacubitril/valsartan');
  await page.getByLabel('Change', { exact: true }).selectOption('stop_drug');
  await page.getByLabel('Drug class').selectOption('ace_inhibitor');
  await page.getByRole('button', { name: 'Add change' }).click();
  await page.getByLabel('Change', { exact: true }).selectOption('start_drug');
  await page.getByLabel('Drug class').selectOption('arni');
  await page.getByLabel('Persistence').selectOption('as_prescribed');
  await page.getByRole('button', { name: 'Add change' }).click();
  await page.getByRole('button', { name: 'Save scenario' }).click();
  const hfTable = page.getByTestId('difference-table').filter({ hasText: 'Switch ramipril to sacubitril/valsartan' });
  await hfTable.waitFor({ timeout: 120000 });
  const riskPanel = page.getByTestId('risk-panel');
  assert.equal(await riskPanel.locator('h3').innerText(), 'Death from any cause and first HF hospitalisation at 3 years');
  const riskValues = await page.getByTestId('risk-values').innerText();
  assert.match(riskValues, /Death from any cause\s+First HF hospitalisation/, riskValues);
  assert.match(riskValues, /Current treatment\s+\d+\.\d %\s+\d+\.\d–\d+\.\d\s+\d+\.\d %\s+\d+\.\d–\d+\.\d/, `medians with 5–95 % bands: ${riskValues}`);
  for (const output of ['event_risk', 'hf_hospitalisation']) {
    const cell = await page.getByTestId(`diff-1-${output}-36`).innerText();
    assert.match(cell, /^-\d+\.\d pp\s+-?\d+\.\d to -?\d+\.\d\s+-\d+ % rel\.\s+NNT \d+/, `${output} at 3 years: points, band, relative, NNT: ${cell}`);
    assert.equal(await page.getByTestId(`diff-past-${output}`).innerText(), 'Not read past 3 years (MAGGIC’s horizon)');
  }
  assert.match(await hfTable.innerText(), /Death from any cause \(cumulative\)[\s\S]*First HF hospitalisation \(cumulative\)/);
  await page.locator('[data-testid=risk-bars][data-drawn=true]').waitFor();
  const hfCompare = await page.getByTestId('comparison').innerText();
  assert.doesNotMatch(hfCompare, /10-year|Major cardiovascular event/, 'no 10-year or CV-event wording for heart failure');
  await page.getByTestId('risk-panel').scrollIntoViewIfNeeded();
  await check(page, '09-hf-compare-axe');
  await page.getByTestId('risk-panel').screenshot({ path: join(outDir, '09-hf-compare.png') });
  // Death from any cause over time, to MAGGIC's 3 years.
  await page.getByLabel('Output', { exact: true }).selectOption('event_risk');
  await page.waitForFunction(() => document.querySelector('[data-testid=comparison-chart] .chart-title')?.textContent?.startsWith('Death from any cause'));
  await page.getByTestId('comparison-chart').scrollIntoViewIfNeeded();
  await page.getByTestId('comparison-chart').screenshot({ path: join(outDir, '09b-hf-death-over-time.png') });
  await page.getByLabel('Output', { exact: true }).selectOption('sbp');

  // His heatmap: each cell is 3-year death from any cause; adherence to his drugs moves it.
  await page.getByRole('link', { name: 'Risk heatmap' }).click();
  await page.getByLabel('Across', { exact: true }).selectOption('adherence');
  await page.getByLabel('Up', { exact: true }).selectOption('sbpLowering');
  await page.getByLabel('Cells a side', { exact: true }).selectOption('8');
  await page.getByLabel('Courses per cell', { exact: true }).selectOption('200');
  await page.getByRole('button', { name: 'Compute' }).click();
  await page.locator('[data-testid=risk-heatmap][data-drawn=true]').waitFor({ timeout: 120000 });
  assert.match(await page.locator('[data-testid=risk-heatmap] .chart-title').textContent(), /^3-year death from any cause \(median of 200 simulated courses per cell\)/);
  assert.equal((await page.locator('[data-testid=risk-heatmap] .cbtitle').textContent())?.trim(), 'death, %');
  assert.match(await page.getByTestId('heatmap-meta').innerText(), /chance of death from any cause within 3 years/);
  assert.match(await page.getByTestId('heatmap-note').innerText(), /death from any cause at 3 years/, 'the backend says which axes leave death unchanged');
  await check(page, '09c-hf-heatmap');

  // The cardiologist switches to sacubitril/valsartan first and titrates later: the switch is
  // recorded as a modification of the plan, and his patient view compares it with today's.
  await page.getByRole('link', { name: 'Suggestion & decision' }).click();
  await page.getByTestId('suggestion').waitFor({ timeout: 60000 });
  await page.getByRole('radio', { name: 'Modified' }).check();
  await page.getByLabel('The regimen you chose instead (a saved scenario)').selectOption({ label: 'Switch ramipril to sacubitril/valsartan' });
  await page.getByLabel('Reason (required)').fill('Switch first; titrate and refer for device assessment at the 1-month review');
  await page.getByRole('button', { name: 'Record decision' }).click();
  await page.getByTestId('decision-history').getByText('Switch first; titrate and refer').waitFor();

  // His patient view: the clinician shows the switch; the chances in plain words, over 3 years.
  await page.getByRole('link', { name: 'Patient view' }).click();
  await page.getByRole('radio', { name: /^The plan as modified in the decision of / }).check();
  await page.getByRole('button', { name: 'Show this to the patient' }).click();
  const chances = page.getByTestId('patient-view-chances');
  await chances.waitFor({ timeout: 60000 });
  const chanceText = await chances.innerText();
  assert.match(chanceText, /Chance of dying from any cause in the next 3 years\s+(about )?\d+( to \d+)? in 100/, chanceText);
  assert.match(chanceText, /Chance of being admitted to hospital for heart failure in the next 3 years\s+(about )?\d+( to \d+)? in 100/, chanceText);
  assert.match(chanceText, /The chosen plan/, 'today against the plan chosen');
  assert.match(await page.getByTestId('patient-view-steps').innerText(), /sacubitril\/valsartan/, 'the plan chosen, in plain words');
  assert.doesNotMatch(await page.getByTestId('patient-view-table').innerText(), /heart attack or stroke/);
  await check(page, '10-hf-patient-view', { fullPage: true });

  // 10. Settings and EHR: a saved connection survives a reload; an EHR that does not answer is
  // reported offline while cached patients stay available; removing it removes it.
  await page.getByRole('link', { name: 'Settings & EHR' }).click();
  await page.getByTestId('settings-facts').waitFor();
  assert.match(await page.getByTestId('settings-facts').innerText(), /Computed on this computer’s (processor|graphics card)/);
  await page.getByLabel('Name', { exact: true }).fill('Ward EHR (test)');
  await page.getByLabel('FHIR base URL').fill('http://127.0.0.1:9/fhir');
  await page.getByRole('button', { name: 'Save connection' }).click();
  await page.getByTestId('connection').filter({ hasText: 'Ward EHR (test)' }).waitFor();
  await page.reload();
  const ward = page.getByTestId('connection').filter({ hasText: 'Ward EHR (test)' });
  await ward.waitFor();
  await ward.getByRole('button', { name: 'Check connection' }).click();
  await ward.getByTestId('connection-status').waitFor();
  assert.match(await ward.getByTestId('connection-status').innerText(), /Offline: .*cached patients are still available/);
  await check(page, '08-settings');
  // 10a. Filing the summary in that EHR fails, and the attempt is logged (issue 29).
  await writeBackLogSection(page, { check, outDir, ehrName: 'Ward EHR (test)' });
  await ward.getByRole('button', { name: 'Remove' }).click();
  await page.getByText('No EHR saved yet').waitFor();

  // The stale-data limits are a setting: a limit of 0 is refused; a year for BP is saved, and
  // Walter's 8-month-old BP is no longer flagged.
  const limits = page.getByTestId('stale-limits');
  const bpLimit = limits.getByLabel('Blood pressure (months)');
  assert.equal(await bpLimit.inputValue(), '3', 'the default BP limit');
  await bpLimit.fill('0');
  await limits.getByText('Enter from 1 to 120 months').waitFor();
  assert.ok(await limits.getByRole('button', { name: 'Save limits' }).isDisabled(), 'a limit of 0 cannot be saved');
  await bpLimit.fill('12');
  await limits.getByRole('button', { name: 'Save limits' }).click();
  await limits.getByTestId('limits-saved').waitFor();
  await limits.scrollIntoViewIfNeeded();
  await limits.screenshot({ path: join(outDir, '08b-stale-limits.png') });
  const apiToken = new URL(url).hash.replace('#token=', '');
  const twinAnswer = await (await fetch(`${origin}/api/twin`, { method: 'POST', body: JSON.stringify({ id }), headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' } })).json();
  assert.deepEqual(twinAnswer.freshness.staleInputs.map((i) => i.measure), ['ldl_cholesterol', 'hdl_cholesterol', 'total_cholesterol', 'kidney_function', 'hba1c']);

  // The clinician and their preferences (h4): the name the decision log records, cholesterol in
  // mg/dL on every screen, SCORE2's default region; then back to mmol/L for the steps after.
  const prefs = page.getByTestId('preferences');
  await prefs.getByLabel('Name shown in the decision log').fill('Dr Ana Silva');
  await prefs.getByLabel('Role (optional)').fill('consultant cardiologist');
  await prefs.getByLabel('mg/dL').check();
  await prefs.getByLabel('ESC risk region for SCORE2').selectOption('moderate');
  await prefs.getByRole('button', { name: 'Save preferences' }).click();
  await prefs.getByTestId('preferences-saved').waitFor();
  assert.match(await prefs.getByTestId('guideline-targets').innerText(), /LDL cholesterol\s+Very high risk.*\s+below 55 mg\/dL/);
  await prefs.scrollIntoViewIfNeeded();
  await check(page, '16-settings');
  await prefs.screenshot({ path: join(outDir, '16b-preferences.png') });
  const prefAnswer = await (await fetch(`${origin}/api/settings`, { method: 'POST', body: '{}', headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' } })).json();
  assert.deepEqual(prefAnswer.preferences.clinician, { displayName: 'Dr Ana Silva', role: 'consultant cardiologist', identifier: null });
  await prefs.getByLabel('mmol/L').check();
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/savePreferences') && r.status() === 200),
    prefs.getByRole('button', { name: 'Save preferences' }).click(),
  ]);
  // The guideline set drives the suggestion (tests/e2e/guideline.mjs); ESC again after it.
  await guidelineSection(page, { check });

  // Time for the API alone: one simulate call at 1000 members × 120 months.
  const token = new URL(url).hash.replace('#token=', '');
  const body = JSON.stringify({ id, scenario: { name: 'Current treatment', interventions: [] }, ensemble: { months: 120, members: 1000, seed: 1 } });
  const samples = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const r = await fetch(`${origin}/api/simulate`, { method: 'POST', body, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
    assert.equal(r.status, 200);
    await r.json();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  timings.simulateApiMedianMs = samples[2];

  // 11. The scenario builder checks every field before saving and never loses what was typed;
  // saved scenarios are edited, duplicated and deleted (Walter, on lisinopril alone).
  await page.getByRole('link', { name: 'CardioTwin' }).click();
  await page.getByTestId('patient-row').filter({ hasText: 'Walter Brennan' }).first().locator('th a').click();
  await page.getByRole('link', { name: 'Scenarios & comparison' }).click();
  await page.locator('[data-testid=comparison-chart][data-drawn=true]').waitFor({ timeout: 60000 });
  const builder = page.getByTestId('scenario-builder');
  const kind = builder.getByLabel('Change', { exact: true });
  const classValues = () => builder.getByLabel('Drug class').locator('option').evaluateAll((os) => os.map((o) => o.value));
  // Only what applies: start a class not taken now; change or stop the one taken (lisinopril).
  await kind.selectOption('start_drug');
  const startable = await classValues();
  assert.ok(!startable.includes('ace_inhibitor') && startable.includes('calcium_channel_blocker'), `start offers classes not taken: ${startable}`);
  await kind.selectOption('stop_drug');
  assert.deepEqual(await classValues(), ['ace_inhibitor'], 'stop offers the class taken');
  await kind.selectOption('change_dose');
  assert.match((await builder.getByLabel('New dose').locator('option').allInnerTexts()).join(' | '), /lisinopril \d+ mg once daily/, 'doses on lisinopril’s ladder');
  // Empty, negative, huge and non-numeric text: each shown as typed with its problem, and nothing added.
  const addChange = builder.getByRole('button', { name: 'Add change' });
  const problemOf = async (field) => page.locator(`[id="${await field.getAttribute('aria-describedby')}"]`).innerText();
  await kind.selectOption('exercise');
  const minutes = builder.getByLabel('Minutes per week');
  for (const [text, message] of [['', /^Enter minutes of exercise a week\.$/], ['-5', /Exercise must be 0–600 minutes a week/], ['1e9', /0–600 minutes/], ['abc', /“abc” is not a number/]]) {
    await minutes.fill(text);
    assert.equal(await minutes.inputValue(), text, 'what was typed stays');
    assert.equal(await minutes.getAttribute('aria-invalid'), 'true');
    assert.match(await problemOf(minutes), message);
    assert.ok(await addChange.isDisabled(), `nothing is added with ${JSON.stringify(text)}`);
  }
  await minutes.fill('150');
  await builder.getByLabel('From month').fill('2.5');
  assert.match(await problemOf(builder.getByLabel('From month')), /whole number/);
  await builder.getByLabel('From month').fill('2');
  await addChange.click();
  await kind.selectOption('weight_change');
  const kg = builder.getByLabel('Change (kg, negative = loss)');
  await kg.fill('-45');
  assert.match(await problemOf(kg), /within ±30 kg/);
  await kg.fill('-6');
  await builder.getByLabel('Over (months)').fill('');
  assert.ok(await addChange.isDisabled());
  await builder.getByLabel('Over (months)').fill('9');
  await addChange.click();
  assert.deepEqual(await builder.getByRole('list', { name: 'Changes in this scenario' }).getByRole('listitem').allInnerTexts().then((t) => t.map((x) => x.split('\n')[0].replace(/\s*Edit\s*Remove.*$/, '').trim())), [
    'Exercise 150 min/week from month 2',
    'Weight -6 kg over 9 months from month 0',
  ]);
  // A name too long, then one already saved: refused at the field, Save off with the reasons.
  const scenarioName = builder.getByLabel('Scenario name');
  const save = builder.getByRole('button', { name: 'Save scenario' });
  await scenarioName.fill('x'.repeat(81));
  await builder.getByTestId('name-problem').filter({ hasText: 'Names are at most 80 characters: this one has 81.' }).waitFor();
  assert.ok(await save.isDisabled());
  await scenarioName.fill('add amlodipine, 80% adherence');
  await builder.getByTestId('name-problem').filter({ hasText: '“Add amlodipine, 80% adherence” is already saved: choose another name, or replace it.' }).waitFor();
  assert.ok(await save.isDisabled(), 'a name already saved is not overwritten');
  assert.equal(await scenarioName.getAttribute('aria-invalid'), 'true');
  await builder.getByRole('button', { name: 'Replace “Add amlodipine, 80% adherence”' }).waitFor();
  assert.equal(await builder.getByTestId('save-blocked').innerText(), 'Save is off until: the name is not one already saved (or replace that scenario).');
  await kind.selectOption('exercise');
  await minutes.fill('abc');
  await builder.scrollIntoViewIfNeeded();
  await check(page, '11-builder-validation');
  await minutes.fill('150');
  await scenarioName.fill('Walk 150 min, lose 6 kg');
  await page.evaluate(() => performance.mark('e2e:save-lifestyle'));
  await save.click();
  const walk = page.getByRole('checkbox', { name: 'Walk 150 min, lose 6 kg', exact: true });
  await walk.waitFor();
  assert.ok(await walk.isChecked(), 'a saved scenario is ticked for the comparison');
  await page.getByTestId('difference-table').filter({ hasText: 'Walk 150 min, lose 6 kg' }).waitFor({ timeout: 60000 });
  assert.equal(await scenarioName.inputValue(), '', 'the builder is cleared once saved');

  // Edit: loaded into the builder, one change edited, notes added, renamed; saved in its place.
  await page.getByRole('button', { name: 'Edit Walk 150 min, lose 6 kg', exact: true }).click();
  assert.equal(await scenarioName.inputValue(), 'Walk 150 min, lose 6 kg');
  await builder.getByRole('heading', { name: 'Edit “Walk 150 min, lose 6 kg”' }).waitFor();
  await builder.getByRole('button', { name: 'Edit: Exercise 150 min/week from month 2' }).click();
  await minutes.fill('200');
  await builder.getByRole('button', { name: 'Update change' }).click();
  await builder.getByLabel('Notes (optional)').fill('Walks with his daughter; review weight at 3 months.');
  await scenarioName.fill('Walk 200 min, lose 6 kg');
  await builder.getByRole('button', { name: 'Save changes' }).click();
  const walkEdited = page.getByRole('checkbox', { name: 'Walk 200 min, lose 6 kg', exact: true });
  await walkEdited.waitFor();
  assert.equal(await page.getByRole('checkbox', { name: 'Walk 150 min, lose 6 kg', exact: true }).count(), 0, 'edited in place, not added');
  assert.ok(await walkEdited.isChecked(), 'still ticked after the rename');
  await page.getByText('Walks with his daughter; review weight at 3 months.').waitFor();
  // Duplicate, then delete the copy after confirming.
  await page.getByRole('button', { name: 'Duplicate Walk 200 min, lose 6 kg', exact: true }).click();
  const copy = page.getByRole('checkbox', { name: 'Walk 200 min, lose 6 kg (copy)', exact: true });
  await copy.waitFor();
  await page.getByRole('button', { name: 'Delete Walk 200 min, lose 6 kg (copy)', exact: true }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Delete Walk 200 min, lose 6 kg (copy)?' });
  await confirm.waitFor();
  await check(page, '11b-saved-scenarios');
  await confirm.getByRole('button', { name: 'Delete it' }).click();
  await copy.waitFor({ state: 'detached' });
  // All of it is in the sealed store: a reload shows the edited scenario, with its notes, and no copy.
  await page.reload();
  await page.getByRole('checkbox', { name: 'Walk 200 min, lose 6 kg', exact: true }).waitFor();
  assert.equal(await copy.count(), 0);
  await page.getByText('Walks with his daughter; review weight at 3 months.').waitFor();

  // 12. Recording a decision, and the routes (issue 29). The keychain's state is known before the
  // form is filled; nothing is preselected; a double click on Record writes one log entry; the
  // form closes, showing what was recorded (what, why, when, who) and "Record another decision".
  // After each navigation focus is on the new screen's heading; an unknown sub-page or address is
  // "Page not found" with ways back, and an unknown patient says so (not a keychain error).
  {
    const bearer = { authorization: `Bearer ${new URL(url).hash.replace('#token=', '')}`, 'content-type': 'application/json' };
    const api = async (command, args = {}) => {
      const r = await fetch(`${origin}/api/${command}`, { method: 'POST', body: JSON.stringify(args), headers: bearer });
      assert.equal(r.status, 200, `${command}: ${r.status}`);
      return r.json();
    };
    const focusedHeading = async (text) => {
      await page.waitForFunction((t) => /^H[1-3]$/.test(document.activeElement?.tagName ?? '') && document.activeElement?.textContent?.trim() === t, text, { timeout: 60000 });
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('tabindex')), '-1', `${text}: focusable heading`);
    };
    const goInApp = (path) => page.evaluate((p) => { history.pushState(null, '', p); dispatchEvent(new PopStateEvent('popstate')); }, path);
    assert.equal((await api('keychainStatus')).state, 'ready', 'the test keyring is usable');
    const walter = (await api('listPatients')).patients.find((p) => p.name === 'Walter Brennan').id;

    await page.getByRole('link', { name: 'CardioTwin' }).click();
    await focusedHeading('Patients');
    await page.getByTestId('patient-row').filter({ hasText: 'Walter Brennan' }).first().locator('th a').click();
    await focusedHeading('Overview');
    await page.getByRole('link', { name: 'Suggestion & decision' }).click();
    await focusedHeading('Suggestion and decision');
    await page.getByTestId('suggestion').waitFor({ timeout: 60000 });
    const decision = page.getByTestId('decision-form');
    await decision.locator('button[type=submit]:not([disabled])').waitFor();
    assert.equal(await decision.getByTestId('keychain-status').count(), 0, 'a ready keychain needs no notice');
    for (const choice of ['Accepted', 'Modified', 'Declined']) {
      assert.equal(await decision.getByRole('radio', { name: choice }).isChecked(), false, `${choice} is not preselected`);
    }
    const before = (await api('auditLog')).entries.length;
    await decision.screenshot({ path: join(outDir, '12a-decision-form.png') });
    const reason = 'Agreed with him at the consultation; review at one month (e2e double click)';
    await decision.getByRole('radio', { name: 'Accepted' }).check();
    await decision.getByLabel('Reason (required)').fill(reason);
    await decision.getByRole('button', { name: 'Record decision' }).dblclick();
    const recorded = decision.getByTestId('decision-recorded');
    await recorded.waitFor();
    await focusedHeading('✔ Decision recorded');
    const recordedText = await recorded.innerText();
    assert.match(recordedText, /Decision\s+Accepted: /);
    assert.ok(recordedText.includes(reason), recordedText);
    assert.match(await recorded.getByTestId('recorded-when').innerText(), /^\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d \(this computer’s time\)$/);
    assert.match(await recorded.getByTestId('recorded-who').innerText(), /Dr Ana Silva/, 'the clinician set in Settings (h4)');
    assert.equal(await decision.getByRole('radio').count(), 0, 'the form is closed');
    assert.equal(await decision.getByRole('button', { name: 'Record decision' }).count(), 0, 'no second Record');
    await decision.getByRole('button', { name: 'Record another decision' }).waitFor();
    await page.getByTestId('decision-history').getByText(reason).waitFor();
    // A second that later, nothing more is written.
    await page.waitForTimeout(1000);
    const after = (await api('auditLog')).entries;
    assert.equal(after.length, before + 1, 'the double click wrote one entry');
    assert.equal(after.filter((e) => e.reason === reason).length, 1);
    assert.ok(after.at(-1).decisionId, 'recorded under the form’s decision id');
    assert.equal(await page.getByTestId('decision-history').getByText(reason).count(), 1);
    await decision.scrollIntoViewIfNeeded();
    await check(page, '12-decision-recorded');

    // Settings says the keychain is ready (the same check the decision screen made).
    await page.getByRole('link', { name: 'Settings & EHR' }).click();
    await focusedHeading('Settings and EHR');
    assert.match(await page.getByTestId('keychain-panel').innerText(), /Keychain ready\. The system keychain holds the key/);

    // An unknown sub-page of a patient: "Page not found", with ways back, focus on its heading.
    await goInApp(`/patient/${encodeURIComponent(walter)}/nonsense`);
    await page.getByTestId('page-not-found').waitFor();
    await focusedHeading('Page not found');
    const back = page.getByTestId('page-not-found').getByRole('link');
    assert.deepEqual(await back.evaluateAll((links) => links.map((a) => a.textContent)), ['Walter Brennan: overview', 'Walter Brennan: suggestion and decision', 'The patient list', 'Settings and EHR']);
    await check(page, '12b-not-found');
    // An address outside the app's routes, opened directly (the server answers it with the app).
    await page.goto(`${origin}/patients/${encodeURIComponent(walter)}/nonsense`);
    await page.getByTestId('page-not-found').waitFor();
    assert.match(await page.getByTestId('page-not-found').innerText(), /no page at \/patients\//);
    await page.getByTestId('page-not-found').getByRole('link', { name: 'The patient list' }).click();
    await focusedHeading('Patients');
    // An unknown patient: said as such, not as a keychain error.
    await goInApp('/patient/no-such-patient-e2e/decide');
    await page.getByTestId('patient-not-found').waitFor();
    await focusedHeading('Patient not found');
    const missing = await page.getByTestId('patient-not-found-message').innerText();
    assert.equal(missing, 'No patient with this id in the demo set or the offline cache.');
    assert.doesNotMatch(await page.getByTestId('patient-not-found').innerText(), /keychain/i);
    await check(page, '12c-patient-not-found');
    await page.getByTestId('patient-not-found').getByRole('link', { name: 'The patient list' }).click();
    await focusedHeading('Patients');

    // Without a keychain (a second `serve` whose D-Bus session leads nowhere): the decision screen
    // says so above the form, which stays disabled, before anything is filled; Settings says it too.
    const awayDir = mkdtempSync(join(tmpdir(), 'cardiotwin-e2e-nokeychain-'));
    const away = spawn(binary, ['serve', '--port', '0', '--data-dir', awayDir, '--ui-dir', resolve(process.env.CT_UI_DIST ?? 'ui/dist'), '--as-of', AS_OF], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/cardiotwin-e2e-bus' },
    });
    try {
      const awayUrl = await new Promise((resolveUrl, reject) => {
        let out = '';
        away.stdout.on('data', (d) => {
          out += d;
          const m = /^CardioTwin serving (http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{32,})\n/.exec(out);
          if (m) resolveUrl(m[1]);
        });
        away.on('exit', (code) => { reject(new Error(`serve without a keychain exited with ${code}`)); });
        setTimeout(() => { reject(new Error('serve without a keychain did not start within 60 s')); }, 60000);
      });
      const awayPage = await context.newPage();
      awayPage.on('pageerror', (e) => consoleErrors.push(e.message));
      await awayPage.goto(awayUrl);
      await awayPage.getByTestId('patient-row').filter({ hasText: 'Walter Brennan' }).first().locator('th a').click();
      await awayPage.getByRole('link', { name: 'Suggestion & decision' }).click();
      const awayForm = awayPage.getByTestId('decision-form');
      const notice = awayForm.locator('[data-testid=keychain-status][data-state=unavailable]');
      await notice.waitFor({ timeout: 60000 });
      assert.match(await notice.innerText(), /The system keychain cannot be reached, so decisions cannot be recorded/);
      assert.match(await notice.innerText(), /What to do: Start or unlock the system keychain/);
      assert.ok(await awayForm.getByRole('button', { name: 'Record decision' }).isDisabled(), 'Record is disabled');
      assert.ok(await awayForm.getByRole('radio', { name: 'Accepted' }).isDisabled(), 'the choices are disabled');
      await awayForm.scrollIntoViewIfNeeded();
      await check(awayPage, '12d-keychain-unavailable');
      await awayPage.getByRole('link', { name: 'Settings & EHR' }).click();
      const panel = awayPage.getByTestId('keychain-panel').locator('[data-state=unavailable]');
      await panel.waitFor();
      assert.match(await panel.innerText(), /cannot be reached/);
      await check(awayPage, '12e-settings-keychain-unavailable');
      await awayPage.close();
    } finally {
      away.kill('SIGINT');
      rmSync(awayDir, { recursive: true, force: true });
    }
  }

  // 15. Facts from notes on the twin panel: a letter's facts, their use, the sentence (notes.mjs).
  await noteFactsSection(page, { check, bundleDir });

  // 17. The worklist: a panel run of the demo cohort, ranked, filtered, a row opens (worklist.mjs).
  await worklistSection(page, { check, binary, dir: bundleDir, asOf: AS_OF });

  // 18. A polygenic risk score on the risk explanation, on a line of its own (genetic-score.mjs).
  await geneticScoreSection(page, { check, bundleDir });

  // 18. Lab results from an HL7 v2 file into a cached record, with the report in words (hl7.mjs).
  await hl7LabResultsSection(page, { check, dir: bundleDir });

  // 19. "Since the last fetch" on the overview: a patient fetched twice from sekmet (changes.mjs).
  await changesSinceFetchSection(page, { check, url });

  // 20. Home BP on the overview: a home monitor's CSV imported with the CLI, the protocol mean
  // beside the office BP against 135/85 (home-bp.mjs; its own data folder and server).
  await homeBpSection(browser, { binary, check });

  // 21. Home readings imported from the overview in the browser: confirm the patient, stream the
  // CSV to serve's upload route, the report, HomeBpPanel and the stale notice (home-import.mjs).
  await homeImportSection(browser, { binary, check });

  assert.deepEqual(consoleErrors, [], 'no uncaught errors in the page');
  assert.deepEqual(violations, [], 'no serious or critical accessibility violations');
  writeFileSync(process.env.E2E_TIMINGS ?? join(outDir, 'timings.json'), `${JSON.stringify(timings, null, 2)}\n`);
  console.log(`e2e: ${name} opened, twin, scenario compared, explanations read; screenshots in ${outDir}`);
  console.log(`e2e timings (ms): ${Object.entries(timings).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}`);
  ok = true;
} finally {
  if (!ok) await browser?.contexts()[0]?.pages()[0]?.screenshot({ path: join(outDir, 'failure.png') }).catch(() => {});
  await browser?.close();
  server.child.kill('SIGINT');
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(bundleDir, { recursive: true, force: true });
  if (!ok) process.stderr.write(`serve said:\n${server.log()}\n`);
}
