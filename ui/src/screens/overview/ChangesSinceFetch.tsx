import { useCommand } from '../../api/hooks';
import { formatDate, useDisplay } from '../../app/format';
import { changePhrases } from './changes';

/**
 * "Since the last fetch on 1 Dec 2026: 3 new BP readings; LDL cholesterol 3.1 → 2.4 mmol/L;
 * amlodipine started." What the last EHR fetch brought into a record the workstation already
 * held, kept until the next fetch. Nothing is shown for a record never fetched over a held one,
 * or when the list cannot be read (the rest of the overview does not depend on it).
 */
export function ChangesSinceFetch({ id }: { id: string }) {
  const { lipidUnit } = useDisplay();
  const answer = useCommand('changesSinceFetch', { id });
  const changes = answer.data?.changes;
  if (!changes) return null;
  const phrases = changePhrases(changes, lipidUnit);
  return (
    <section aria-labelledby="changes-title" className="panel overview-changes" data-testid="changes-since-fetch">
      <h2 id="changes-title">Since the last fetch on {formatDate(changes.since)}</h2>
      {phrases.length === 0 ? (
        <p>Nothing new in the record.</p>
      ) : (
        <ul className="sentence-list">
          {phrases.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
