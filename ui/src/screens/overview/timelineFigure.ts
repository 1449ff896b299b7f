// The overview figure: every measured series on one shared time axis, one band of the figure per
// kind of measurement, medications as bars and conditions/procedures as markers beneath.
import type { Data, Layout } from 'plotly.js';
import type { Series, Timeline } from '../../api/backend';

/** Which band each measurement goes in, top to bottom. Unlisted kinds go in "Other". */
const GROUPS: { title: string; keys: string[] }[] = [
  { title: 'Blood pressure', keys: ['sbp', 'dbp'] },
  { title: 'Heart rate', keys: ['heart_rate', 'wearable_resting_heart_rate'] },
  { title: 'Lipids', keys: ['total_cholesterol', 'ldl_cholesterol', 'hdl_cholesterol', 'triglycerides'] },
  { title: 'HbA1c', keys: ['hba1c'] },
  { title: 'Kidney (eGFR)', keys: ['egfr'] },
  { title: 'LVEF', keys: ['lvef'] },
  { title: 'Weight', keys: ['weight'] },
  { title: 'Steps', keys: ['steps'] },
  { title: 'Sleep', keys: ['sleep_duration'] },
];

const COLOURS = ['#b3261e', '#1f5fa8', '#2e7d32', '#8e24aa', '#ef6c00', '#00838f', '#5d4037'];

export type Span = '1y' | '5y' | 'all';

export interface Band {
  title: string;
  series: Series[];
}

/** The bands that have data, in display order. */
export function bands(timeline: Timeline): Band[] {
  const byKey = new Map(timeline.series.map((s) => [s.key, s]));
  const used = new Set<string>();
  const out: Band[] = [];
  for (const g of GROUPS) {
    const series = g.keys.flatMap((k) => {
      const s = byKey.get(k);
      if (s) used.add(k);
      return s ? [s] : [];
    });
    if (series.length > 0) out.push({ title: g.title, series });
  }
  for (const s of timeline.series) {
    if (!used.has(s.key) && !['bmi', 'creatinine'].includes(s.key)) out.push({ title: s.label, series: [s] });
  }
  return out;
}

function axisName(i: number): { trace: string; layout: string } {
  return i === 0 ? { trace: 'y', layout: 'yaxis' } : { trace: `y${(i + 1).toString()}`, layout: `yaxis${(i + 1).toString()}` };
}

export function rangeFor(span: Span, today: Date): [string, string] | undefined {
  if (span === 'all') return undefined;
  const from = new Date(today);
  from.setFullYear(from.getFullYear() - (span === '1y' ? 1 : 5));
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  return [iso(from), iso(today)];
}

export function timelineFigure(timeline: Timeline, span: Span, today: Date): { data: Data[]; layout: Partial<Layout>; height: number } {
  const measured = bands(timeline);
  const todayIso = today.toISOString().slice(0, 10);
  const meds = timeline.medications.filter((m) => m.start);
  const events = [
    ...timeline.conditions.filter((c) => c.date).map((c) => ({ ...c, kind: 'Conditions', symbol: 'diamond' })),
    ...timeline.procedures.filter((p) => p.date).map((p) => ({ ...p, kind: 'Procedures', symbol: 'star' })),
  ];
  // One row per measured band, then medications and events when the record has them; the
  // shared time axis hangs under the last row.
  const rows: { title: string; unit?: string; weight: number; categorical: boolean }[] = [
    ...measured.map((b) => ({ title: b.title, unit: b.series[0]?.unit ?? '', weight: 1, categorical: false })),
    ...(meds.length > 0 ? [{ title: 'Medications', weight: Math.max(1.2, meds.length * 0.35), categorical: true }] : []),
    ...(events.length > 0 ? [{ title: 'Events', weight: 0.6, categorical: true }] : []),
  ];
  const total = rows.reduce((a, r) => a + r.weight, 0);
  const gap = 0.025;
  const layout: Record<string, unknown> = {};
  const data: Data[] = [];
  let top = 1;
  rows.forEach((r, i) => {
    const h = (r.weight / total) * (1 - gap * (rows.length - 1));
    layout[axisName(i).layout] = {
      domain: [Math.max(0, top - h), top],
      title: { text: r.unit ? `${r.title}<br>(${r.unit})` : r.title, font: { size: 12 } },
      automargin: true,
      ...(r.categorical ? { type: 'category', showgrid: false } : {}),
    };
    top -= h + gap;
  });
  let colour = 0;
  measured.forEach((band, i) => {
    const { trace } = axisName(i);
    for (const s of band.series) {
      data.push({
        type: 'scatter',
        mode: 'lines+markers',
        name: s.label,
        x: s.points.map((p) => p.date),
        y: s.points.map((p) => p.value),
        customdata: s.points.map((p) => p.source),
        yaxis: trace,
        line: { width: 1.5, color: COLOURS[colour++ % COLOURS.length] ?? '#333' },
        marker: { size: 5 },
        hovertemplate: `%{y:.1f} ${s.unit}<br>%{x|%Y-%m-%d}<br>source: %{customdata}<extra>${s.label}</extra>`,
      });
    }
  });
  const medAxis = axisName(measured.length).trace;
  for (const m of meds) {
    const dose = m.dailyDoseMg !== null ? ` ${m.dailyDoseMg.toString()} mg/day` : '';
    data.push({
      type: 'scatter',
      mode: 'lines',
      x: [m.start ?? '', m.end ?? todayIso],
      y: [m.display, m.display],
      yaxis: medAxis,
      showlegend: false,
      line: { width: 10, color: m.end ? '#9e9e9e' : '#1f5fa8' },
      hovertemplate: `${m.display}${dose}<br>${m.start ?? '?'} to ${m.end ?? 'now'}${m.adherence !== null ? `<br>${Math.round(m.adherence * 100).toString()}% of days covered` : ''}<br>source: ${m.source}<extra>${m.class ?? 'medication'}</extra>`,
    });
  }
  const eventAxis = axisName(rows.length - 1).trace;
  for (const kind of ['Conditions', 'Procedures']) {
    const of = events.filter((e) => e.kind === kind);
    if (of.length === 0) continue;
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: kind,
      x: of.map((e) => e.date ?? ''),
      y: of.map(() => kind),
      text: of.map((e) => e.label),
      customdata: of.map((e) => e.source),
      yaxis: eventAxis,
      showlegend: false,
      marker: { size: 13, symbol: of[0]?.symbol ?? 'diamond', color: kind === 'Conditions' ? '#ef6c00' : '#6a1b9a' },
      hovertemplate: '%{text}<br>%{x|%Y-%m-%d}<br>source: %{customdata}<extra></extra>',
    });
  }
  const range = rangeFor(span, today);
  return {
    data,
    layout: {
      ...layout,
      xaxis: { type: 'date', anchor: axisName(rows.length - 1).trace, ...(range ? { range } : {}) },
      legend: { orientation: 'h', y: 1.01, yanchor: 'bottom', x: 0 },
      hovermode: 'closest',
      margin: { t: 64, r: 16, b: 40, l: 180 },
    } as Partial<Layout>,
    height: Math.max(520, 130 * measured.length + 28 * meds.length + 120),
  };
}
