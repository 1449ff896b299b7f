// The overview answers "how is she doing" at 1366×768: latest values (date, trend, target, flag,
// staleness) and medications above the fold, the timeline with target lines, dose bars and event
// markers through every band, and the lab table with history. Run from workstation.mjs, starting
// and ending on the patient list; screenshots 13-overview-*.png.
import assert from 'node:assert/strict';
import { join } from 'node:path';

const VISIBLE_BACKEND_WORDS = /NaN|undefined|Observation\/|MedicationRequest\/|Condition\/|Procedure\/|null\b/;

async function openPatient(page, name) {
  await page.getByRole('link', { name: 'CardioTwin' }).click();
  await page.getByTestId('patient-row').nth(11).waitFor();
  await page.getByTestId('patient-row').filter({ hasText: name }).first().locator('th a').click();
  await page.locator('[data-testid=timeline-chart][data-drawn=true]').waitFor();
}

/** Whether the element's box lies within the first screen (the viewport's height). */
async function aboveTheFold(locator) {
  const box = await locator.boundingBox();
  return box !== null && box.y + box.height <= 768;
}

/** Checks the overview of demo patients 01 and 03; `check` is the suite's axe-and-screenshot step. */
export async function overviewSection(page, { check, outDir }) {
  // Demo 01, Walter Brennan: uncontrolled hypertension on lisinopril alone, BP 8 months old.
  await openPatient(page, 'Walter Brennan');
  const latest = page.getByTestId('latest-values');
  assert.ok(await aboveTheFold(latest), 'the latest values are above the fold at 1366×768');
  assert.ok(await aboveTheFold(page.getByTestId('active-medications')), 'the medications are above the fold');
  const sbp = await page.getByTestId('latest-sbp').innerText();
  assert.match(sbp, /Systolic BP\s+\d+ mmHg\s*Above target/, `SBP is flagged above target: ${sbp}`);
  assert.match(sbp, /target < 1[234]0/, `SBP shows the patient's target: ${sbp}`);
  assert.match(sbp, /\d{1,2} [A-Z][a-z]{2} \d{4}/, `SBP is dated in words: ${sbp}`);
  assert.match(sbp, /stale: 8 months old/, `the 8-month-old BP is marked stale: ${sbp}`);
  assert.match(sbp, /(up|down|stable)/, `SBP has a trend: ${sbp}`);
  const meds = await page.getByTestId('active-medications').innerText();
  assert.match(meds, /Lisinopril/, meds);
  assert.match(meds, /lisinopril 10 mg once daily/, `dose and frequency: ${meds}`);
  const labs = page.getByTestId('lab-table');
  assert.match(await labs.innerText(), /LDL cholesterol/);
  assert.match(await page.getByTestId('lab-egfr').innerText(), /≥ 60/);
  // Observed SBP and LDL-C go on past today as the projection under today's treatment.
  await page.getByText(/After today: SBP and LDL-C projected 24 months under today's treatment/).waitFor({ timeout: 60000 });
  await page.locator('[data-testid=timeline-chart][data-drawn=true]').waitFor();
  // Target lines on the chart: SBP, DBP and LDL-C.
  const chartText = await page.getByTestId('timeline-chart').textContent();
  assert.match(chartText, /SBP target < 1[234]0/);
  assert.match(chartText, /LDL-C target < \d/);
  assert.match(chartText, /Lisinopril 10 mg\/day/, 'the medication bar names agent and dose');
  assert.match(chartText, /Today ▸ projected under today's treatment/);
  const text = await page.locator('main, body').first().innerText();
  assert.doesNotMatch(text, VISIBLE_BACKEND_WORDS, 'no backend words on the overview');
  await check(page, '13-overview-01');
  await labs.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(outDir, '13-overview-01-labs.png') });
  await page.getByTestId('timeline-chart').screenshot({ path: join(outDir, '13-overview-01-timeline.png') });

  // Demo 03, Miguel Ortega: HFrEF on four drug classes, NT-proBNP and potassium in the lab table,
  // the device procedure and the HF diagnosis as events through every band.
  await openPatient(page, 'Miguel Ortega');
  assert.ok(await aboveTheFold(page.getByTestId('latest-values')), 'latest values above the fold (03)');
  await page.getByText(/After today: SBP and LDL-C projected/).waitFor({ timeout: 60000 });
  assert.match(await page.getByTestId('latest-lvef').innerText(), /LV ejection fraction\s+\d+(\.\d)?%\s*L/, 'a reduced LVEF is flagged low');
  assert.match(await page.getByTestId('lab-nt_probnp').innerText(), /NT-proBNP/);
  assert.match(await page.getByTestId('lab-potassium').innerText(), /3\.5–5\.3/);
  const hfMeds = await page.getByTestId('active-medications').innerText();
  for (const agent of ['Carvedilol', 'Spironolactone', 'Dapagliflozin']) assert.match(hfMeds, new RegExp(agent), hfMeds);
  assert.match(await page.getByTestId('timeline-chart').textContent(), /◆ Heart failure/, 'diagnoses are marked on the timeline');
  assert.doesNotMatch(await page.locator('main, body').first().innerText(), VISIBLE_BACKEND_WORDS);
  await check(page, '13-overview-03');
  await page.getByRole('button', { name: /Show all \d+ dates/ }).click();
  await page.getByTestId('lab-table').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(outDir, '13-overview-03-labs.png') });
  await page.getByTestId('timeline-chart').screenshot({ path: join(outDir, '13-overview-03-timeline.png') });
  await page.getByRole('link', { name: 'CardioTwin' }).click();
  await page.getByTestId('patient-row').nth(11).waitFor();
}
