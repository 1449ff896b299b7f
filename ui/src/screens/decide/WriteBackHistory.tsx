import { useId, useMemo } from 'react';
import type { WriteBackLogView } from '../../api/backend';
import { localTime } from './decisionForm';

/** What came of one attempt, in words: "Filed on https://…: DocumentReference/7" or "Not filed: …". */
export function writeBackOutcome(w: WriteBackLogView): string {
  return w.outcome.status === 'written'
    ? `Filed on ${w.server}: ${w.outcome.documentReference} (decision as ${w.outcome.provenance})`
    : `Not filed on ${w.server}: ${w.outcome.reason}`;
}

/**
 * This patient's attempts to file a decision's summary in the EHR, newest first, each an entry
 * of the same hash-chained log as the decisions (so their numbers share one sequence).
 */
export function WriteBackHistory({ id, writeBacks }: { id: string; writeBacks: WriteBackLogView[] }) {
  const titleId = useId();
  const mine = useMemo(() => writeBacks.filter((w) => w.patientId === id).reverse(), [writeBacks, id]);
  if (mine.length === 0) return null;
  return (
    <section className="panel" aria-labelledby={titleId} data-testid="write-back-history">
      <h2 id={titleId}>Filing the summary in the EHR: every attempt</h2>
      <table className="compact">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">When</th>
            <th scope="col">Summary of decision</th>
            <th scope="col">Outcome</th>
            <th scope="col">Who</th>
          </tr>
        </thead>
        <tbody>
          {mine.map((w) => (
            <tr key={String(w.seq)}>
              <td>{String(w.seq)}</td>
              <td>{localTime(w.time)}</td>
              <td>#{String(w.decisionSeq)}</td>
              <th scope="row" className={w.outcome.status === 'failed' ? 'warning' : undefined}>
                {writeBackOutcome(w)}
              </th>
              <td>{w.user}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
