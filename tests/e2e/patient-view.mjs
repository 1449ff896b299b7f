// The patient view and the clinician summary (issue 29), on Walter Brennan after his decisions
// (declined, then modified): nothing patient-facing until the clinician chooses what the view
// shows; the modified plan in plain words (never the clinician's name for it), previewed as the
// patient sees it and printed to a one-to-two-page PDF with no controls; today's treatment
// chosen instead, with his high blood pressure not reassured; then the one-page clinician
// summary, printed to PDF and read back with pdftotext. Screenshots 15a, 15, 15c, 15b.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** The text of a PDF, as poppler's pdftotext reads it (pages end with a form feed). */
function pdfText(path) {
  return new Promise((resolveText, reject) => {
    const child = spawn('pdftotext', [path, '-']);
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolveText(out) : reject(new Error(`pdftotext exited ${code}`))));
  });
}

const pagesOf = (text) => (text.match(/\f/g) ?? []).length;

export async function patientViewSection(page, { outDir, check }) {
  await page.getByRole('link', { name: 'Patient view' }).click();
  await page.getByTestId('patient-view-unchosen').waitFor({ timeout: 60000 });
  assert.equal(await page.getByTestId('patient-view-handout').count(), 0, 'nothing patient-facing before the clinician chooses');
  await check(page, '15a-patient-view-unchosen');

  // The plan as modified in the decision: said from its changes, with dates that cannot be misread.
  await page.getByRole('radio', { name: /^The plan as modified in the decision of / }).check();
  await page.getByRole('button', { name: 'Show this to the patient' }).click();
  await page.getByTestId('patient-view-chosen').waitFor();
  await page.getByTestId('patient-view-table').waitFor({ timeout: 60000 });
  const words = await page.getByTestId('patient-view-table').innerText();
  assert.match(words, /Blood pressure \(top number\)/);
  assert.match(words, /Keeping today’s treatment: \d+ to \d+/);
  assert.match(words, /The chosen plan: \d+ to \d+/);
  assert.match(words, /Chance of a heart attack[^\n]*by then/);
  const lead = `${await page.getByTestId('patient-view-lead').innerText()} ${await page.getByTestId('patient-view-steps').innerText()}`;
  assert.match(lead, /^Your doctor and you chose this plan: (Start|Take|Change) /, lead);
  assert.match(lead, /medicine/, lead);
  assert.doesNotMatch(lead, /Modified|keep your treatment/, 'never the scenario name, never "keep your treatment"');
  assert.match(await page.locator('.pv-who').innerText(), / on 1 Dec 2026\.$/);
  assert.match(await page.getByTestId('patient-view-hindcast').innerText(), /off by about \d+ mmHg, and (\d+ of your \d+ readings|your one reading) fell/);

  // Preview: the clinician's part goes; what is left is the patient's.
  await page.getByRole('button', { name: 'Preview as the patient sees it' }).click();
  assert.equal(await page.getByTestId('patient-view-choose').count(), 0, 'the preview hides the clinician’s controls');
  await check(page, '15-patient-view-chosen', { fullPage: true });

  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.banner').isVisible(), false, 'printing drops the app chrome');
  const handout = join(outDir, 'patient-view.pdf');
  const pdf = await page.pdf({ path: handout, format: 'A4', printBackground: true });
  assert.ok(pdf.length > 10000 && pdf.subarray(0, 5).toString() === '%PDF-', 'a PDF comes out');
  const text = await pdfText(handout);
  assert.match(text, /Blood pressure \(top\s+number\)/);
  assert.match(text, /The chosen\s+plan: \d+ to\s+\d+/);
  assert.match(text, /not a\s+promise/);
  assert.doesNotMatch(text, /Risk heatmap|Settings & EHR|For you, not the patient|Print or save|Preview|Show this/, 'no navigation or controls in the printout');
  assert.ok(pagesOf(text) <= 2, `the handout is one or two pages, not ${pagesOf(text)}`);
  await page.emulateMedia({ media: 'screen' });
  await page.getByRole('button', { name: 'Back to your controls' }).click();

  // Today's treatment, chosen: said to be kept only now, and the high blood pressure is not reassured.
  await page.getByRole('radio', { name: 'Today’s treatment, unchanged' }).check();
  await page.getByRole('button', { name: 'Show this to the patient' }).click();
  await page.getByTestId('patient-view-chosen').getByText(/today’s treatment, unchanged/).waitFor();
  assert.match(await page.getByTestId('patient-view-lead').innerText(), /^You and your doctor decided to keep your treatment as it is for now/);
  const caution = await page.getByTestId('patient-view-caution').innerText();
  assert.match(caution, /^Your blood pressure was \d+\/\d+ on \d+ [A-Z][a-z]{2} \d{4}[.,] /, caution);
  assert.match(caution, /above the aim of below \d+\/\d+/, caution);
  await page.getByTestId('patient-view-table').waitFor({ timeout: 60000 });
  assert.doesNotMatch(await page.getByTestId('patient-view-table').innerText(), /The chosen plan/);
  await check(page, '15c-patient-view-today', { fullPage: true });

  // The clinician summary: one page, with the record, the plans, the decision and the labels.
  await page.getByRole('link', { name: 'Clinician summary' }).click();
  await page.getByTestId('summary-plans').waitFor({ timeout: 120000 });
  const decision = await page.getByTestId('summary-decision').innerText();
  assert.match(decision, /^Modified: .+[.…] Reason: Ezetimibe deferred until the next lipid panel\./, decision);
  assert.doesNotMatch(decision, /Modified: Modified:/);
  assert.match(await page.getByTestId('summary-labels').innerText(), /Decision support: the clinician decides\. Synthetic demo data\./);
  await page.getByTestId('write-back').or(page.getByText(/No EHR connection is set up/)).first().waitFor();
  await check(page, '15b-summary', { fullPage: true });
  await page.emulateMedia({ media: 'print' });
  const summaryPdf = join(outDir, 'clinician-summary.pdf');
  await page.pdf({ path: summaryPdf, format: 'A4', printBackground: true });
  await page.emulateMedia({ media: 'screen' });
  const summaryText = await pdfText(summaryPdf);
  assert.match(summaryText, /Clinician summary: Walter\s+Brennan/);
  assert.match(summaryText, /Key values \(latest\s+on\s+record\)/);
  assert.match(summaryText, /\d{1,2}\s[A-Z][a-z]{2}\s20\d\d/, 'dates with the month in words');
  assert.match(summaryText, /Today’s treatment/);
  assert.match(summaryText, /Suggested: /);
  assert.match(summaryText, /\(\d+(\.\d+)?–\s*\d+(\.\d+)?\)\s+mmHg/, 'results with their bands');
  assert.match(summaryText, /Reason:\s+Ezetimibe\s+deferred/);
  assert.match(summaryText, /CardioTwin\s+engine\s+\d+\.\d+\.\d+/);
  assert.match(summaryText, /Synthetic\s+demo\s+data/);
  assert.doesNotMatch(summaryText, /Print or save|File this summary|Risk heatmap/, 'no controls or navigation in the printout');
  assert.equal(pagesOf(summaryText), 1, `the summary is one page, not ${pagesOf(summaryText)}`);
}
