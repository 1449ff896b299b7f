import type { NoteFactUse, NoteFactView } from '../../api/backend';
import { formatDate } from '../../app/format';

/** What became of a fact, in the words the twin panel shows. */
export const USE_WORDS: Record<NoteFactUse, string> = {
  recorded: 'In the record (no structured value)',
  structuredWins: 'Not used: structured data wins',
  notAffirmed: 'Not carried into the record: negated, past, conditional or about someone else (as written)',
  shownOnly: 'Shown only (no place in the record)',
};

/**
 * The note a fact came from, as a reader names it ("Clinic letter, 20 Nov 2026"), and the page
 * when it was read from a PDF attachment ("Clinic letter, PDF page 2, 20 Nov 2026").
 */
export function noteLabel(f: NoteFactView): string {
  const where = f.pdfPage === null ? f.title : `${f.title}, PDF page ${f.pdfPage.toString()}`;
  return f.date ? `${where}, ${formatDate(f.date)}` : where;
}

/**
 * The facts in reading order for a clinician: those that reached the record first, then the
 * patient's affirmed ones, then the rest; within each, newest note first and in note order.
 */
export function orderedFacts(facts: readonly NoteFactView[]): NoteFactView[] {
  const rank: Record<NoteFactUse, number> = { recorded: 0, shownOnly: 1, structuredWins: 2, notAffirmed: 3 };
  return facts
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank[a.f.used] - rank[b.f.used] || (b.f.date ?? '').localeCompare(a.f.date ?? '') || a.i - b.i)
    .map(({ f }) => f);
}
