import { fireEvent, render, screen, within } from '@testing-library/react';
import { vi } from 'vitest';
import type { Projection, ScenarioFile } from '../../api/backend';
import { axesProblem } from '../heatmap/heatmapFigure';
import { plainScenario } from '../patient-view/words';
import { formatValue } from './outputs';
import { projectionFigure } from './projectionFigure';
import { ScenarioBuilder } from './ScenarioBuilder';
import { defaultStrategyDraft, describeStrategy, isDrugChange, strategyProblems, toStrategyFile, type StrategyDraft } from './strategy';

const withSbp = (patch: Partial<StrategyDraft['sbp']> = {}): StrategyDraft => {
  const d = defaultStrategyDraft();
  return { ...d, sbp: { ...d.sbp, on: true, ...patch } };
};

describe('treat-to-target strategy checks', () => {
  it('defaults to the engine’s sequences and writes the scenario file’s shape', () => {
    const d = withSbp();
    expect(d.sbp.sequence).toEqual(['ace_inhibitor', 'calcium_channel_blocker', 'thiazide', 'mra', 'beta_blocker']);
    expect(strategyProblems(d)).toEqual({});
    expect(toStrategyFile(d)).toEqual({ sbpTarget: 130, reviewMonths: 3, sequence: d.sbp.sequence });
    expect(toStrategyFile(defaultStrategyDraft())).toBeUndefined();
    const both: StrategyDraft = { ...d, ldl: { ...d.ldl, on: true } };
    expect(toStrategyFile(both)).toMatchObject({ sbpTarget: 130, ldlTargetMgDl: 70, ldlReviewMonths: 3, ldlSequence: ['statin', 'ezetimibe', 'pcsk9_inhibitor'] });
  });

  it('refuses what the server refuses, field by field', () => {
    expect(strategyProblems(withSbp({ target: 85 })).sbpTarget).toMatch(/90–180 mmHg/);
    expect(strategyProblems(withSbp({ target: 185 })).sbpTarget).toMatch(/90–180 mmHg/);
    expect(strategyProblems(withSbp({ target: NaN })).sbpTarget).toBeDefined();
    expect(strategyProblems(withSbp({ reviewMonths: 0.3 })).reviewMonths).toMatch(/two weeks/);
    expect(strategyProblems(withSbp({ reviewMonths: 0.5 })).reviewMonths).toBeUndefined();
    expect(strategyProblems(withSbp({ sequence: [] })).sequence).toMatch(/at least one/);
    const d = defaultStrategyDraft();
    const ldl = (target: number) => strategyProblems({ ...d, ldl: { ...d.ldl, on: true, target } }).ldlTargetMgDl;
    expect(ldl(10)).toMatch(/20–193 mg\/dL/);
    expect(ldl(55)).toBeUndefined();
  });

  it('says which changes a strategy cannot sit beside, and says the strategy in words', () => {
    expect(isDrugChange({ type: 'start_drug', class: 'thiazide', dose: 'standard', start_month: 0, adherence: 1 } as never)).toBe(true);
    expect(isDrugChange({ type: 'sodium_reduction', start_month: 0 })).toBe(false);
    expect(describeStrategy({ sbpTarget: 130, reviewMonths: 3 })).toBe(
      'Treat to target: SBP < 130 mmHg, reviewed every 3 months (ACE inhibitor → Calcium-channel blocker → Thiazide diuretic → Mineralocorticoid receptor antagonist → Beta-blocker)',
    );
    expect(describeStrategy({ ldlTargetMgDl: 70, ldlReviewMonths: 1, ldlSequence: ['statin'] })).toBe('Treat to target: LDL-C < 70 mg/dL, reviewed every 1 month (Statin)');
  });
});

describe('BP-lowering drugs in the comparison', () => {
  it('are counted in whole classes', () => {
    expect(formatValue('bp_drugs', 2, 'classes')).toBe('2 classes');
    expect(formatValue('bp_drugs', 1, 'classes', true)).toBe('+1 class');
    expect(formatValue('bp_drugs', 2.5, 'classes', true)).toBe('+2.5 classes');
    expect(formatValue('bp_drugs', 0, 'classes', true)).toBe('0 classes');
  });

  it('are drawn as steps on whole-number ticks', () => {
    const months = (v: number) => Array.from({ length: 13 }, () => v);
    const p = {
      scenario: 'strategy',
      outputs: [{ output: 'bp_drugs', label: 'BP-lowering drugs', unit: 'classes', p5: months(1), p50: months(2), p95: months(3) }],
    } as unknown as Projection;
    const f = projectionFigure([p], 'bp_drugs');
    expect(f.layout.yaxis).toMatchObject({ dtick: 1 });
    expect((f.data[2] as { line: { shape: string } }).line.shape).toBe('hv');
  });
});

