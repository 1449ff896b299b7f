// The worklist (issue 30): the demo cohort written as a FHIR Bulk Data folder, run through
// `cardiotwin panel` (the real binary), and the result opened in the workstation: patients ranked
// by the expected benefit of the suggested plan, reordered by alerts, filtered, and a row opening
// the patient. Screenshot 17-worklist.png.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

function run(binary, args) {
  const r = spawnSync(binary, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `cardiotwin ${args[0]} failed: ${r.stderr}`);
  return r.stdout;
}

/** Writes the panel into `dir` and returns the result's path. */
function makePanel(binary, dir, asOf) {
  const bulk = join(dir, 'bulk');
  const out = join(dir, 'panel.parquet');
  run(binary, ['bulk-from-bundles', '--bundles', resolve('assets/demo'), '--out', bulk]);
  const said = run(binary, ['--as-of', asOf, 'panel', '--in', bulk, '--scenario', 'current', '--members', '200', '--out', out]);
  assert.match(said, /wrote 12 rows for 12 patients/);
  return out;
}

export async function worklistSection(page, { check, binary, dir, asOf }) {
  const panel = makePanel(binary, dir, asOf);
  await page.getByRole('link', { name: 'Worklist' }).click();
  await page.getByRole('heading', { level: 1, name: 'Worklist' }).waitFor();
  await page.getByLabel('Panel result (.parquet)').fill(panel);
  await page.getByRole('button', { name: 'Open' }).click();
  const table = page.getByTestId('worklist-table');
  await table.waitFor();
  const rows = table.getByTestId('worklist-row');
  assert.equal(await rows.count(), 12);
  // Ranked by the plan's absolute risk reduction, largest first (rows without one last).
  const benefits = (await rows.locator('td:nth-child(3)').allInnerTexts()).map((t) => {
    const m = /^(-?\d+\.\d) points/.exec(t);
    return m ? Number(m[1]) : Number.NEGATIVE_INFINITY;
  });
  assert.deepEqual(benefits, [...benefits].sort((a, b) => b - a), `ranked by benefit: ${benefits.join(', ')}`);
  assert.ok(benefits[0] > 0, 'the top patient gains from the plan');
  // The run's guideline set (ESC, the default) is said above the table.
  assert.match(await page.getByTestId('worklist-guidelines').innerText(), /^Plans follow ESC/);
  await check(page, '17-worklist', { fullPage: true });
  // By alerts, then filtered to one patient, whose row opens them.
  await page.getByLabel('Order by').selectOption('alerts');
  await page.getByLabel('Patient or step').fill('ct-demo-04');
  assert.equal(await rows.count(), 1);
  // The workstation holds this patient: the row names them (the file keeps only the id).
  const link = rows.first().getByRole('link');
  assert.doesNotMatch(await link.innerText(), /ct-demo/, 'a held patient is named, not shown by id');
  await link.click();
  await page.waitForURL(/\/patient\/ct-demo-04/);
}
