/**
 * Clinical events (procedures such as PCI or CABG, diagnoses such as a myocardial infarction or
 * heart failure) as vertical markers through every panel of a figure, each labelled at the top
 * with its date on hover, so a change in BP or LDL-C can be read against what happened.
 */
import type { Annotations, Shape } from 'plotly.js';
import type { CodedItem } from '../api/backend';
import { formatDate } from '../app/format';
import { CHART_COLOURS } from './palette';

/** One dated event. */
export interface ChartEvent {
  /** ISO date. */
  date: string;
  /** What happened ("Percutaneous coronary intervention", "Heart failure diagnosed"). */
  label: string;
  kind: 'procedure' | 'diagnosis';
}

/** Labels longer than this are shortened on the figure (the hover text keeps them whole). */
const MAX_LABEL = 26;

/** Events closer than this share a date region, so their labels go on separate rows. */
const CLOSE_DAYS = 200;

/** The dated procedures and diagnoses, oldest first; undated ones cannot be placed and are left out. */
export function chartEvents(procedures: CodedItem[], conditions: CodedItem[]): ChartEvent[] {
  const dated = (items: CodedItem[], kind: ChartEvent['kind']): ChartEvent[] =>
    items.flatMap((c) =>
      c.date ? [{ date: c.date.slice(0, 10), label: kind === 'diagnosis' ? `${c.label} diagnosed` : c.label, kind }] : [],
    );
  return [...dated(procedures, 'procedure'), ...dated(conditions, 'diagnosis')].sort((a, b) => a.date.localeCompare(b.date));
}

/** "Heart failure with reduced ejec…" */
export function shortLabel(label: string): string {
  return label.length <= MAX_LABEL ? label : `${label.slice(0, MAX_LABEL - 1).trimEnd()}…`;
}

function days(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
}

/** The label row (0 = nearest the plot) of each event, so labels of nearby events do not overlap. */
export function labelRows(events: ChartEvent[]): number[] {
  const lastInRow: number[] = [];
  return events.map((e) => {
    const d = days(e.date);
    let row = lastInRow.findIndex((last) => d - last >= CLOSE_DAYS);
    if (row < 0) row = lastInRow.length;
    lastInRow[row] = d;
    return row;
  });
}

/** Pixels between label rows. */
export const ROW_PX = 16;

/**
 * The markers: a dotted vertical line per event through the whole figure (`yref: 'paper'`), and
 * a label above the plot area whose hover text gives the event in full with its date.
 */
export function eventMarkers(events: ChartEvent[]): { shapes: Partial<Shape>[]; annotations: Partial<Annotations>[]; rows: number } {
  const rows = labelRows(events);
  const shapes: Partial<Shape>[] = events.map((e) => ({
    type: 'line',
    xref: 'x',
    yref: 'paper',
    x0: e.date,
    x1: e.date,
    y0: 0,
    y1: 1,
    // Above the bands' backgrounds, or the line would show only in the gaps between them.
    layer: 'above',
    line: { color: CHART_COLOURS.event, width: 1, dash: e.kind === 'procedure' ? 'dash' : 'dot' },
  }));
  const annotations: Partial<Annotations>[] = events.map((e, i) => ({
    xref: 'x',
    yref: 'paper',
    x: e.date,
    y: 1,
    yanchor: 'bottom',
    yshift: 2 + (rows[i] ?? 0) * ROW_PX,
    showarrow: false,
    text: `${e.kind === 'procedure' ? '▼' : '◆'} ${shortLabel(e.label)}`,
    hovertext: `${e.label}, ${formatDate(e.date)}`,
    font: { size: 11, color: CHART_COLOURS.event },
    xanchor: 'left',
  }));
  return { shapes, annotations, rows: rows.length === 0 ? 0 : Math.max(...rows) + 1 };
}
