import { useId, useState } from 'react';
import type { ReferenceRangeView, Series, TargetsView } from '../../api/backend';
import { formatDate, useDisplay } from '../../app/format';
import { FLAG_WORDS, flagFor, labTable, readingOn, targetFor } from './readings';
import { displayNumber, displayUnit, rangeText, targetText } from './values';

/** Dates shown before "Show all". */
const RECENT_DATES = 5;

/**
 * Every laboratory result on record: one row per lab, one column per date (newest first), the
 * reference range (or the patient's target) with its source on hover, and results outside it
 * flagged in words as well as in bold.
 */
export function LabTable({ series, targets, ranges }: { series: Series[]; targets: TargetsView; ranges: ReferenceRangeView[] }) {
  const { lipidUnit } = useDisplay();
  const [all, setAll] = useState(false);
  const captionId = useId();
  const { labs, dates } = labTable(series);
  if (labs.length === 0) return null;
  const shown = all ? dates : dates.slice(0, RECENT_DATES);
  const sources = [...new Set(labs.flatMap((s) => ranges.find((r) => r.key === s.key)?.source ?? []))];
  return (
    <section aria-labelledby="labs-title" className="panel">
      <h2 id="labs-title">Laboratory results</h2>
      <div className="table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
        <table className="compact lab-table" data-testid="lab-table">
          <caption id={captionId}>
            {labs.length.toString()} tests on {dates.length.toString()} dates, newest first
            {!all && dates.length > RECENT_DATES ? ` (latest ${RECENT_DATES.toString()} dates shown)` : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">Test</th>
              <th scope="col">Target or normal</th>
              {shown.map((d) => (
                <th scope="col" key={d} className="nowrap">
                  {formatDate(d)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {labs.map((s) => {
              const target = targetFor(s.key, targets);
              const range = ranges.find((r) => r.key === s.key);
              const unit = displayUnit(s.key, s.unit, lipidUnit);
              return (
                <tr key={s.key} data-testid={`lab-${s.key}`}>
                  <th scope="row" className="nowrap">
                    {s.label} <span className="hint">({unit})</span>
                  </th>
                  <td className="nowrap" title={target?.source ?? range?.source}>
                    {target ? `target ${targetText(s.key, target, lipidUnit)}` : rangeText(s.key, range, lipidUnit) || '—'}
                  </td>
                  {shown.map((d) => {
                    const p = readingOn(s, d);
                    if (!p) {
                      return (
                        <td key={d} className="empty">
                          <span aria-hidden="true">·</span>
                          <span className="visually-hidden">not measured</span>
                        </td>
                      );
                    }
                    const flag = flagFor(p.value, target, range);
                    return (
                      <td key={d} className={flag ? 'abnormal nowrap' : 'nowrap'}>
                        {displayNumber(s.key, p.value, lipidUnit)}
                        {flag && <span className={`flag flag-${flag}`}>{flag === 'above-target' ? '▲' : FLAG_WORDS[flag].short}</span>}
                        {flag && <span className="visually-hidden"> {FLAG_WORDS[flag].words}</span>}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {dates.length > RECENT_DATES && (
        <button type="button" aria-expanded={all} onClick={() => { setAll(!all); }}>
          {all ? `Show the latest ${RECENT_DATES.toString()} dates` : `Show all ${dates.length.toString()} dates`}
        </button>
      )}
      <p className="hint">
        H: above the reference range; L: below it; ▲: at or above the patient's target. Reference ranges are for adults: {sources.join('; ')}.
      </p>
    </section>
  );
}
