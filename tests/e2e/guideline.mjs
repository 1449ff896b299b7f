// The guideline set drives the suggestion (issue 29): ACC/AHA chosen in Settings, Henrik Lund's
// (demo 02, after PCI) suggestion names ACC/AHA in each target line, with the lipid goal a statin
// intensity rather than an LDL-C value; then ESC is restored for the steps after. Screenshots
// 16c-acc-aha-preference.png and 16d-acc-aha-suggestion.png (axe-checked).
import assert from 'node:assert/strict';

async function choose(page, label) {
  const prefs = page.getByTestId('preferences');
  await prefs.getByLabel(label).check();
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/savePreferences') && r.status() === 200),
    prefs.getByRole('button', { name: 'Save preferences' }).click(),
  ]);
  return prefs;
}

/** Starts and ends on Settings & EHR. */
export async function guidelineSection(page, { check }) {
  const prefs = await choose(page, 'ACC/AHA (2017 blood pressure, 2018 cholesterol)');
  // The table is redrawn once the saved preferences are read back: wait for it, not the save.
  await prefs.getByTestId('guideline-targets').getByText(/Clinical ASCVD/).first().waitFor();
  const table = await prefs.getByTestId('guideline-targets').innerText();
  assert.match(table, /Clinical ASCVD/);
  assert.match(table, /Diabetes, age 40–75/);
  assert.match(await prefs.innerText(), /targets, statin indication and plan search follow the saved set/);
  await prefs.getByTestId('guideline-targets').scrollIntoViewIfNeeded();
  await check(page, '16c-acc-aha-preference');

  await page.getByRole('link', { name: 'CardioTwin' }).click();
  await page.getByTestId('patient-row').filter({ hasText: 'Henrik Lund' }).first().locator('th a').click();
  await page.getByRole('link', { name: 'Suggestion & decision' }).click();
  await page.getByTestId('suggestion').waitFor({ timeout: 60000 });
  const targets = page.getByTestId('targets');
  const lines = await targets.innerText();
  assert.match(lines, /Blood pressure\s+ACC\/AHA 2017: below 130\/80 mmHg/);
  assert.match(lines, /LDL-C\s+ACC\/AHA 2018: high-intensity statin, ≥ 50 % LDL-C reduction: clinical ASCVD/);
  assert.match(lines, /add ezetimibe, then a PCSK9 inhibitor, while LDL-C is 70 mg\/dL \(1\.8 mmol\/L\) or more/);
  assert.doesNotMatch(lines, /ESC\/EAS 2019/, 'no ESC lipid goal under ACC/AHA');
  await targets.scrollIntoViewIfNeeded();
  await check(page, '16d-acc-aha-suggestion');

  await page.getByRole('link', { name: 'Settings & EHR' }).click();
  await page.getByTestId('settings-facts').waitFor();
  const restored = await choose(page, 'ESC (2024 hypertension, 2019 ESC/EAS lipids)');
  await restored.getByTestId('guideline-targets').getByText(/Very high risk/).first().waitFor();
}
