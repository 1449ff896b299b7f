import { useState } from 'react';
import { useCommand } from '../../api/hooks';
import { noteLabel, orderedFacts, USE_WORDS } from './noteFacts';

/**
 * "Facts from notes": what the rule-based reader (twin-notes) found in the patient's notes, which
 * of it reached the record, and, on selecting a fact, the sentence it came from with its words marked.
 */
export function NoteFacts({ id }: { id: string }) {
  const summary = useCommand('patientSummary', { id });
  const [selected, setSelected] = useState<number | null>(null);
  const facts = orderedFacts(summary.data?.noteFacts ?? []);
  if (facts.length === 0) {
    return null;
  }
  const shown = selected !== null ? facts[selected] : undefined;
  const nNotes = new Set(facts.map((f) => f.document)).size;
  return (
    <section aria-labelledby="note-facts-title" data-testid="note-facts">
      <h2 id="note-facts-title">Facts from notes</h2>
      <p className="note">
        Read by rule from the text of {nNotes === 1 ? 'one note' : `${nNotes.toString()} notes`} (negation and context by ConText);
        structured data wins where both exist. Select a fact to see the sentence it came from.
      </p>
      <table className="compact">
        <thead>
          <tr>
            <th scope="col">Fact (from text)</th>
            <th scope="col">Note</th>
            <th scope="col">Use</th>
            <th scope="col">Confidence</th>
          </tr>
        </thead>
        <tbody>
          {facts.map((f, i) => (
            <tr key={`${f.document}-${i.toString()}`}>
              <th scope="row">
                <button
                  type="button"
                  aria-pressed={selected === i}
                  aria-controls="note-fact-sentence"
                  onClick={() => {
                    setSelected(selected === i ? null : i);
                  }}
                >
                  {f.text}
                </button>
              </th>
              <td title={f.document}>{noteLabel(f)}</td>
              <td>{USE_WORDS[f.used]}</td>
              <td>{Math.round(f.confidence * 100).toString()} %</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div id="note-fact-sentence" aria-live="polite" data-testid="note-fact-sentence">
        {shown && (
          <figure>
            <blockquote>
              {shown.before}
              <mark>{shown.words}</mark>
              {shown.after}
            </blockquote>
            <figcaption>
              {noteLabel(shown)}: “{shown.text}”
            </figcaption>
          </figure>
        )}
      </div>
    </section>
  );
}
