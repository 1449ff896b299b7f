import { useId, useState } from 'react';
import { Link } from 'react-router';
import { useCommand } from '../../api/hooks';
import { Status } from '../../app/Status';
import { benefitWords, filterWorklist, guidelineWords, riskWords, type WorklistFilter, type WorklistOrder } from './worklist';

/**
 * A panel result (`cardiotwin panel`) as a worklist: patients ranked by the expected benefit of
 * the suggested plan, or by alerts on today's regimen; filterable; a row opens the patient where
 * the workstation holds them. The file is read in memory, never copied.
 */
export default function WorklistScreen() {
  const [draft, setDraft] = useState('');
  const [path, setPath] = useState<string | null>(null);
  const [filter, setFilter] = useState<WorklistFilter>({ text: '', alertsOnly: false, order: 'benefit' });
  const list = useCommand('openPanel', path === null ? null : { path }, { staleTime: 0 });
  const chosen = useCommand('settings', {}).data?.preferences.guidelines;
  const ids = { path: useId(), text: useId(), alerts: useId(), order: useId() };
  const shown = list.data ? filterWorklist(list.data.rows, filter) : [];

  return (
    <section aria-labelledby="worklist-title" className="screen">
      <h1 id="worklist-title">Worklist</h1>
      <p>
        A panel result ranks a population by what the suggested plan is expected to gain and by alerts on today&apos;s
        regimen. The file holds patient data: it is read here and not copied.
      </p>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setPath(draft.trim() || null);
        }}
      >
        <label htmlFor={ids.path}>Panel result (.parquet)</label>
        <input id={ids.path} type="text" size={48} value={draft} onChange={(e) => { setDraft(e.target.value); }} />
        <button type="submit">Open</button>
      </form>
      <Status loading={list.loading && !list.data} error={list.error} what="the panel result" />
      {list.data && (
        <>
          <form className="filters" role="search" onSubmit={(e) => { e.preventDefault(); }}>
            <label htmlFor={ids.text}>Patient or step</label>
            <input id={ids.text} type="search" value={filter.text} onChange={(e) => { setFilter({ ...filter, text: e.target.value }); }} />
            <label htmlFor={ids.order}>Order by</label>
            <select
              id={ids.order}
              value={filter.order}
              onChange={(e) => { setFilter({ ...filter, order: e.target.value as WorklistOrder }); }}
            >
              <option value="benefit">Expected benefit of the plan</option>
              <option value="alerts">Alerts on today&apos;s regimen</option>
            </select>
            <input
              id={ids.alerts}
              type="checkbox"
              checked={filter.alertsOnly}
              onChange={(e) => { setFilter({ ...filter, alertsOnly: e.target.checked }); }}
            />
            <label htmlFor={ids.alerts}>Only patients with alerts</label>
          </form>
          <p data-testid="worklist-guidelines">{guidelineWords(list.data.guidelines, chosen)}</p>
          <table className="patients" data-testid="worklist-table">
            <caption>
              {list.data.file}: {shown.length} of {list.data.rows.length} patients
              {list.data.skipped.length > 0 && `; ${list.data.skipped.length.toString()} skipped (listed below)`}
            </caption>
            <thead>
              <tr>
                <th scope="col">Patient</th>
                <th scope="col">Risk under today&apos;s treatment</th>
                <th scope="col">Expected benefit of the plan (absolute risk reduction)</th>
                <th scope="col">First step</th>
                <th scope="col">Alerts on today&apos;s regimen</th>
                <th scope="col">Stale inputs</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr key={r.patientId} data-testid="worklist-row">
                  <th scope="row">
                    {r.openable ? <Link to={`/patient/${encodeURIComponent(r.patientId)}`}>{r.name ?? r.patientId}</Link> : r.patientId}
                    {r.name !== null && <div className="note">{r.patientId}</div>}
                  </th>
                  <td>{riskWords(r)}</td>
                  <td>{benefitWords(r)}</td>
                  <td>{r.firstStep ?? '—'}</td>
                  <td>{r.alerts.length > 0 ? r.alerts.join(', ') : 'none'}</td>
                  <td>{r.staleInputs.length > 0 ? r.staleInputs.join(', ').replaceAll('_', ' ') : 'none'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {list.data.skipped.length > 0 && (
            <>
              <h2>Skipped patients</h2>
              <ul>
                {list.data.skipped.map((r) => (
                  <li key={r.patientId}>
                    {r.patientId}: {r.skipDetail ?? r.skipReason}
                  </li>
                ))}
              </ul>
            </>
          )}
          <p className="note">
            Figures are model projections with their 90% ranges, not guarantees; the clinician decides.
          </p>
        </>
      )}
    </section>
  );
}
