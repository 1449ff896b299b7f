import type { FindingView, FreshnessView, ReferenceRangeView, Series, TargetsView } from '../../api/backend';
import { formatDate, useDisplay } from '../../app/format';
import { FLAG_WORDS, LATEST_KEYS, latestRows, TREND_SIGNS } from './readings';
import { displayNumber, displayValue, rangeText, targetText } from './values';

export interface LatestValuesProps {
  series: Series[];
  targets: TargetsView;
  ranges: ReferenceRangeView[];
  freshness: FreshnessView | null | undefined;
  /** Findings that are not numbers (the ECG rhythm, the NYHA class), each with its label. */
  findings: { what: string; finding: FindingView | null }[];
}

/**
 * The latest value of each key measurement, with its date, its trend since the reading before,
 * the patient's target or the reference range, an abnormal flag, and a stale mark where the
 * reading is older than its limit.
 */
export function LatestValues({ series, targets, ranges, freshness, findings }: LatestValuesProps) {
  const { lipidUnit } = useDisplay();
  const rows = latestRows(series, LATEST_KEYS, targets, ranges, freshness);
  return (
    <section aria-labelledby="latest-title" className="panel overview-latest">
      <h2 id="latest-title">Latest values</h2>
      <table className="compact" data-testid="latest-values">
        <thead>
          <tr>
            <th scope="col">Measurement</th>
            <th scope="col">Latest</th>
            <th scope="col">Trend</th>
            <th scope="col">Target or normal</th>
            <th scope="col">Measured</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const sign = r.trend ? TREND_SIGNS[r.trend] : null;
            return (
              <tr key={r.key} data-testid={`latest-${r.key}`}>
                <th scope="row">{r.label}</th>
                <td className="nowrap">
                  <span className={r.flag ? 'reading abnormal' : 'reading'}>{displayValue(r.key, r.latest.value, r.unit, lipidUnit)}</span>
                  {r.flag && <span className={`flag flag-${r.flag}`} title={FLAG_WORDS[r.flag].words}>{FLAG_WORDS[r.flag].short}</span>}
                </td>
                <td className="nowrap">
                  {sign && r.previous ? (
                    <span title={`${sign.words} from ${displayValue(r.key, r.previous.value, r.unit, lipidUnit)} on ${formatDate(r.previous.date)}`}>
                      <span aria-hidden="true" className={`trend trend-${r.trend ?? 'stable'}`}>{sign.arrow}</span> {sign.words}
                      <span className="hint"> (was {displayNumber(r.key, r.previous.value, lipidUnit)})</span>
                    </span>
                  ) : (
                    <span className="hint">single reading</span>
                  )}
                </td>
                <td className="nowrap" title={r.target?.source ?? r.range?.source}>
                  {r.target ? `target ${targetText(r.key, r.target, lipidUnit)}` : rangeText(r.key, r.range, lipidUnit) || '—'}
                </td>
                <td className="nowrap">
                  {formatDate(r.latest.date)}
                  {r.stale && <span className="stale-mark">stale: {r.stale} old</span>}
                  {r.officeOld && <span className="stale-mark">office {r.officeOld} old; home BP current</span>}
                </td>
              </tr>
            );
          })}
          {findings.map(({ what, finding }) =>
            finding ? (
              <tr key={what}>
                <th scope="row">{what}</th>
                <td colSpan={3}>{finding.label}</td>
                <td className="nowrap">{formatDate(finding.date)}</td>
              </tr>
            ) : null,
          )}
        </tbody>
      </table>
      {rows.length === 0 && <p>No measurements on record.</p>}
      <details className="hint">
        <summary>
          Targets for {targets.category.toLowerCase()} risk; trend against the reading before (changes within measurement noise read as
          stable)
        </summary>
        <p>Blood pressure: {targets.bpReason} ({targets.bpSource}).</p>
        <p>LDL cholesterol: {targets.ldlReason} ({targets.ldlSource}).</p>
      </details>
    </section>
  );
}
