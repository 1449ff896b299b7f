import { useId } from 'react';
import type { GeneticLine as Line } from '../../api/backend';
import { formatDate } from '../../app/format';

const BOX = { background: '#fff', border: '1px solid var(--border)', borderLeft: '4px solid #14325c', borderRadius: 4, padding: '0.5rem 0.75rem', margin: '0 0 0.75rem' };

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
const pp = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v * 100).toFixed(1)} pp`;

/**
 * The polygenic risk score against the figure on screen, apart from it: the headline stays the
 * equation's (`headline`), and this says what the score would change, on which figure, or why it
 * was not applied.
 */
export function GeneticLine({ line, headline }: { line: Line; headline: number | null }) {
  const titleId = useId();
  const from = (
    <>
      From the <span title={line.source}>genomics report</span> of {formatDate(line.date)}.
    </>
  );
  const ownFigure = line.base !== null && line.base === headline;
  return (
    <section aria-labelledby={titleId} data-testid="genetic-line" className={line.applied ? undefined : 'warning'} style={line.applied ? BOX : undefined}>
      <h2 id={titleId} style={{ fontSize: '1rem', margin: '0 0 0.25rem' }}>
        Genetic score, shown separately
      </h2>
      {line.applied && line.risk !== null && line.base !== null ? (
        <>
          <p data-testid="genetic-applied">
            {ownFigure ? 'The figure above' : `${line.appliedTo.charAt(0).toUpperCase()}${line.appliedTo.slice(1)}`}: {pct(line.base)} without the genetic score,{' '}
            <strong>
              {pct(line.risk)} with it ({line.score}; {pp(line.risk - line.base)}
              {line.riskLow !== null && line.riskHigh !== null && `, range ${pp(line.riskLow - line.base)} to ${pp(line.riskHigh - line.base)}`})
            </strong>
            . The headline figure above is the equation&apos;s, without the score.
          </p>
          <p className="note">
            Calibration: {line.calibration}. Proportional hazards assumed within each age band; the range is the hazard ratio&apos;s 95% CI alone, not the equation&apos;s own uncertainty. The score is for coronary disease; the figure also counts stroke, which it predicts less well, so the stroke share may be overstated. {from}
          </p>
        </>
      ) : (
        <p role="note" data-testid="genetic-not-applied">
          Genetic score recorded ({line.score}) but not applied: {line.reason}. {from}
        </p>
      )}
    </section>
  );
}
