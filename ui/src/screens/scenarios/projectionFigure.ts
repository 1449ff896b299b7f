// Small multiples of a comparison: one panel per compared scenario (a column), one row per output,
// shared axes. Each panel draws its scenario's median and 5–95 % band in the scenario's colour over
// the reference (current treatment) as a dotted grey line and a grey band, so three or four
// scenarios never overlay into one another. The panel titles are the scenarios' names.
import type { Annotations, Data, Layout } from 'plotly.js';
import type { OutputKey, Projection } from '../../api/backend';
import type { LipidUnit } from '../../app/format';
import { COUNTS, labelOf, monthLabel, scaleOf } from './outputs';
import { isHeartFailure, isRiskOutput, readMonth } from './outcome';

/**
 * Scenario colours: the reference a neutral grey, then Okabe & Ito's colour-blind-safe blue,
 * vermillion and bluish green (Okabe M, Ito K. Color Universal Design, 2008), each at least 3:1
 * against white. Lines also differ by dash (the reference dotted) and panels are named, so colour
 * is never the only cue.
 */
export const SCENARIO_COLOURS = ['#5f5f5f', '#0072b2', '#d55e00', '#007d5a'];

export function colourOf(index: number): string {
  return SCENARIO_COLOURS[index % SCENARIO_COLOURS.length] ?? '#5f5f5f';
}

