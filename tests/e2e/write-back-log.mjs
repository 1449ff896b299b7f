// A failed write-back is logged (issue 29): with an EHR saved that does not answer, filing Walter's
// clinician summary fails in plain words that name the decision-log entry recording the attempt;
// the decision screen lists the attempt, not filed, with its reason, and the log still verifies.
// Starts and ends on Settings with the connection `ehrName` saved. Screenshot 15e.
import assert from 'node:assert/strict';
import { join } from 'node:path';

export async function writeBackLogSection(page, { check, outDir, ehrName }) {
  await page.getByRole('link', { name: 'CardioTwin' }).click();
  await page.getByTestId('patient-row').nth(11).waitFor();
  await page.getByTestId('patient-row').filter({ hasText: 'Walter Brennan' }).first().locator('th a').click();
  await page.getByRole('link', { name: 'Clinician summary' }).click();
  const writeBack = page.getByTestId('write-back');
  await writeBack.waitFor({ timeout: 120000 });
  await writeBack.getByRole('button', { name: 'File this summary in the EHR…' }).click();
  const confirm = page.getByTestId('confirm-write-back');
  assert.match(await confirm.innerText(), new RegExp(`Walter Brennan.*${ehrName.replace(/[()]/g, '\\$&')}`, 's'));
  await confirm.getByRole('button', { name: 'File it' }).click();
  const error = page.getByTestId('write-back-error');
  await error.waitFor({ timeout: 60000 });
  const said = await error.innerText();
  assert.match(said, /^the summary was not filed: .*cannot be reached.*try again when the EHR can be reached \(this attempt is entry (\d+) of the decision log\)\. Nothing was lost/, said);
  const entry = said.match(/entry (\d+) of the decision log/)[1];
  assert.ok(await writeBack.getByRole('button', { name: 'Try filing again…' }).isEnabled(), 'it can be tried again');

  // The decision screen lists the attempt beside the decisions; the chain still verifies.
  await page.getByRole('link', { name: 'Suggestion & decision' }).click();
  const attempts = page.getByTestId('write-back-history');
  await attempts.waitFor({ timeout: 60000 });
  const row = attempts.getByRole('row').filter({ hasText: new RegExp(`^${entry}`) });
  assert.match(await row.innerText(), /Not filed on http:\/\/127\.0\.0\.1:9\/fhir: the FHIR server at \S+ cannot be reached .*: the note was not sent/);
  assert.match(await page.getByTestId('audit-verify').innerText(), /hash chain intact/);
  await check(page, '15e-write-back-logged', { fullPage: true });
  await attempts.screenshot({ path: join(outDir, '15e-write-back-history.png') });

  await page.getByRole('link', { name: 'Settings & EHR' }).click();
  await page.getByTestId('connection').filter({ hasText: ehrName }).waitFor();
}
