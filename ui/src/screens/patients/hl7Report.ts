import type { Hl7ImportReport } from '../../api/backend';

function count(n: number, one: string, many: string): string {
  return `${String(n)} ${n === 1 ? one : many}`;
}

/** The HL7 import's report as sentences a clinician reads: what was filed, then what was not and why. */
export function hl7ReportSentences(
  r: Hl7ImportReport,
  nameOf: (id: string) => string | undefined = () => undefined,
): { summary: string; details: string[] } {
  const filed = r.imported + r.replaced;
  const parts = [`${count(r.messages, 'message', 'messages')} read`];
  parts.push(filed === 0 ? 'no result was filed' : `${count(r.imported, 'new result', 'new results')} filed`);
  if (r.replaced > 0) parts.push(`${count(r.replaced, 'earlier result', 'earlier results')} replaced by a correction or a resend`);
  if (r.skipped > 0) parts.push(`${count(r.skipped, 'result', 'results')} not filed`);
  if (r.withoutResult > 0) parts.push(`${count(r.withoutResult, 'test', 'tests')} cancelled or still pending`);
  if (r.refusedMessages > 0) parts.push(`${count(r.refusedMessages, 'message', 'messages')} refused`);
  const updated = r.patients.length > 0 ? ` Records updated: ${r.patients.map((id) => nameOf(id) ?? id).join(', ')}.` : '';
  const details = [
    ...r.unknownCodes.map(
      (c) => `Test ${c.system}^${c.code} (${count(c.results, 'result', 'results')}) has no LOINC mapping; add it to the local code table.`,
    ),
    ...r.problems,
  ];
  return { summary: `${parts.join('; ')}.${updated}`, details };
}
