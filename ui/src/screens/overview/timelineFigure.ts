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
  const rows = measured.length + 2; // + medications + events
  const medsWeight = Math.max(1.5, timeline.medications.length * 0.35);
  const weights = [...measured.map(() => 1), medsWeight, 0.6];
  const total = weights.reduce((a, b) => a + b, 0);
  const gap = 0.025;
  const layout: Record<string, unknown> = {};
  const data: Data[] = [];
  let top = 1;
  const todayIso = today.toISOString().slice(0, 10);
  weights.forEach((w, i) => {
    const h = (w / total) * (1 - gap * (rows - 1));
    const domain = [Math.max(0, top - h), top];
    top -= h + gap;
    const { layout: name } = axisName(i);
    const title = i < measured.length ? measured[i]?.title : i === measured.length ? 'Medications' : 'Events';
    const unit = i < measured.length ? measured[i]?.series[0]?.unit : undefined;
    layout[name] = {
      domain,
      title: { text: unit ? `${title ?? ''}<br>(${unit})` : (title ?? ''), font: { size: 12 } },
      automargin: true,
      ...(i >= measured.length ? { type: 'category', showgrid: false } : {}),
    };
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
  timeline.medications.forEach((m) => {
    const end = m.end ?? todayIso;
    if (!m.start) return;
    const dose = m.dailyDoseMg !== null ? ` ${m.dailyDoseMg.toString()} mg/day` : '';
    data.push({
      type: 'scatter',
      mode: 'lines',
      x: [m.start, end],
      y: [m.display, m.display],
      yaxis: medAxis,
      showlegend: false,
      line: { width: 10, color: m.end ? '#9e9e9e' : '#1f5fa8' },
      hovertemplate: `${m.display}${dose}<br>${m.start} to ${m.end ?? 'now'}${m.adherence !== null ? `<br>${Math.round(m.adherence * 100).toString()}% of days covered` : ''}<br>source: ${m.source}<extra>${m.class ?? 'medication'}</extra>`,
    });
  });
  const eventAxis = axisName(measured.length + 1).trace;
  const events = [
    ...timeline.conditions.filter((c) => c.date).map((c) => ({ ...c, kind: 'Conditions', symbol: 'diamond' })),
    ...timeline.procedures.filter((p) => p.date).map((p) => ({ ...p, kind: 'Procedures', symbol: 'star' })),
  ];
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
      xaxis: { type: 'date', anchor: axisName(rows - 1).trace, ...(range ? { range } : {}) },
      legend: { orientation: 'h', y: 1.01, yanchor: 'bottom', x: 0 },
      hovermode: 'closest',
      margin: { t: 64, r: 16, b: 40, l: 180 },
    } as Partial<Layout>,
    height: Math.max(520, 130 * measured.length + 28 * timeline.medications.length + 120),
  };
}
