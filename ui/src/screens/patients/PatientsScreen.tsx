import { useEffect, useId, useMemo, useState, type ChangeEvent } from 'react';
import { preloadPlotly } from '../../charts/Plot';
import { Link } from 'react-router';
import { useCommand, useCommandMutation } from '../../api/hooks';
import { Status } from '../../app/Status';
import { formatDate } from '../../app/format';
import { filterPatients, staleness, type PatientFilter } from './filter';
import { Hl7Import } from './Hl7Import';

function ageOrNull(v: string): number | null {
  const n = Number.parseInt(v, 10);
  return Number.isFinite(n) ? n : null;
}

/** Demo and cached patients, filterable, with how stale each cached one is; import a bundle. */
export function PatientsScreen() {
  const list = useCommand('listPatients', {}, { staleTime: 5_000 });
  const importBundle = useCommandMutation('importBundle', ['listPatients']);
  const [filter, setFilter] = useState<PatientFilter>({ text: '', minAge: null, maxAge: null, condition: '' });
  const ids = { text: useId(), min: useId(), max: useId(), condition: useId(), file: useId() };
  const patients = useMemo(() => list.data?.patients ?? [], [list.data]);
  const conditions = useMemo(() => [...new Set(patients.flatMap((p) => p.conditions))].sort(), [patients]);
  const shown = filterPatients(patients, filter);
  const listed = list.data !== undefined;
  useEffect(() => {
    if (listed) preloadPlotly();
  }, [listed]);

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    importBundle.mutate({ fileName: file.name, bundleJson: await file.text() });
    e.target.value = '';
  };

  return (
    <section aria-labelledby="patients-title" className="screen">
      <h1 id="patients-title">Patients</h1>
      <form className="filters" role="search" onSubmit={(e) => { e.preventDefault(); }}>
        <label htmlFor={ids.text}>Name or condition</label>
        <input id={ids.text} type="search" value={filter.text} onChange={(e) => { setFilter({ ...filter, text: e.target.value }); }} />
        <label htmlFor={ids.min}>Age from</label>
        <input id={ids.min} type="number" min={0} max={120} className="narrow" value={filter.minAge ?? ''} onChange={(e) => { setFilter({ ...filter, minAge: ageOrNull(e.target.value) }); }} />
        <label htmlFor={ids.max}>to</label>
        <input id={ids.max} type="number" min={0} max={120} className="narrow" value={filter.maxAge ?? ''} onChange={(e) => { setFilter({ ...filter, maxAge: ageOrNull(e.target.value) }); }} />
        <label htmlFor={ids.condition}>Condition</label>
        <select id={ids.condition} value={filter.condition} onChange={(e) => { setFilter({ ...filter, condition: e.target.value }); }}>
          <option value="">Any</option>
          {conditions.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      </form>
      <Status loading={list.loading && !list.data} error={list.error} what="the patient list" />
      {list.data && (
        <table className="patients" data-testid="patient-table">
          <caption>
            {shown.length} of {patients.length} patients
          </caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Sex, age</th>
              <th scope="col">Conditions</th>
              <th scope="col">Last measurement</th>
              <th scope="col">Source</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((p) => (
              <tr key={`${p.origin}:${p.id}`} data-testid="patient-row">
                <th scope="row">
                  <Link to={`/patient/${encodeURIComponent(p.id)}`}>{p.name}</Link>
                  {p.synthetic && <span className="tag" title="Synthetic test patient">synthetic</span>}
                </th>
                <td>
                  {p.sex}, {p.age ?? '?'} y
                </td>
                <td>{p.conditions.join(', ') || 'None recorded'}</td>
                <td>{p.lastSeen ? formatDate(p.lastSeen) : '—'}</td>
                <td>{p.origin === 'cache' ? `Offline cache · ${staleness(p.cachedDaysAgo)}` : p.origin === 'demo' ? 'Demo cohort' : 'File'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.data?.cacheProblem && (
        <p role="status" className="note" data-testid="cache-problem">
          The offline cache is not available, so only the demo cohort is listed: {list.data.cacheProblem.message}
        </p>
      )}
      {list.data && list.data.unreadable.length > 0 && (
        <div role="alert" className="unreadable">
          <h2>{list.data.unreadable.length} record(s) could not be read</h2>
          <ul>
            {list.data.unreadable.map((e) => (
              <li key={e.message}>{e.message}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="import">
        <label htmlFor={ids.file}>Import a FHIR bundle into the offline cache</label>
        <input id={ids.file} type="file" accept=".json,application/fhir+json,application/json" onChange={(e) => { void onFile(e); }} />
        {importBundle.isPending && <span role="status">Importing…</span>}
        {importBundle.error && <p role="alert">Could not import: {importBundle.error.message}</p>}
        {importBundle.data && <p role="status">Imported {importBundle.data.name} into the encrypted cache.</p>}
      </div>
      <Hl7Import nameOf={(id) => patients.find((p) => p.id === id)?.name} />
    </section>
  );
}
