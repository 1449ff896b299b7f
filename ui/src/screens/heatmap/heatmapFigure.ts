// The risk heatmap as a Plotly figure: median risk per cell (10-year event risk; in heart failure
// 3-year death from any cause), with the band and the regimen on hover. Axis defaults live here too.
import type { Data, Layout } from 'plotly.js';
import type { Axis, AxisSpec, HeatmapView } from '../../api/backend';
import { heatmapRiskName, isHeartFailure } from '../scenarios/outcome';

export const AXES: { value: Axis; label: string; from: number; to: number }[] = [
  { value: 'sbpLowering', label: 'SBP lowering (mmHg)', from: 0, to: 30 },
  { value: 'ldlLowering', label: 'LDL-C lowering (%)', from: 0, to: 60 },
  { value: 'adherence', label: 'Adherence to today’s drugs (%)', from: 40, to: 100 },
  { value: 'exercise', label: 'Aerobic exercise (min/week)', from: 0, to: 300 },
  { value: 'sbpTarget', label: 'SBP target, treat to target (mmHg)', from: 120, to: 150 },
  { value: 'ldlTarget', label: 'LDL-C target, treat to target (mg/dL)', from: 55, to: 130 },
];

/** Axes whose cells are treat-to-target strategies (they choose the drugs, and run on the CPU). */
export const TARGET_AXES: Axis[] = ['sbpTarget', 'ldlTarget'];
/** Axes that set drugs by amount: a strategy cannot share a cell with them. */
const DRUG_AXES: Axis[] = ['sbpLowering', 'ldlLowering', 'adherence'];

/** Why two axes cannot make a grid, or null (the server's checks). */
export function axesProblem(x: Axis, y: Axis): string | null {
  if (x === y) return 'Choose two different axes.';
  const target = [x, y].find((a) => TARGET_AXES.includes(a));
  const drugs = [x, y].find((a) => DRUG_AXES.includes(a));
  if (target && drugs) {
    const name = (a: Axis) => AXES.find((v) => v.value === a)?.label ?? a;
    return `${name(target)} makes each cell a treat-to-target strategy, which chooses the drugs itself: pair it with exercise or the other target, not with ${name(drugs)}.`;
  }
  return null;
}

export function axisSpec(axis: Axis): AxisSpec {
  const a = AXES.find((x) => x.value === axis) ?? AXES[0];
  return { axis, from: a?.from ?? 0, to: a?.to ?? 1 };
}

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

/** Whether no cell has a risk (no outcome model applies to the patient). */
export function heatmapEmpty(h: HeatmapView): boolean {
  return h.cells.every((c) => c.p50 === null);
}

/** The heatmap's title: "3-year death from any cause (median of 200 simulated courses per cell)". */
export function heatmapTitle(h: HeatmapView): string {
  const name = heatmapRiskName(h.outcome, h.months);
  return `${name.charAt(0).toUpperCase()}${name.slice(1)} (median of ${String(h.members)} simulated courses per cell)`;
}

export function heatmapFigure(h: HeatmapView): { data: Data[]; layout: Partial<Layout> } {
  const n = h.x.values.length;
  const name = heatmapRiskName(h.outcome, h.months);
  const rows = h.y.values.map((_, r) => h.cells.slice(r * n, (r + 1) * n));
  const trace: Record<string, unknown> = {
    type: 'heatmap',
    x: h.x.values,
    y: h.y.values,
    z: rows.map((row) => row.map((c) => (c.p50 === null ? null : c.p50 * 100))),
    customdata: rows.map((row) => row.map((c) => [pct(c.p5), pct(c.p95), c.regimen])),
    hovertemplate: `%{customdata[2]}<br>${name} %{z:.1f}% (5–95%: %{customdata[0]}–%{customdata[1]})<extra></extra>`,
    colorscale: [
      [0, '#f7fbff'],
      [0.5, '#6baed6'],
      [1, '#08306b'],
    ],
    colorbar: { title: { text: isHeartFailure(h.outcome) ? 'death, %' : 'risk, %' } },
  };
  return {
    data: [trace],
    layout: {
      title: { text: heatmapTitle(h) },
      xaxis: { title: { text: `${h.x.label} (${h.x.unit})` } },
      yaxis: { title: { text: `${h.y.label} (${h.y.unit})` } },
      margin: { l: 70, r: 20, t: 50, b: 60 },
    },
  };
}

/** `n` values from `from` to `to`, as the backend spaces a grid's axis. */
export function axisValues(spec: AxisSpec, n: number): number[] {
  return Array.from({ length: n }, (_, i) => spec.from + ((spec.to - spec.from) * i) / (n - 1));
}

/**
 * The rows finished so far, while the heatmap computes: median risk per finished cell, blank
 * where a cell has not run yet.
 */
export function partialFigure(x: AxisSpec, y: AxisSpec, grid: number, medians: (number | null)[]): { data: Data[]; layout: Partial<Layout> } {
  const label = (axis: Axis) => AXES.find((a) => a.value === axis)?.label ?? axis;
  const z = Array.from({ length: grid }, (_, r) =>
    Array.from({ length: grid }, (_, c) => {
      const v = medians[r * grid + c];
      return v === undefined || v === null ? null : v * 100;
    }),
  );
  return {
    data: [{ type: 'heatmap', x: axisValues(x, grid), y: axisValues(y, grid), z, hoverinfo: 'skip', colorscale: [[0, '#f7fbff'], [0.5, '#6baed6'], [1, '#08306b']], colorbar: { title: { text: 'risk, %' } } }],
    layout: {
      title: { text: `Computing: ${String(medians.length)} of ${String(grid * grid)} cells` },
      xaxis: { title: { text: label(x.axis) } },
      yaxis: { title: { text: label(y.axis) } },
      margin: { l: 70, r: 20, t: 50, b: 60 },
    },
  };
}
