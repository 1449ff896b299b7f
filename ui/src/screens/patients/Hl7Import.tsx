import { useId, type ChangeEvent } from 'react';
import { useCommandMutation } from '../../api/hooks';
import { hl7ReportSentences } from './hl7Report';

/**
 * "Import lab results (HL7 v2)": an ORU^R01 file from a lab interface, filed into the held
 * records of the patients its PID-3 names; the report says what was filed and what was not, naming
 * each updated patient by `nameOf` (their id where it does not know them).
 */
export function Hl7Import({ nameOf }: { nameOf: (id: string) => string | undefined }) {
  const id = useId();
  const importHl7 = useCommandMutation('importHl7', ['listPatients', 'patientSummary', 'series', 'timeline', 'twin', 'risk', 'suggest']);
  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    importHl7.mutate({ fileName: file.name, text: await file.text() });
    e.target.value = '';
  };
  const report = importHl7.data ? hl7ReportSentences(importHl7.data, nameOf) : null;
  return (
    <div className="import" data-testid="hl7-import">
      <label htmlFor={id}>Import lab results (HL7 v2)</label>
      <input id={id} type="file" accept=".hl7,.txt,.oru,text/plain" onChange={(e) => { void onFile(e); }} />
      {importHl7.isPending && <span role="status">Importing lab results…</span>}
      {importHl7.error && <p role="alert">Could not import the lab results: {importHl7.error.message}</p>}
      {report && (
        <div role="status" className="hl7-report" data-testid="hl7-report">
          <p>{report.summary}</p>
          {report.details.length > 0 && (
            <ul>
              {report.details.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
