// Section 14 of the browser test (workstation.mjs calls it on Walter Brennan, just after a heatmap
// cell was opened with the mouse): the heatmap → comparison path by keyboard, and a comparison
// of four scenarios that reads as small multiples.
//   - a cell opened from the heatmap is saved and ticked for the comparison;
//   - ticks survive going to another tab and back;
//   - the heatmap's result survives leaving its screen (not computed again);
//   - the heatmap's cells work from the keyboard (arrow keys, Enter);
//   - current treatment against three scenarios: one panel each, the event risk over time,
//     the difference table with a column per scenario; axe clean.
// Timings (performance marks) go into `timings`: compareFourWayMs, heatmapBackMs.
import assert from 'node:assert/strict';
import { join } from 'node:path';

/** Each compared scenario's median line: the reference and the scenario in every panel. */
const tracesIn = (testId) => `[data-testid=${testId}] .scatterlayer .trace`;

export async function heatmapToFourWayComparison({ page, check, outDir, timings }) {
  // The mouse-opened cell is ticked, beside what was ticked before.
  const mouseCell = page.getByRole('checkbox', { name: /SBP −\d+ mmHg, LDL-C −\d+%/ });
  await mouseCell.waitFor();
  assert.ok(await mouseCell.isChecked(), 'a heatmap cell opened as a scenario is ticked for the comparison');
  const tickedBefore = await page.getByRole('checkbox', { checked: true }).count();
  assert.ok(tickedBefore >= 2, `the earlier tick survives the other tabs (${tickedBefore} ticked)`);
  await page.getByTestId('difference-table').waitFor({ timeout: 60000 });

  // Back to the heatmap: its result is there at once, not computed again.
  await page.evaluate(() => performance.mark('e2e:heatmap-back'));
  await page.getByRole('link', { name: 'Risk heatmap' }).click();
  await page.locator('[data-testid=risk-heatmap][data-drawn=true]').waitFor({ timeout: 10000 });
  timings.heatmapBackMs = await page.evaluate(() => performance.now() - performance.getEntriesByName('e2e:heatmap-back')[0].startTime);
  assert.equal(await page.getByText(/^Computing/).count(), 0, 'nothing computes again');

  // The keyboard grid: one tab stop; arrows move; Enter opens the cell.
  const grid = page.getByRole('grid', { name: /median risk/ });
  await grid.waitFor();
  const tabbable = grid.locator('button[tabindex="0"]');
  assert.equal(await tabbable.count(), 1, 'one tab stop in the grid');
  await tabbable.focus();
  for (const key of ['ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowDown', 'ArrowDown']) await page.keyboard.press(key);
  const focused = await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
  assert.match(focused, /^SBP −\d+ mmHg, LDL-C −\d+%: \d+\.\d % \(5–95 %: \d+\.\d–\d+\.\d %\)\. Open as a scenario$/, focused);
  const name = focused.split(':')[0];
  await grid.scrollIntoViewIfNeeded();
  await check(page, '14b-heatmap-keyboard');
  await page.evaluate(() => performance.mark('e2e:open-cell'));
  await page.keyboard.press('Enter');

  // The comparison: current treatment and three scenarios, each in its own panel.
  const keyboardCell = page.getByRole('checkbox', { name });
  await keyboardCell.waitFor();
  assert.ok(await keyboardCell.isChecked(), 'the cell opened by keyboard is ticked');
  await page.waitForFunction(
    (sel) => document.querySelectorAll(sel).length >= 18,
    tracesIn('comparison-chart'),
    { timeout: 120000 },
  );
  await page.locator('[data-testid=risk-over-time][data-drawn=true]').waitFor();
  timings.compareFourWayMs = await page.evaluate(() => performance.now() - performance.getEntriesByName('e2e:open-cell')[0].startTime);
  const heading = await page.locator('#result-title').innerText();
  assert.equal((heading.match(/, /g) ?? []).length >= 1 && heading.startsWith('Current treatment against'), true, heading);
  const table = page.getByTestId('difference-table');
  assert.equal(await table.locator('thead th').count(), 2 + 3, 'one column per compared scenario');
  for (const i of [1, 2, 3]) assert.match(await page.getByTestId(`diff-${i}-event_risk-120`).innerText(), /^[-+]?\d+\.\d pp/);
  const words = await page.getByTestId('comparison').innerText();
  assert.doesNotMatch(words, /NaN|undefined|Infinity|\+0\.0\d{3}/, 'no raw numbers or missing values');
  await page.getByTestId('comparison-chart').scrollIntoViewIfNeeded();
  await check(page, '14-compare-4way');
  await page.getByTestId('risk-panel').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(outDir, '14c-compare-4way-risk.png') });
  await table.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(outDir, '14d-compare-4way-differences.png') });
}
