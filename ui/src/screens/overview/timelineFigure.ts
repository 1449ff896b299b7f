// The overview figure: every measured series on one shared time axis, one band of the figure per
// kind of measurement, each measurement in its own colour (charts/palette), the patient's targets
// as dashed lines, medications as labelled dose bars, and clinical events as markers through
// every band (charts/events).
import type { Annotations, Data, Layout, Shape } from 'plotly.js';
import type { OutputKey, Projection, Series, Timeline } from '../../api/backend';
import { formatDate, lipidIn, type LipidUnit } from '../../app/format';
import { chartEvents, eventMarkers, ROW_PX } from '../../charts/events';
import { layoutLaneLabels, rowPx, TIER_PX, type LaneLabel } from '../../charts/laneLabels';
import { CHART_COLOURS, measurementColour } from '../../charts/palette';
import { agentCourses, doseText, type AgentCourse } from './medications';
import { isLipid, targetFor } from './readings';

/** Which band each measurement goes in, top to bottom. Unlisted kinds go in their own band. */
const GROUPS: { title: string; keys: string[] }[] = [
  { title: 'Blood pressure', keys: ['sbp', 'dbp'] },
  { title: 'Lipids', keys: ['ldl_cholesterol', 'total_cholesterol', 'hdl_cholesterol'] },
  { title: 'Heart rate', keys: ['heart_rate', 'wearable_resting_heart_rate'] },
  { title: 'LVEF', keys: ['lvef'] },
  { title: 'NT-proBNP', keys: ['nt_probnp'] },
  { title: 'HbA1c', keys: ['hba1c'] },
  { title: 'eGFR', keys: ['egfr'] },
  { title: 'Weight', keys: ['weight'] },
];

/** Kept out of the figure: shown in the lab table, or derived from another series. */
const NOT_DRAWN = ['bmi', 'creatinine', 'triglycerides', 'potassium', 'sodium', 'steps', 'sleep_duration', 'qrs_duration'];

/** Short names for lines drawn together, written at each line's end instead of a legend. */
const SHORT: Readonly<Record<string, string>> = {
  sbp: 'SBP',
  dbp: 'DBP',
  ldl_cholesterol: 'LDL-C',
  total_cholesterol: 'TC',
  hdl_cholesterol: 'HDL-C',
  heart_rate: 'Office',
  wearable_resting_heart_rate: 'Wearable',
};

/** The projected output that continues each observed series, where the twin projects it. */
const PROJECTED: Readonly<Record<string, OutputKey>> = { sbp: 'sbp', ldl_cholesterol: 'ldl' };

