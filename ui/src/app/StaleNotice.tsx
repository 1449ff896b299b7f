import { useId } from 'react';
import { Link } from 'react-router';
import type { FreshnessView } from '../api/backend';
import { calibrationLead, capitalised, staleRows } from './freshness';
import { datesInWords } from './format';

export interface StaleNoticeProps {
  freshness: FreshnessView | null | undefined;
  /** Heading level of the notice's title on this screen. */
  level?: 2 | 3;
  /** Whether to say the calibration's date (false where the screen already leads with it). */
  showCalibration?: boolean;
}

/**
 * How old the readings behind this screen are: the date the model is calibrated to and, where
 * inputs are older than their limit, a labelled region listing each with what to re-measure.
 */
export function StaleNotice({ freshness, level = 2, showCalibration = true }: StaleNoticeProps) {
  const titleId = useId();
  if (!freshness) return null;
  const lead = showCalibration ? calibrationLead(freshness) : null;
  const rows = staleRows(freshness.staleInputs);
  const n = freshness.staleInputs.length;
  const Heading = level === 2 ? 'h2' : 'h3';
  // Blood pressure kept current by a home week: say which readings feed what.
  const homeNotes = freshness.inputs.filter((i) => i.homeWeek).map((i) => `${capitalised(datesInWords(i.sentence))}.`);
  const homeNote = homeNotes.length > 0 && (
    <p className="note" data-testid="home-bp-freshness">
      {homeNotes.join(' ')}
    </p>
  );
  if (rows.length === 0) {
    return (
      <>
        <p className="note" role="status" data-testid="inputs-fresh">
          {lead ? `${lead}. ` : ''}Every input is within its age limit.
          {freshness.note && ` Note: ${freshness.note}.`}
        </p>
        {homeNote}
      </>
    );
  }
  return (
    <section className="warning stale-notice" aria-labelledby={titleId} data-testid="stale-inputs">
      <Heading id={titleId}>
        <span aria-hidden="true">⚠ </span>
        Stale inputs: re-measure before relying on these figures
      </Heading>
      <p>
        {lead ? `${lead}. ` : ''}
        {n === 1 ? 'One input is' : `${n.toString()} inputs are`} older than {n === 1 ? 'its limit' : 'their limits'} (set in{' '}
        <Link to="/settings">Settings</Link>); the twin still uses them as they were.
      </p>
      <table className="compact">
        <thead>
          <tr>
            <th scope="col">Input</th>
            <th scope="col">Last measured</th>
            <th scope="col">Age</th>
            <th scope="col">Limit</th>
            <th scope="col">Re-measure</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-testid="stale-input">
              <th scope="row">{capitalised(r.what)}</th>
              <td className="nowrap">{datesInWords(r.lastDate)}</td>
              <td className="nowrap">{r.age}</td>
              <td className="nowrap">{r.limitMonths === null ? '—' : `${r.limitMonths.toString()} months`}</td>
              <td>{capitalised(r.remeasure)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {homeNote}
      {freshness.note && <p className="note">Note: {freshness.note}.</p>}
    </section>
  );
}
