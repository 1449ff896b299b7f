import { useMemo, useState } from 'react';
import type { PersonalHindcast } from '../../api/backend';
import { formatDate } from '../../app/format';
import { Plot } from '../../charts/Plot';
import { biasWords, formatReading, hindcastFigure, insideWords } from './hindcast';

const TARGET_LABELS: Record<string, string> = {
  sbp: 'Systolic BP',
  dbp: 'Diastolic BP',
  ldl_cholesterol: 'LDL cholesterol',
  heart_rate: 'Heart rate',
};

/** "How well this twin predicted this patient's last year": mechanistic, then the learned hybrid. */
export function HindcastPanel({ hindcast: h }: { hindcast: PersonalHindcast }) {
  const [measurement, setMeasurement] = useState('sbp');
  const shown = h.rows.some((r) => r.measurement === measurement) ? measurement : (h.rows[0]?.measurement ?? 'sbp');
  const figure = useMemo(() => hindcastFigure(h, shown), [h, shown]);
  if (!h.available) {
    return (
      <section aria-labelledby="hindcast-title" data-testid="hindcast">
        <h2 id="hindcast-title">How well this twin predicted the last year</h2>
        <p className="note">No hindcast: {h.note}.</p>
      </section>
    );
  }
  const unitOf = (target: string) => h.rows.find((r) => r.measurement === target)?.unit ?? '';
  return (
    <section aria-labelledby="hindcast-title" data-testid="hindcast">
      <h2 id="hindcast-title">How well this twin predicted the last year</h2>
      <p className="lead">
        The twin was rebuilt from the record as it stood on {h.cut ? formatDate(h.cut) : 'a year before'} and projected the {h.months.toString()} months to {h.end ? formatDate(h.end) : 'today'} under the
        treatment actually given. Each reading of that year is set against what it said. A handful of readings describe this record, not
        the twin&apos;s accuracy in general.
      </p>
      <div className="columns">
        <table className="compact" data-testid="hindcast-table">
          <caption>Mechanistic twin</caption>
          <thead>
            <tr>
              <th scope="col">Measurement</th>
              <th scope="col">Readings</th>
              <th scope="col">Off by, on average</th>
              <th scope="col">Direction</th>
              <th scope="col">Inside the 90 % range</th>
            </tr>
          </thead>
          <tbody>
            {h.rows.map((r) => (
              <tr key={r.measurement}>
                <th scope="row">
                  <button type="button" aria-pressed={r.measurement === shown} onClick={() => {
                    setMeasurement(r.measurement);
                  }}>
                    {r.label}
                  </button>
                </th>
                <td>{r.readings.toString()}</td>
                <td>
                  {formatReading(r.measurement, r.meanAbsError)} {r.unit}
                </td>
                <td>{biasWords(r)}</td>
                <td>{insideWords(r.inside, r.readings)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <Plot data={figure.data} layout={figure.layout} testId="hindcast-chart" label={`Hindcast of ${shown}: the twin's prediction and 90 % range against each reading`} height={300} />
      </div>
      {h.hybrid.length > 0 ? (
        <table className="compact" data-testid="hindcast-hybrid">
          <caption>Learned hybrid (experimental, trained on synthetic patients): {h.hybridNote}</caption>
          <thead>
            <tr>
              <th scope="col">Measurement</th>
              <th scope="col">Readings near 1, 3, 6, 12 months</th>
              <th scope="col">Engine off by</th>
              <th scope="col">Hybrid off by</th>
              <th scope="col">Inside the hybrid&apos;s 90 % range</th>
            </tr>
          </thead>
          <tbody>
            {h.hybrid.map((r) => (
              <tr key={r.target}>
                <th scope="row">{TARGET_LABELS[r.target] ?? r.target}</th>
                <td>{r.points.toString()}</td>
                <td>
                  {formatReading(r.target, r.engineAbsError)} {unitOf(r.target)}
                </td>
                <td>
                  {formatReading(r.target, r.hybridAbsError)} {unitOf(r.target)}
                </td>
                <td>{insideWords(r.hybridInside, r.points)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="note">Learned hybrid: {h.hybridNote}</p>
      )}
    </section>
  );
}
