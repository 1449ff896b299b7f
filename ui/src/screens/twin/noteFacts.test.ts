import { describe, expect, it } from 'vitest';
import type { NoteFactView } from '../../api/backend';
import { noteLabel, orderedFacts, USE_WORDS } from './noteFacts';

function fact(text: string, used: NoteFactView['used'], date: string | null): NoteFactView {
  return {
    document: 'DocumentReference/doc-1', title: 'Clinic letter', date, pdfPage: null, kind: 'symptom', text, before: '', words: text, after: '.',
    negated: false, historical: false, hypothetical: false, otherPerson: false, confidence: 0.85, used,
  };
}

describe('facts from notes', () => {
  it('lists recorded facts first, then affirmed ones, newest note first', () => {
    const facts = [
      fact('no chest pain', 'notAffirmed', '2026-11-20'),
      fact('breathlessness', 'shownOnly', '2026-10-01'),
      fact('LVEF 35 %', 'recorded', '2026-11-20'),
      fact('oedema', 'shownOnly', '2026-11-20'),
    ];
    expect(orderedFacts(facts).map((f) => f.text)).toEqual(['LVEF 35 %', 'oedema', 'breathlessness', 'no chest pain']);
  });

  it('names the note and what became of each fact in words', () => {
    expect(noteLabel(fact('x', 'shownOnly', null))).toBe('Clinic letter');
    expect(noteLabel(fact('x', 'shownOnly', '2026-11-20'))).toBe('Clinic letter, 20 Nov 2026');
    expect(noteLabel({ ...fact('x', 'shownOnly', '2026-11-20'), pdfPage: 2 })).toBe('Clinic letter, PDF page 2, 20 Nov 2026');
    expect(USE_WORDS.structuredWins).toContain('structured data wins');
  });
});
