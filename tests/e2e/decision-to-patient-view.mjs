// From the decision to the patient view (issue 29): once a decision is recorded, "Choose what the
// patient sees" opens the patient view with the decided plan selected, marked as coming from that
// decision, and nothing shown to the patient until the clinician confirms. Run right after Walter's
// modified decision; leaves nothing chosen. Screenshot 15d.
import assert from 'node:assert/strict';

export async function decisionToPatientViewSection(page, { check }) {
  const recorded = page.getByTestId('decision-recorded');
  await recorded.waitFor();
  const entry = (await recorded.innerText()).match(/Entry (\d+), sealed/)?.[1];
  assert.ok(entry, 'the recorded decision names its log entry');
  await recorded.getByRole('link', { name: 'Choose what the patient sees' }).click();
  await page.waitForURL(new RegExp(`/for-patient\\?decision=${entry}$`));
  const decided = page.getByTestId('patient-view-decided');
  await decided.waitFor({ timeout: 60000 });
  assert.match(await decided.innerText(), new RegExp(`^Selected from your decision: modified on \\d{1,2} [A-Z][a-z]{2} \\d{4}, decision log entry ${entry}\\. Nothing changes for the patient until you press “Show this to the patient”\\.$`));
  const modified = page.getByRole('radio', { name: /^The plan as modified in the decision of / });
  assert.equal(await modified.isChecked(), true, 'the decided plan is selected');
  assert.equal(await page.getByRole('radio', { checked: true }).count(), 1, 'only the decided plan is selected');
  // Selected, not chosen: the patient sees nothing until the clinician confirms.
  await page.getByTestId('patient-view-unchosen').waitFor();
  assert.equal(await page.getByTestId('patient-view-handout').count(), 0, 'nothing patient-facing before confirming');
  assert.equal(await page.getByRole('button', { name: 'Show this to the patient' }).isEnabled(), true);
  await check(page, '15d-decision-to-patient-view');
}
