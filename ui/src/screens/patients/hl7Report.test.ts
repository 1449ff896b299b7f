import { describe, expect, it } from 'vitest';
import type { Hl7ImportReport } from '../../api/backend';
import { hl7ReportSentences } from './hl7Report';

const base: Hl7ImportReport = {
  messages: 3, refusedMessages: 1, imported: 2, replaced: 1, skipped: 1, withoutResult: 1,
  patients: ['ct-demo-02'], unknownCodes: [{ system: 'L', code: 'GLU', results: 1 }],
  problems: ['message NG-2: its patient identifiers (PID-3) are not the chosen patient\'s; not imported'],
  codeTable: 'hl7-codes.csv (4 local codes)',
};

describe('the HL7 import report in words', () => {
  it('says what was filed, replaced, skipped and refused, then why', () => {
    const r = hl7ReportSentences(base, (id) => (id === 'ct-demo-02' ? 'Frank Delgado' : undefined));
    expect(r.summary).toBe(
      '3 messages read; 2 new results filed; 1 earlier result replaced by a correction or a resend; 1 result not filed; 1 test cancelled or still pending; 1 message refused. Records updated: Frank Delgado.',
    );
    expect(r.details).toEqual([
      'Test L^GLU (1 result) has no LOINC mapping; add it to the local code table.',
      base.problems[0],
    ]);
  });

  it('says plainly when nothing was filed', () => {
    const r = hl7ReportSentences({ ...base, imported: 0, replaced: 0, skipped: 0, withoutResult: 0, patients: [], unknownCodes: [], problems: [] });
    expect(r.summary).toBe('3 messages read; no result was filed; 1 message refused.');
    expect(r.details).toEqual([]);
  });
});
