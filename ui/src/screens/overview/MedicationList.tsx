import type { MedicationView } from '../../api/backend';
import { formatDate } from '../../app/format';
import { agentCourses, doseText } from './medications';

/** Today's medications (agent, prescription with dose and frequency, start, dose changes), then stopped ones. */
export function MedicationList({ medications, asOf }: { medications: MedicationView[]; asOf: string }) {
  const courses = agentCourses(medications, asOf);
  const active = courses.filter((c) => c.active);
  const stopped = courses.filter((c) => !c.active);
  return (
    <section aria-labelledby="meds-title" className="panel overview-meds">
      <h2 id="meds-title">Medications</h2>
      <table className="compact" data-testid="active-medications">
        <caption>Taken on {formatDate(asOf)}</caption>
        <thead>
          <tr>
            <th scope="col">Agent</th>
            <th scope="col">Dose and frequency</th>
            <th scope="col">Since</th>
            <th scope="col">Dose changes</th>
          </tr>
        </thead>
        <tbody>
          {active.map((c) => {
            const now = c.periods[c.periods.length - 1];
            const changes = c.periods.filter((p) => p.change);
            return (
              <tr key={c.agent} data-testid="medication-row">
                <th scope="row">
                  {c.agent}
                  {c.class && <span className="hint"> · {c.class}</span>}
                </th>
                <td>
                  {now?.instruction}
                  {now && now.adherence !== null && <span className="hint"> · {Math.round(now.adherence * 100).toString()}% of days covered</span>}
                </td>
                <td className="nowrap">{c.periods[0]?.start ? formatDate(c.periods[0].start) : 'not recorded'}</td>
                <td>
                  {changes.length === 0
                    ? 'none'
                    : changes.map((p, i) => (
                        <span key={p.start ?? i} className="nowrap">
                          {i > 0 ? '; ' : ''}
                          {p.change === 'increase' ? 'up to ' : 'down to '}
                          {doseText(p.dailyDoseMg)}
                          {p.start ? ` on ${formatDate(p.start)}` : ''}
                        </span>
                      ))}
                </td>
              </tr>
            );
          })}
          {active.length === 0 && (
            <tr>
              <td colSpan={4}>None on record</td>
            </tr>
          )}
        </tbody>
      </table>
      {stopped.length > 0 && (
        <p className="hint" data-testid="stopped-medications">
          Stopped:{' '}
          {stopped
            .map((c) => {
              const last = c.periods[c.periods.length - 1];
              return `${c.agent}${last?.end ? ` (${formatDate(last.end)})` : ''}`;
            })
            .join(', ')}
        </p>
      )}
    </section>
  );
}
