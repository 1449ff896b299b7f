// Overlaid trajectories: each scenario's median with its 5–95 % band, for one output.
import type { Data, Layout } from 'plotly.js';
import type { OutputKey, Projection } from '../../api/backend';
import { COUNTS, labelOf, monthLabel, scaleOf } from './outputs';
import { isHeartFailure, isRiskOutput, readMonth } from './outcome';

export const SCENARIO_COLOURS = ['#424242', '#1f5fa8', '#b3261e', '#2e7d32'];

function rgba(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${((n >> 16) & 255).toString()},${((n >> 8) & 255).toString()},${(n & 255).toString()},${alpha.toString()})`;
}

export function projectionFigure(projections: Projection[], output: OutputKey): { data: Data[]; layout: Partial<Layout> } {
  const data: Data[] = [];
  let unit = '';
  // A count (drug classes) steps at reviews: drawn as steps, on whole-number ticks.
  const count = COUNTS.includes(output);
  const shape = count ? 'hv' : 'linear';
  const digits = count ? '.1~f' : '.1f';
  // Heart-failure outcomes stop at MAGGIC's horizon (3 years): not drawn past what it covers.
  const first = projections[0];
  const cut = first && isRiskOutput(output) && isHeartFailure(first.outcome) ? readMonth(first.outcome, first.months) + 1 : Infinity;
  projections.forEach((p, i) => {
    const whole = p.outputs.find((o) => o.output === output);
    if (!whole) return;
    const band = { ...whole, p5: whole.p5.slice(0, cut), p50: whole.p50.slice(0, cut), p95: whole.p95.slice(0, cut) };
    const { factor, unit: shown } = scaleOf(output);
    unit = shown ?? band.unit;
    const years = band.p50.map((_, m) => m / 12);
    const colour = SCENARIO_COLOURS[i % SCENARIO_COLOURS.length] ?? '#333';
    const scale = (v: number[]) => v.map((x) => x * factor);
    data.push(
      { type: 'scatter', mode: 'lines', x: years, y: scale(band.p95), line: { width: 0, shape }, hoverinfo: 'skip', showlegend: false, legendgroup: p.scenario },
      {
        type: 'scatter',
        mode: 'lines',
        x: years,
        y: scale(band.p5),
        fill: 'tonexty',
        fillcolor: rgba(colour, 0.15),
        line: { width: 0, shape },
        name: `${p.scenario}: 5–95 % band`,
        legendgroup: p.scenario,
        hoverinfo: 'skip',
        showlegend: false,
      },
      {
        type: 'scatter',
        mode: 'lines',
        x: years,
        y: scale(band.p50),
        name: p.scenario,
        legendgroup: p.scenario,
        line: { color: colour, width: 2.5, dash: i === 0 ? 'dot' : 'solid', shape },
        customdata: band.p5.map((lo, m) => [lo * factor, (band.p95[m] ?? NaN) * factor]),
        hovertemplate: `%{y:${digits}} ${unit} (90 %% range %{customdata[0]:${digits}}–%{customdata[1]:${digits}}) at %{x:.1f} y<extra>${p.scenario}</extra>`,
      },
    );
  });
  return {
    data,
    layout: {
      title: { text: `${labelOf(projections[0], output)}: median and 5–95 % band${Number.isFinite(cut) ? `, to ${monthLabel(cut - 1)} (MAGGIC's horizon)` : ''}`, y: 0.97 },
      xaxis: { title: { text: 'years from today' } },
      yaxis: { title: { text: unit }, ...(count ? { dtick: 1, rangemode: 'tozero' as const } : {}) },
      legend: { orientation: 'h', x: 0, y: 1.0, yanchor: 'bottom' },
      margin: { t: 70, r: 16, b: 50, l: 64 },
      hovermode: 'x unified',
    },
  };
}