/** `iso` plus `months` calendar months, as an ISO date. */
export function addMonths(iso: string, months: number): string {
  const d = new Date(`${iso.slice(0, 10)}T12:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

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
      return s && s.points.length > 0 ? [s] : [];
    });
    if (series.length > 0) out.push({ title: g.title, series });
  }
  for (const s of timeline.series) {
    if (!used.has(s.key) && !NOT_DRAWN.includes(s.key) && s.points.length > 0) out.push({ title: s.label, series: [s] });
  }
  return out;
}

function axisName(i: number): { trace: string; layout: string; ref: Annotations['yref'] } {
  const n = i === 0 ? '' : (i + 1).toString();
  return { trace: `y${n}`, layout: `yaxis${n}`, ref: `y${n}` as Annotations['yref'] };
}

export function rangeFor(span: Span, today: Date): [string, string] | undefined {
  if (span === 'all') return undefined;
  const from = new Date(today);
  from.setFullYear(from.getFullYear() - (span === '1y' ? 1 : 5));
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  return [iso(from), iso(today)];
}

/** The unit a series is drawn in: cholesterol in the clinician's choice. */
function unitOf(s: Series, lipidUnit: LipidUnit): string {
  return isLipid(s.key) ? lipidUnit : s.unit;
}

function valueIn(s: Series, v: number, lipidUnit: LipidUnit): number {
  return isLipid(s.key) ? lipidIn(v, lipidUnit) : v;
}

/**
 * The plot area's width the medication labels are laid out for, px: the overview at 1366×768, the
 * narrowest screen the workstation is made for, gives about 1,150; a little less is assumed, so a
 * wider window only has more room.
 */
export const LABEL_PLOT_WIDTH_PX = 1050;

const dayMs = (iso: string) => Date.parse(`${iso.slice(0, 10)}T12:00:00Z`);

export interface TimelineFigure {
  data: Data[];
  layout: Partial<Layout>;
  height: number;
}

/**
 * The figure; with `projection` (today's treatment projected by the twin), SBP and LDL-C go on
 * past today as a median line in the series' colour with its 5–95 % band.
 */
export function timelineFigure(
  timeline: Timeline,
  span: Span,
  today: Date,
  lipidUnit: LipidUnit = 'mmol/L',
  projection: Projection | null = null,
): TimelineFigure {
  const measured = bands(timeline);
  const todayIso = today.toISOString().slice(0, 10);
  const courses = agentCourses(timeline.medications.filter((m) => m.start), timeline.asOf);
  const shown = rangeFor(span, today);
  const horizon = projection ? addMonths(timeline.asOf, projection.months) : null;
  const range: [string, string] | undefined = shown && horizon ? [shown[0], horizon] : shown;
  // Each dose period's label, laid out so that none overlaps another (charts/laneLabels).
  const medLabels = medicationLabels(courses, todayIso);
  const firstDay = [...timeline.series.flatMap((s) => s.points.map((p) => p.date)), ...medLabels.map((l) => l.iso)].sort()[0] ?? todayIso;
  const labelWindow = range ?? [firstDay, horizon ?? todayIso];
  const lane = layoutLaneLabels(medLabels, { from: dayMs(labelWindow[0]), to: dayMs(labelWindow[1]), widthPx: LABEL_PLOT_WIDTH_PX });
  const courseRowPx = rowPx(lane.tiers);
  const events = chartEvents(timeline.procedures, timeline.conditions);
  const markers = eventMarkers(events);
  const rows: { title: string; unit?: string; weight: number; categorical: boolean }[] = [
    ...measured.map((b) => ({
      title: b.title,
      unit: b.series[0] ? unitOf(b.series[0], lipidUnit) : '',
      weight: 1,
      categorical: false,
    })),
    ...(courses.length > 0 ? [{ title: 'Medications', weight: Math.max(0.8, (courses.length * 0.42 * courseRowPx) / rowPx(1)), categorical: true }] : []),
  ];
  const total = rows.reduce((a, r) => a + r.weight, 0);
  const gap = 0.03;
  const layout: Record<string, unknown> = {};
  const data: Data[] = [];
  const shapes: Partial<Shape>[] = [...markers.shapes];
  const annotations: Partial<Annotations>[] = [...markers.annotations];
  let top = 1;
  rows.forEach((r, i) => {
    const h = (r.weight / total) * (1 - gap * (rows.length - 1));
    layout[axisName(i).layout] = {
      domain: [Math.max(0, top - h), top],
      title: { text: r.unit ? `${r.title}<br>(${r.unit})` : r.title, font: { size: 12 } },
      automargin: true,
      ...(r.categorical ? { type: 'category', showgrid: false, autorange: 'reversed' } : { zeroline: false }),
    };
    top -= h + gap;
  });
  measured.forEach((band, i) => {
    const axis = axisName(i);
    band.series.forEach((s, seriesIdx) => {
      const colour = measurementColour(s.key);
      const unit = unitOf(s, lipidUnit);
      const digits = isLipid(s.key) && lipidUnit === 'mg/dL' ? 0 : 1;
      const y = s.points.map((p) => valueIn(s, p.value, lipidUnit));
      data.push({
        type: 'scatter',
        mode: 'lines+markers',
        name: s.label,
        x: s.points.map((p) => p.date),
        y,
        yaxis: axis.trace,
        showlegend: false,
        line: { width: 1.5, color: colour },
        marker: { size: 5, color: colour },
        hovertemplate: `%{y:.${digits.toString()}f} ${unit}<br>%{x|%-d %b %Y}<extra>${s.label}</extra>`,
      });
      const last = s.points[s.points.length - 1];
      if (band.series.length > 1 && last) {
        annotations.push({
          xref: 'x',
          yref: axis.ref,
          x: last.date,
          y: valueIn(s, last.value, lipidUnit),
          xanchor: 'left',
          xshift: 6,
          // Alternately above and below, so two lines ending together keep readable names.
          yshift: seriesIdx % 2 === 0 ? 6 : -6,
          showarrow: false,
          text: SHORT[s.key] ?? s.label,
          font: { size: 11, color: colour },
        });
      }
      const projected = projection?.outputs.find((o) => o.output === PROJECTED[s.key]);
      if (projection && projected && projected.p50.length > 0) {
        const x = projected.p50.map((_, m) => addMonths(timeline.asOf, m));
        const conv = (v: number) => valueIn(s, v, lipidUnit);
        const what = `${s.label} projected under today's treatment`;
        data.push(
          {
            type: 'scatter',
            mode: 'lines',
            x,
            y: projected.p95.map(conv),
            yaxis: axis.trace,
            showlegend: false,
            line: { width: 0, color: colour },
            hoverinfo: 'skip',
          },
          {
            type: 'scatter',
            mode: 'lines',
            x,
            y: projected.p5.map(conv),
            yaxis: axis.trace,
            showlegend: false,
            fill: 'tonexty',
            fillcolor: `${colour}33`,
            line: { width: 0, color: colour },
            hoverinfo: 'skip',
          },
          {
            type: 'scatter',
            mode: 'lines',
            name: what,
            x,
            y: projected.p50.map(conv),
            yaxis: axis.trace,
            showlegend: false,
            line: { width: 2, color: colour, dash: 'dot' },
            hovertemplate: `median %{y:.${digits.toString()}f} ${unit} (5–95% band shaded)<br>%{x|%b %Y}<extra>${what}</extra>`,
          },
        );
      }
      const target = targetFor(s.key, timeline.targets);
      if (target) {
        const at = valueIn(s, target.below, lipidUnit);
        shapes.push({
          type: 'line',
          xref: 'paper',
          yref: axis.ref,
          x0: 0,
          x1: 1,
          y0: at,
          y1: at,
          line: { color: colour, width: 1.5, dash: 'dash' },
        });
        annotations.push({
          xref: 'paper',
          yref: axis.ref,
          x: 0,
          y: at,
          xanchor: 'left',
          yanchor: 'bottom',
          showarrow: false,
          text: `${SHORT[s.key] ?? s.label} target < ${Number.isInteger(at) || digits === 0 ? Math.round(at).toString() : at.toFixed(1)}`,
          hovertext: target.source,
          font: { size: 10, color: colour },
          bgcolor: 'rgba(255,255,255,0.8)',
        });
      }
    });
  });
  const medAxis = axisName(measured.length).trace;
  const medRef = axisName(measured.length).ref;
  for (const c of courses) {
    c.periods.forEach((p) => {
      const dose = doseText(p.dailyDoseMg);
      const period = `${p.start ? formatDate(p.start) : 'start unknown'} to ${p.end ? formatDate(p.end) : 'now'}`;
      const adherence = p.adherence !== null ? `<br>${Math.round(p.adherence * 100).toString()}% of days covered` : '';
      data.push({
        type: 'scatter',
        mode: 'lines',
        x: [p.start ?? '', p.end ?? todayIso],
        y: [c.agent, c.agent],
        yaxis: medAxis,
        showlegend: false,
        line: { width: 7, color: p.end && p.end < timeline.asOf ? CHART_COLOURS.pastMedication : CHART_COLOURS.medication },
        hovertemplate: `${p.instruction}${dose ? ` (${dose})` : ''}<br>${period}${adherence}<extra>${c.class ?? 'medication'}</extra>`,
      });
    });
  }
  // Each label just above its bar from the day the dose began (or the window's edge), a tier
  // higher where it would run into the label before it; a label cut short keeps its full text
  // in the hover.
  for (const l of lane.labels) {
    annotations.push({
      xref: 'x',
      yref: medRef,
      x: new Date(l.x).toISOString().slice(0, 10),
      y: l.row,
      yanchor: 'bottom',
      yshift: 4 + l.tier * TIER_PX,
      xanchor: 'left',
      showarrow: false,
      text: l.text,
      ...(l.text !== l.full ? { hovertext: l.full } : {}),
      font: { size: 11, color: '#222' },
    });
  }
  if (horizon) {
    shapes.push({ type: 'line', xref: 'x', yref: 'paper', x0: timeline.asOf, x1: timeline.asOf, y0: 0, y1: 1, layer: 'above', line: { color: '#222', width: 1 } });
    annotations.push({
      xref: 'x',
      yref: 'paper',
      x: timeline.asOf,
      y: 1,
      yanchor: 'bottom',
      yshift: 2 + markers.rows * ROW_PX,
      xanchor: 'left',
      showarrow: false,
      text: "Today ▸ projected under today's treatment",
      font: { size: 11, color: '#222' },
    });
  }
  const eventRows = markers.rows + (horizon ? 1 : 0);
  return {
    data,
    layout: {
      ...layout,
      xaxis: { type: 'date', anchor: axisName(rows.length - 1).trace, ...(range ? { range } : {}) },
      showlegend: false,
      shapes,
      annotations,
      hovermode: 'closest',
      // Room above the plot for the event labels, clear of the mode bar on the right.
      margin: { t: 24 + eventRows * ROW_PX, r: 70, b: 40, l: 110 },
    } as Partial<Layout>,
    height: Math.max(420, 125 * measured.length + courseRowPx * courses.length + 80 + eventRows * ROW_PX),
  };
}

/** A dose period's label with its ISO start, for the lane layout: "↑ Carvedilol 50 mg/day". */
interface MedicationLabel extends LaneLabel {
  iso: string;
}

/** Every dose period's label (a period with no start date is drawn from today, as its bar is). */
export function medicationLabels(courses: AgentCourse[], todayIso: string): MedicationLabel[] {
  return courses.flatMap((c) =>
    c.periods.map((p) => {
      const dose = doseText(p.dailyDoseMg);
      const change = p.change === 'increase' ? '↑ ' : p.change === 'decrease' ? '↓ ' : '';
      const iso = p.start ?? todayIso;
      return { row: c.agent, start: dayMs(iso), end: dayMs(p.end ?? todayIso), text: `${change}${c.agent}${dose ? ` ${dose}` : ''}`, iso };
    }),
  );
}
