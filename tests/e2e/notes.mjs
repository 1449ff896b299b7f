// Facts from notes on the twin panel: an edited copy of demo 03 (Miguel Ortega's record under
// another name) with a clinic letter as a DocumentReference (plain text, base64) is imported
// through the app; the twin panel lists what the letter says, which facts reached the record and
// which did not (structured data wins; negated and family facts are shown, never recorded), and a
// fact opens the sentence it came from with its words marked. Screenshot 15-note-facts.png.
// The copy also carries an echo report as a PDF (DiagnosticReport.presentedForm, made by fpdf2:
// crates/twin-fhir/tests/fixtures/pdf/): its facts name the PDF page. Screenshot 15-note-facts-pdf.png.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// Synthetic, written for this test.
const LETTER = [
  'Cardiology clinic letter.',
  'He remains breathless on moderate exertion, NYHA II-III.',
  'No chest pain. Denies syncope.',
  'Echo: LVEF 30-35% by Simpson\'s biplane, moderate MR.',
  'His father had severe aortic stenosis.',
  'Home BP readings average 112/70.',
].join('\n');

/** The copy of demo 03 with the letter, written to `bundleDir`; returns its path. */
function bundleWithLetter(bundleDir) {
  const bundle = JSON.parse(readFileSync(resolve('assets/demo/03-heart-failure-reduced-ef.json'), 'utf8').replaceAll('ct-demo-03', 'ct-e2e-notes'));
  const patient = bundle.entry.find((e) => e.resource.resourceType === 'Patient');
  patient.resource.name = [{ use: 'official', family: 'Lindqvist', given: ['Anton'] }];
  patient.resource.identifier[0].value = 'e2e-notes-copy-of-03';
  bundle.entry.push({
    fullUrl: 'https://demo.cardiotwin.invalid/fhir/DocumentReference/ct-e2e-notes-letter-1',
    request: { method: 'PUT', url: 'DocumentReference/ct-e2e-notes-letter-1' },
    resource: {
      resourceType: 'DocumentReference',
      id: 'ct-e2e-notes-letter-1',
      status: 'current',
      subject: { reference: `Patient/${patient.resource.id}` },
      date: '2026-11-20T10:00:00Z',
      description: 'Cardiology clinic letter',
      content: [{ attachment: { contentType: 'text/plain; charset=utf-8', data: Buffer.from(LETTER, 'utf8').toString('base64') } }],
    },
  });
  bundle.entry.push({
    fullUrl: 'https://demo.cardiotwin.invalid/fhir/DiagnosticReport/ct-e2e-notes-echo-pdf',
    request: { method: 'PUT', url: 'DiagnosticReport/ct-e2e-notes-echo-pdf' },
    resource: {
      resourceType: 'DiagnosticReport',
      id: 'ct-e2e-notes-echo-pdf',
      status: 'final',
      subject: { reference: `Patient/${patient.resource.id}` },
      effectiveDateTime: '2026-11-02',
      code: { text: 'Echocardiogram' },
      presentedForm: [{ contentType: 'application/pdf', data: readFileSync(resolve('crates/twin-fhir/tests/fixtures/pdf/echo-report.pdf')).toString('base64') }],
    },
  });
  const file = join(bundleDir, 'notes-letter.json');
  writeFileSync(file, JSON.stringify(bundle));
  return file;
}

/** Imports the copy, opens its twin panel and checks the facts; `check` is the suite's axe-and-screenshot step. */
export async function noteFactsSection(page, { check, bundleDir }) {
  await page.getByRole('link', { name: 'CardioTwin' }).click();
  await page.getByTestId('patient-row').nth(11).waitFor();
  await page.getByLabel('Import a FHIR bundle into the offline cache').setInputFiles(bundleWithLetter(bundleDir));
  await page.getByText(/Imported .* into the encrypted cache/).waitFor();
  await page.getByTestId('patient-row').filter({ hasText: 'Anton Lindqvist' }).first().locator('th a').click();
  await page.getByRole('link', { name: 'Twin', exact: true }).click();
  const panel = page.getByTestId('note-facts');
  await panel.waitFor({ timeout: 60000 });
  const text = await panel.innerText();
  for (const fact of ['breathlessness', 'NYHA II–III', 'no chest pain', 'no syncope', 'LVEF 30–35 % (Simpson\'s biplane)', 'moderate mitral regurgitation', 'severe aortic stenosis (someone else)', 'home BP 112/70 mmHg']) {
    assert.ok(text.includes(fact), `the panel lists "${fact}": ${text}`);
  }
  // Demo 03 has a structured LVEF: the letter's does not replace it.
  const lvefRow = panel.getByRole('row').filter({ hasText: 'LVEF 30–35 %' });
  assert.match(await lvefRow.innerText(), /structured data wins/);
  assert.match(await panel.getByRole('row').filter({ hasText: 'no chest pain' }).innerText(), /Cardiology clinic letter, 20 Nov 2026\s+Not carried into the record: negated, past, conditional or about someone else/);
  assert.doesNotMatch(text, /NaN|undefined|null\b|DocumentReference\//);

  await panel.getByRole('button', { name: 'no chest pain' }).click();
  const sentence = page.getByTestId('note-fact-sentence');
  assert.equal((await sentence.locator('blockquote').innerText()).trim(), 'No chest pain.');
  assert.equal(await sentence.locator('mark').innerText(), 'chest pain');
  assert.equal(await panel.getByRole('button', { name: 'no chest pain' }).getAttribute('aria-pressed'), 'true');
  await panel.scrollIntoViewIfNeeded();
  await check(page, '15-note-facts');

  // The echo report's PDF: its LVEF names the page, and opens the sentence from the PDF's text.
  const pdfFact = "LVEF 35 % (Simpson's biplane)";
  assert.match(await panel.getByRole('row').filter({ hasText: pdfFact }).innerText(), /Echocardiogram, PDF page 1, 2 Nov 2026\s+Not used: structured data wins/);
  await panel.getByRole('button', { name: pdfFact }).click();
  assert.equal((await sentence.locator('blockquote').innerText()).trim(), "LVEF 35 % by Simpson's biplane.");
  assert.equal(await sentence.locator('mark').innerText(), 'LVEF 35 %');
  assert.match(await sentence.locator('figcaption').innerText(), /Echocardiogram, PDF page 1, 2 Nov 2026/);
  await check(page, '15-note-facts-pdf');
}
