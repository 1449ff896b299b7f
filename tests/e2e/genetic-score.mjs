// A polygenic risk score on the risk explanation (issue 31, item 3): a copy of demo 07 (Travis
// Keller's record under another name) with a genomics report's metaGRS (82nd percentile, European
// ancestry) is imported through the app; the explanation keeps the equation's figure as the
// headline and shows the score's effect on a line of its own, with its range and calibration (on
// PREVENT's total CVD, applied to PREVENT's ASCVD, and it says so). Screenshot 18-genetic-score.png.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const GENOMICS = 'urn:cardiotwin:genomics';

/** The copy of demo 07 with the score, written to `bundleDir`; returns its path. */
function bundleWithScore(bundleDir) {
  const bundle = JSON.parse(readFileSync(resolve('assets/demo/07-smoker-high-ldl.json'), 'utf8').replaceAll('ct-demo-07', 'ct-e2e-prs'));
  const patient = bundle.entry.find((e) => e.resource.resourceType === 'Patient');
  patient.resource.name = [{ use: 'official', family: 'Okonkwo', given: ['Daniel'] }];
  patient.resource.identifier[0].value = 'e2e-prs-copy-of-07';
  const part = (code, value) => ({ code: { coding: [{ system: GENOMICS, code }] }, ...value });
  bundle.entry.push({
    fullUrl: 'https://demo.cardiotwin.invalid/fhir/Observation/ct-e2e-prs-1',
    request: { method: 'PUT', url: 'Observation/ct-e2e-prs-1' },
    resource: {
      resourceType: 'Observation',
      id: 'ct-e2e-prs-1',
      meta: { source: 'urn:lab:genomics-report-e2e' },
      status: 'final',
      code: { coding: [{ system: GENOMICS, code: 'cad-polygenic-score', display: 'Polygenic risk score, coronary artery disease' }] },
      subject: { reference: `Patient/${patient.resource.id}` },
      effectiveDateTime: '2026-05-04',
      component: [
        part('score-name', { valueString: 'metaGRS' }),
        part('percentile', { valueQuantity: { value: 82, unit: '%', system: 'http://unitsofmeasure.org', code: '%' } }),
        part('ancestry', { valueCodeableConcept: { coding: [{ system: 'https://www.internationalgenome.org', code: 'EUR' }] } }),
      ],
    },
  });
  const file = join(bundleDir, 'genetic-score.json');
  writeFileSync(file, JSON.stringify(bundle));
  return file;
}


/** Imports the copy, opens its risk explanation and checks the separate line; `check` is the suite's axe-and-screenshot step. */
export async function geneticScoreSection(page, { check, bundleDir }) {
  await page.getByRole('link', { name: 'CardioTwin' }).click();
  await page.getByTestId('patient-row').first().waitFor();
  await page.getByLabel('Import a FHIR bundle into the offline cache').setInputFiles(bundleWithScore(bundleDir));
  await page.getByText(/Imported .* into the encrypted cache/).waitFor();
  await page.getByTestId('patient-row').filter({ hasText: 'Daniel Okonkwo' }).first().locator('th a').click();
  await page.getByRole('link', { name: 'Risk explanation' }).click();
  const line = page.getByTestId('genetic-line');
  await line.waitFor({ timeout: 60000 });
  const headline = await page.getByTestId('risk-summary').locator('.big-number').innerText();
  const applied = await line.getByTestId('genetic-applied').innerText();
  // PREVENT's total CVD counts heart failure: the score is applied to PREVENT's ASCVD, and the line says so.
  const m = /^PREVENT's 10-year ASCVD \(total CVD counts heart failure, which the score is not calibrated for\): (\d+\.\d) % without the genetic score, (\d+\.\d) % with it \(metaGRS, 82nd percentile, European ancestry; \+\d\.\d pp, range \+\d\.\d pp to \+\d\.\d pp\)\. The headline figure above is the equation's, without the score\./.exec(applied);
  assert.ok(m, `the separate line: ${applied}`);
  assert.ok(Number(m[2]) > Number(m[1]), `the score raises the ASCVD figure: ${applied}`);
  assert.doesNotMatch(await line.innerText(), /Observation\//, 'no resource ids in the text');
  assert.match(headline, /^\d+\.\d %$/, 'the headline is still the equation\'s figure');
  assert.ok(!applied.includes(headline), 'the headline figure is not the one the score changed');
  assert.match(await line.innerText(), /hazard ratio 1\.79 \(95% CI 1\.59–2\.00\) per SD for coronary heart disease over the ten years ahead; adjusted for the pooled cohort equations' risk factors.*ARIC/);
  assert.doesNotMatch(await line.innerText(), /NaN|undefined|null\b/);
  await line.scrollIntoViewIfNeeded();
  await check(page, '18-genetic-score');
}