export function rgba(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${((n >> 16) & 255).toString()},${((n >> 8) & 255).toString()},${(n & 255).toString()},${alpha.toString()})`;
}

/** A name in lines of about `width` characters, for a panel title or a bar's category. */
export function wrapLabel(text: string, width = 16): string {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines.join('<br>');
}

/** The month a projection's output is drawn to: heart-failure outcomes stop at MAGGIC's horizon. */
export function drawnTo(first: Projection | undefined, output: OutputKey): number {
  return first && isRiskOutput(output) && isHeartFailure(first.outcome) ? readMonth(first.outcome, first.months) : (first?.months ?? 0);
}

/** The figure's title: "Systolic BP: median and 5–95 % band". */
export function figureTitle(projections: Projection[], outputs: OutputKey[]): string {
  const first = projections[0];
  // Two outcomes read as one phrase: "Death from any cause and first HF hospitalisation (cumulative)".
  const labels = outputs.map((o) => labelOf(first, o));
  const names =
    labels.length > 1
      ? `${labels.map((l, i) => (i === 0 ? l : l.charAt(0).toLowerCase() + l.slice(1)).replace(/ \(cumulative\)$/, '')).join(' and ')} (cumulative)`
      : (labels[0] ?? '');
  const cut = outputs.some((o) => drawnTo(first, o) < (first?.months ?? 0));
  return `${names}: median and 5–95 % band${cut ? `, to ${monthLabel(drawnTo(first, outputs[0] ?? 'event_risk'))} (MAGGIC’s horizon)` : ''}`;
}

export interface FigureOptions {
  lipidUnit?: LipidUnit;
  /** Words after the title (", over time"). */
  titleSuffix?: string;
  /** Height of one row of panels, px. */
  rowHeight?: number;
}

/** Suffix of the n-th (0-based) Plotly axis: '', '2', '3'… */
const axisSuffix = (n: number) => (n === 0 ? '' : (n + 1).toString());

/**
 * The panels: a column per scenario after the reference (the reference alone when it is the only
 * projection), a row per output.
 */
export function projectionFigure(
  projections: Projection[],
  outputs: OutputKey | OutputKey[],
  options: FigureOptions = {},
): { data: Data[]; layout: Partial<Layout>; height: number } {
  const rows = Array.isArray(outputs) ? outputs : [outputs];
  const reference = projections[0];
  const compared = projections.length > 1 ? projections.slice(1).map((p, i) => ({ p, colour: colourOf(i + 1) })) : reference ? [{ p: reference, colour: colourOf(0) }] : [];
  const nCols = Math.max(compared.length, 1);
  const nRows = Math.max(rows.length, 1);
  const data: Data[] = [];
  const layout: Partial<Layout> & Record<string, unknown> = {};
  const annotations: Partial<Annotations>[] = [];
  const gap = 0.04;
  const colWidth = (1 - gap * (nCols - 1)) / nCols;
  const vgap = nRows > 1 ? 0.12 : 0;
  const rowHeight = (1 - vgap * (nRows - 1)) / nRows;

  rows.forEach((output, r) => {
    const { factor, unit: scaledUnit } = scaleOf(output, options.lipidUnit);
    const unit = scaledUnit ?? reference?.outputs.find((o) => o.output === output)?.unit ?? '';
    // A count (drug classes) steps at reviews: drawn as steps, on whole-number ticks.
    const count = COUNTS.includes(output);
    const shape = count ? 'hv' : 'linear';
    const digits = count ? '.1~f' : wholeLipid(output, options.lipidUnit) ? '.0f' : '.1f';
    const cut = drawnTo(reference, output) + 1;
    const band = (p: Projection) => {
      const whole = p.outputs.find((o) => o.output === output);
      if (!whole) return null;
      const scale = (v: number[]) => v.slice(0, cut).map((x) => x * factor);
      return { p5: scale(whole.p5), p50: scale(whole.p50), p95: scale(whole.p95) };
    };
    const trio = (p: Projection, colour: string, dotted: boolean, xa: string, ya: string, name: string): Data[] => {
      const b = band(p);
      if (!b) return [];
      const years = b.p50.map((_, m) => m / 12);
      return [
        { type: 'scatter', mode: 'lines', x: years, y: b.p95, xaxis: xa, yaxis: ya, line: { width: 0, shape }, hoverinfo: 'skip', showlegend: false },
        { type: 'scatter', mode: 'lines', x: years, y: b.p5, xaxis: xa, yaxis: ya, fill: 'tonexty', fillcolor: rgba(colour, dotted ? 0.13 : 0.2), line: { width: 0, shape }, hoverinfo: 'skip', showlegend: false },
        {
          type: 'scatter',
          mode: 'lines',
          x: years,
          y: b.p50,
          xaxis: xa,
          yaxis: ya,
          name,
          showlegend: false,
          line: { color: colour, width: dotted ? 2 : 2.5, dash: dotted ? 'dot' : 'solid', shape },
          customdata: b.p5.map((lo, m) => [lo, b.p95[m] ?? NaN]),
          hovertemplate: `%{y:${digits}} ${unit} (90 %% range %{customdata[0]:${digits}}–%{customdata[1]:${digits}}) at %{x:.1f} y<extra>${name}</extra>`,
        },
      ];
    };
    compared.forEach(({ p, colour }, c) => {
      const n = r * nCols + c;
      const xa = `x${axisSuffix(n)}`;
      const ya = `y${axisSuffix(n)}`;
      const top = 1 - r * (rowHeight + vgap);
      layout[`xaxis${axisSuffix(n)}`] = {
        domain: [c * (colWidth + gap), c * (colWidth + gap) + colWidth],
        anchor: ya,
        ...(n > 0 ? { matches: 'x' } : {}),
        title: { text: r === nRows - 1 ? 'years from today' : '' },
        showticklabels: r === nRows - 1,
      };
      layout[`yaxis${axisSuffix(n)}`] = {
        domain: [top - rowHeight, top],
        anchor: xa,
        // Shared within a row, so panels read against each other.
        ...(c > 0 ? { matches: `y${axisSuffix(r * nCols)}`, showticklabels: false } : {}),
        title: { text: c === 0 ? (nRows > 1 ? `${labelOf(reference, output).replace(/ \(cumulative\)$/, '')}, ${unit}` : unit) : '' },
        ...(count ? { dtick: 1, rangemode: 'tozero' as const } : {}),
        ...(isRiskOutput(output) ? { rangemode: 'tozero' as const } : {}),
      };
      if (projections.length > 1 && reference) data.push(...trio(reference, colourOf(0), true, xa, ya, reference.scenario));
      data.push(...trio(p, colour, false, xa, ya, p.scenario));
      if (r === 0) {
        annotations.push({
          text: `<b>${wrapLabel(p.scenario, Math.max(18, Math.round(60 / nCols)))}</b>`,
          font: { color: colour, size: 13 },
          xref: 'paper',
          yref: 'paper',
          x: c * (colWidth + gap),
          xanchor: 'left',
          y: 1,
          yanchor: 'bottom',
          align: 'left',
          showarrow: false,
        });
      }
    });
  });
  const titleLines = Math.max(1, ...compared.map(({ p }) => wrapLabel(p.scenario, Math.max(18, Math.round(60 / nCols))).split('<br>').length));
  const perRow = options.rowHeight ?? 260;
  return {
    data,
    height: perRow * nRows + 20 * titleLines + 60,
    layout: {
      ...layout,
      // Written above the chart by Plot, clear of the tool bar.
      title: { text: `${figureTitle(projections, rows)}${options.titleSuffix ?? ''}` },
      annotations,
      showlegend: false,
      margin: { t: 20 * titleLines + 12, r: 12, b: 48, l: 64 },
      hovermode: 'x unified',
    },
  };
}

/** Cholesterol in mg/dL is read in whole numbers. */
function wholeLipid(output: OutputKey, unit: LipidUnit | undefined): boolean {
  return (output === 'ldl' || output === 'hdl') && unit === 'mg/dL';
}
