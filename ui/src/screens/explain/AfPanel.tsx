import { useId } from 'react';
import type { AfReport, AfScoreView } from '../../api/backend';
import { formatDate, sourceInWords } from '../../app/format';

/** The total as the clinician reads it: `2 of 8`, or `at least 2 of 8` when an input is missing. */
export function totalText(score: AfScoreView): string {
  const max = String(score.max);
  return score.total === null ? `at least ${String(score.atLeast)} of ${max}` : `${String(score.total)} of ${max}`;
}

function ScoreTable({ score }: { score: AfScoreView }) {
  const titleId = useId();
  return (
    <section aria-labelledby={titleId} data-testid={`af-${score.key}`}>
      <h3 id={titleId}>
        {score.label}: {totalText(score)}
      </h3>
      <p>{score.recommendation}.</p>
      {score.missing.length > 0 && (
        <div role="note" className="warning" aria-label={`${score.label}: inputs not on record`}>
          <ul>
            {score.missing.map((m) => (
              <li key={m}>{m}.</li>
            ))}
          </ul>
        </div>
      )}
      <table className="compact">
        <caption>{score.label}: points per item and the input each rests on</caption>
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col">Points</th>
            <th scope="col">Input</th>
            <th scope="col">Value</th>
            <th scope="col">Date</th>
            <th scope="col">Source</th>
          </tr>
        </thead>
        <tbody>
          {score.items.map((i) => (
            <tr key={`${i.letter}-${i.label}`}>
              <th scope="row">
                {i.letter} — {i.label}
              </th>
              <td>{i.points === null ? 'not known' : `${String(i.points)} of ${String(i.weight)}`}</td>
              <td>{i.input}</td>
              <td>{i.value}</td>
              <td style={{ whiteSpace: 'nowrap' }}>{i.date ? formatDate(i.date) : '—'}</td>
              <td title={i.source ?? undefined}>{sourceInWords(i.source)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="note">Source: {score.source}.</p>
    </section>
  );
}

/** Atrial fibrillation's stroke (CHA₂DS₂-VA, CHA₂DS₂-VASc) and bleeding (HAS-BLED) scores. */
export function AfPanel({ report }: { report: AfReport }) {
  const titleId = useId();
  return (
    <section aria-labelledby={titleId} data-testid="af-scores">
      <h2 id={titleId}>Atrial fibrillation: stroke and bleeding scores</h2>
      <p className="note">
        For the <span title={report.diagnosis}>atrial fibrillation on record</span>. Point scores, not projections: they stand beside the event equations, which do not include atrial fibrillation.
      </p>
      <ScoreTable score={report.cha2ds2Va} />
      <ScoreTable score={report.cha2ds2Vasc} />
      <ScoreTable score={report.hasBled} />
    </section>
  );
}
