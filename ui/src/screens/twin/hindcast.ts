// The personal hindcast in words and in a figure: what the twin rebuilt a year back said against
// the readings that followed.
import type { Data, Layout } from 'plotly.js';
import type { HindcastRow, PersonalHindcast } from '../../api/backend';
import { formatDate } from '../../app/format';
import { measurementColour } from '../../charts/palette';

/** Decimals a reading of each measurement is shown with. */
export const DIGITS: Record<string, number> = {
  sbp: 0,
  dbp: 0,
  heart_rate: 0,
  ldl_cholesterol: 2,
  hdl_cholesterol: 2,
  weight: 1,
  egfr: 0,
};

const digitsOf = (key: string) => DIGITS[key] ?? 1;

/** Each measurement's name inside a sentence. */
const IN_SENTENCE: Record<string, string> = {
  sbp: 'systolic BP',
  dbp: 'diastolic BP',
  heart_rate: 'heart rate',
  ldl_cholesterol: 'LDL cholesterol',
  hdl_cholesterol: 'HDL cholesterol',
  weight: 'weight',
  egfr: 'eGFR',
};

/** A value of `key` to its usual decimals. */
export function formatReading(key: string, value: number): string {
  return value.toFixed(digitsOf(key));
}

/** Which way the twin was off on average, in words ("about right" within a tenth of the error). */
export function biasWords(row: HindcastRow): string {
  const size = formatReading(row.measurement, Math.abs(row.bias));
  if (Math.abs(row.bias) <= 0.1 * row.meanAbsError || Number(size) === 0) return 'no consistent direction';
  return row.bias > 0 ? `twin ${size} ${row.unit} too low` : `twin ${size} ${row.unit} too high`;
}

/** "3 of 4" with a word for the share. */
export function insideWords(inside: number, total: number): string {
  return `${inside.toString()} of ${total.toString()}`;
}

/** One sentence for the comparison screen: the SBP hindcast, or why there is none. */
export function hindcastSentence(h: PersonalHindcast): string {
  if (!h.available) return `No hindcast: ${h.note}.`;
  const sbp = h.rows.find((r) => r.measurement === 'sbp') ?? h.rows[0];
  if (!sbp) return 'No hindcast: no readings in the last year.';
  return (
    `Over the year to ${h.end ?? ''}, the twin rebuilt from the record as it stood a year earlier was off by ` +
    `${formatReading(sbp.measurement, sbp.meanAbsError)} ${sbp.unit} on average for ${IN_SENTENCE[sbp.measurement] ?? sbp.label}, ` +
    `with ${insideWords(sbp.inside, sbp.readings)} readings inside its 90 % range.`
  );
}

/**
 * The held-out readings of `measurement` against what the twin said: its prediction with the
 * 90 % range of a reading as error bars, and the readings themselves.
 */
export function hindcastFigure(h: PersonalHindcast, measurement: string): { data: Data[]; layout: Partial<Layout> } {
  const points = h.points.filter((p) => p.measurement === measurement);
  const row = h.rows.find((r) => r.measurement === measurement);
  const d = digitsOf(measurement);
  const dates = points.map((p) => p.date);
  const data: Data[] = [
    {
      type: 'scatter',
      mode: 'markers',
      name: 'Twin of a year before (90 % range of a reading)',
      x: dates,
      y: points.map((p) => p.predicted),
      marker: { color: '#555555', symbol: 'line-ew-open', size: 14 },
      error_y: { type: 'data', symmetric: false, array: points.map((p) => p.hi - p.predicted), arrayminus: points.map((p) => p.predicted - p.lo), color: '#555555' },
      hovertemplate: `twin %{y:.${d.toString()}f}<extra></extra>`,
    },
    {
      type: 'scatter',
      mode: 'markers',
      name: 'Reading',
      x: dates,
      y: points.map((p) => p.observed),
      // The measurement's own colour, as on the overview (charts/palette).
      marker: { color: measurementColour(measurement), size: 8 },
      hovertemplate: `reading %{y:.${d.toString()}f} on %{x}<extra></extra>`,
    },
  ];
  return {
    data,
    layout: {
      title: { text: `${row?.label ?? measurement}: the twin of ${h.cut ? formatDate(h.cut) : 'a year before'} against what followed` },
      xaxis: { type: 'date' },
      yaxis: { title: { text: row?.unit ?? '' } },
      legend: { orientation: 'h' },
    },
  };
}