describe('the heatmap’s target axes', () => {
  it('pair with exercise or each other, not with axes that set drugs', () => {
    expect(axesProblem('sbpTarget', 'exercise')).toBeNull();
    expect(axesProblem('sbpTarget', 'ldlTarget')).toBeNull();
    expect(axesProblem('sbpTarget', 'ldlLowering')).toMatch(/chooses the drugs itself/);
    expect(axesProblem('adherence', 'ldlTarget')).toMatch(/chooses the drugs itself/);
    expect(axesProblem('exercise', 'exercise')).toMatch(/different/);
  });
});

describe('the builder’s Treat to target section', () => {
  it('saves a strategy with no other change, and refuses one beside a drug change', () => {
    const onSave = vi.fn<(s: ScenarioFile, replace: string | null) => void>();
    render(<ScenarioBuilder horizonMonths={120} onSave={onSave} saving={false} saveError={null} />);
    const save = screen.getByRole('button', { name: 'Save scenario' });
    fireEvent.change(screen.getByLabelText('Scenario name'), { target: { value: 'Target 130' } });
    expect(save).toHaveProperty('disabled', true);
    fireEvent.click(screen.getByLabelText('Treat to an SBP target'));
    expect(save).toHaveProperty('disabled', false);
    const sequence = screen.getByRole('list', { name: 'BP drug sequence, in the order added' });
    expect(within(sequence).getAllByRole('listitem').map((li) => li.textContent.split(' ')[0])).toEqual(['ACE', 'Calcium-channel', 'Thiazide', 'Mineralocorticoid', 'Beta-blocker']);
    fireEvent.click(screen.getByRole('button', { name: 'Move Thiazide diuretic earlier in the BP drug sequence' }));
    expect(within(sequence).getAllByRole('listitem')[1]?.textContent).toMatch(/^Thiazide/);
    fireEvent.change(screen.getByLabelText('SBP target (mmHg)'), { target: { value: '80' } });
    expect(screen.getByText(/The SBP target must be 90–180 mmHg/)).toBeTruthy();
    expect(save).toHaveProperty('disabled', true);
    fireEvent.change(screen.getByLabelText('SBP target (mmHg)'), { target: { value: '125' } });
    // A drug change cannot be added beside the strategy: it says so.
    fireEvent.change(screen.getByLabelText('Change', { exact: true }), { target: { value: 'start_drug' } });
    expect(screen.getByText(/the strategy chooses the drugs/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Add change' })).toHaveProperty('disabled', true);
    fireEvent.click(save);
    expect(onSave).toHaveBeenCalledWith({
      name: 'Target 130',
      interventions: [],
      strategy: { sbpTarget: 125, reviewMonths: 3, sequence: ['ace_inhibitor', 'thiazide', 'calcium_channel_blocker', 'mra', 'beta_blocker'] },
    }, null);
  });

  it('says so when drug changes were added before the target was turned on', () => {
    render(<ScenarioBuilder horizonMonths={120} onSave={vi.fn()} saving={false} saveError={null} />);
    fireEvent.change(screen.getByLabelText('Scenario name'), { target: { value: 'Both' } });
    fireEvent.change(screen.getByLabelText('Change', { exact: true }), { target: { value: 'start_drug' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add change' }));
    fireEvent.click(screen.getByLabelText('Treat to an SBP target'));
    expect(screen.getByText(/cannot sit beside drug changes: remove Start/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Save scenario' })).toHaveProperty('disabled', true);
  });
});

describe('a strategy in the patient’s words', () => {
  it('says regular checks and a medicine added each time the reading is too high', () => {
    expect(plainScenario({ name: 'x', interventions: [{ type: 'sodium_reduction', start_month: 0 }], strategy: { sbpTarget: 130, reviewMonths: 3 } })).toBe(
      'eat less salt, then check your blood pressure every 3 months and add or raise a blood-pressure medicine each time the top number is 130 or higher',
    );
  });
});
