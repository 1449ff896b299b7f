import { useEffect, useId, useRef, useState, type SyntheticEvent } from 'react';
import { Link } from 'react-router';
import type { EhrConnection, EhrStatus, FetchReport, JobProgress, LoginResult } from '../../api/backend';
import { asAppError } from '../../api/backend';
import { useBackend, useCommand, useCommandMutation } from '../../api/hooks';
import { Status } from '../../app/Status';
import { KeychainNotice } from '../../app/KeychainStatus';
import { StaleLimitsPanel } from './StaleLimitsPanel';
import { PreferencesPanel } from './PreferencesPanel';
import { computeInWords } from '../../app/format';

const EMPTY: EhrConnection = { name: '', fhirBase: '', clientId: 'cardiotwin', scopes: '' };

/** Saved EHR connections, sign-in, fetching a patient into the cache; the data folder, compute backend, the clinician's preferences and stale-data limits. */
export default function SettingsScreen() {
  const settings = useCommand('settings', {});
  const [signedIn, setSignedIn] = useState<Record<string, LoginResult>>({});
  const s = settings.data;
  return (
    <section aria-labelledby="settings-title" className="screen">
      <h1 id="settings-title">Settings and EHR</h1>
      {settings.error?.code === 'storeLocked' ? (
        <p className="note" data-testid="settings-locked">
          EHR connections and the stale-data limits are kept in the encrypted data folder: they open once the keychain below can be used.
        </p>
      ) : (
        <Status loading={settings.loading && !s} error={settings.error} what="the settings" />
      )}
      <section className="panel" aria-labelledby="keychain-title" data-testid="keychain-panel">
        <h2 id="keychain-title">Keychain and encrypted data</h2>
        <KeychainNotice what="recording decisions and caching patients" />
      </section>
      {s && (
        <dl className="facts" data-testid="settings-facts">
          <dt>Encrypted data folder (offline cache, decision log, saved scenarios)</dt>
          <dd>
            {s.dataDir ? (
              <>
                In use on this computer.
                <details className="tech">
                  <summary>Where it is</summary>
                  <code>{s.dataDir}</code>
                </details>
              </>
            ) : (
              'None configured: nothing is cached or logged'
            )}
          </dd>
          <dt>Where projections are computed</dt>
          <dd>
            {computeInWords(s.compute)}
            <details className="tech">
              <summary>Technical details</summary>
              <code>{s.compute}</code>
            </details>
          </dd>
          <dt>Version</dt>
          <dd>{s.version}</dd>
        </dl>
      )}
      {s && (
        <section className="panel" aria-labelledby="connections-title">
          <h2 id="connections-title">EHR connections</h2>
          {s.connections.length === 0 && <p className="note">No EHR saved yet. Demo patients and cached patients work without one.</p>}
          <ul className="connections">
            {s.connections.map((c) => (
              <ConnectionRow key={c.name} c={c} onSignedIn={(r) => { setSignedIn((m) => ({ ...m, [c.name]: r })); }} signedIn={signedIn[c.name] ?? null} />
            ))}
          </ul>
          <AddConnection />
        </section>
      )}
      {s && s.connections.length > 0 && <FetchPatient connections={s.connections} signedIn={signedIn} />}
      {s && <PreferencesPanel s={s} />}
      {s && <StaleLimitsPanel s={s} />}
    </section>
  );
}

function ConnectionRow({ c, signedIn, onSignedIn }: { c: EhrConnection; signedIn: LoginResult | null; onSignedIn: (r: LoginResult) => void }) {
  const status = useCommandMutation('ehrStatus');
  const signIn = useCommandMutation('ehrSignIn');
  const remove = useCommandMutation('removeConnection', ['settings']);
  const shown: EhrStatus | undefined = status.data;
  return (
    <li data-testid="connection">
      <strong>{c.name}</strong> <span className="note">{c.fhirBase} · client {c.clientId} · scopes {c.scopes}</span>
      <div className="toolbar">
        <button type="button" onClick={() => { status.mutate({ name: c.name }); }} disabled={status.isPending}>Check connection</button>
        <button type="button" onClick={() => { signIn.mutate({ name: c.name }, { onSuccess: onSignedIn }); }} disabled={signIn.isPending}>
          {signIn.isPending ? 'Waiting for the browser…' : 'Sign in'}
        </button>
        <button type="button" onClick={() => { remove.mutate({ name: c.name }); }}>Remove</button>
      </div>
      {shown && (
        <p role="status" className={shown.online ? 'note' : 'warning'} data-testid="connection-status">
          {shown.online ? 'Online: ' : 'Offline: '}
          {shown.message}
        </p>
      )}
      {signedIn && (
        <p role="status" data-testid="signed-in">
          Signed in{signedIn.patient ? `; patient in context: ${signedIn.patient}` : ''}. {signedIn.refreshTokenStored ? 'The sign-in is kept in the system keychain.' : ''}
        </p>
      )}
      {(status.error ?? signIn.error ?? remove.error) && <p className="error" role="alert">{(status.error ?? signIn.error ?? remove.error)?.message}</p>}
    </li>
  );
}

function AddConnection() {
  const ids = { name: useId(), base: useId(), client: useId(), scopes: useId() };
  const [c, setC] = useState<EhrConnection>(EMPTY);
  const save = useCommandMutation('saveConnection', ['settings']);
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    save.mutate(c, { onSuccess: () => { setC(EMPTY); } });
  };
  const field = (key: keyof EhrConnection) => (e: { target: { value: string } }) => { setC({ ...c, [key]: e.target.value }); };
  return (
    <form onSubmit={submit} aria-labelledby="add-connection-title" className="field-row" data-testid="add-connection">
      <h3 id="add-connection-title">Add an EHR</h3>
      <div className="field">
        <label htmlFor={ids.name}>Name</label>
        <input id={ids.name} value={c.name} onChange={field('name')} />
      </div>
      <div className="field">
        <label htmlFor={ids.base}>FHIR base URL</label>
        <input id={ids.base} value={c.fhirBase} onChange={field('fhirBase')} size={40} placeholder="https://ehr.example.org/fhir" />
      </div>
      <div className="field">
        <label htmlFor={ids.client}>Client id</label>
        <input id={ids.client} value={c.clientId} onChange={field('clientId')} />
      </div>
      <div className="field">
        <label htmlFor={ids.scopes}>Scopes (blank for the default)</label>
        <input id={ids.scopes} value={c.scopes} onChange={field('scopes')} size={30} />
      </div>
      <p>
        <button type="submit" disabled={save.isPending}>Save connection</button>
      </p>
      {save.error && <p className="error" role="alert">{save.error.message}</p>}
    </form>
  );
}

function FetchPatient({ connections, signedIn }: { connections: EhrConnection[]; signedIn: Record<string, LoginResult> }) {
  const backend = useBackend();
  const ids = { conn: useId(), patient: useId() };
  const [name, setName] = useState(connections[0]?.name ?? '');
  const [patient, setPatient] = useState('');
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const [result, setResult] = useState<FetchReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const job = useRef('fetch');
  const context = signedIn[name]?.patient ?? '';
  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(() => {
      backend.call('jobProgress', { job: job.current }).then(setProgress, () => {});
    }, 300);
    return () => { window.clearInterval(timer); };
  }, [running, backend]);
  const fetchIt = (e: SyntheticEvent) => {
    e.preventDefault();
    job.current = `fetch-${String(Date.now())}`;
    setRunning(true);
    setError(null);
    setResult(null);
    backend
      .call('ehrFetch', { name, patient: patient || context, job: job.current })
      .then(setResult, (err: unknown) => { setError(asAppError(err).message); })
      .finally(() => { setRunning(false); setProgress(null); });
  };
  const cancel = () => { void backend.call('cancelJob', { job: job.current }); };
  return (
    <form className="panel" onSubmit={fetchIt} aria-labelledby="fetch-title" data-testid="fetch-patient">
      <h2 id="fetch-title">Fetch a patient into the encrypted cache</h2>
      <div className="field-row">
        <div className="field">
          <label htmlFor={ids.conn}>EHR</label>
          <select id={ids.conn} value={name} onChange={(e) => { setName(e.target.value); }}>
            {connections.map((c) => (
              <option key={c.name} value={c.name}>{c.name}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.patient}>Patient id{context ? ` (blank: ${context}, in context)` : ''}</label>
          <input id={ids.patient} value={patient} onChange={(e) => { setPatient(e.target.value); }} />
        </div>
      </div>
      <p>
        <button type="submit" disabled={running || (!patient && !context)}>Fetch</button>{' '}
        {running && <button type="button" onClick={cancel}>Cancel</button>}
      </p>
      {running && (
        <p aria-live="polite" className="busy">
          Fetching{progress && progress.total > 0 ? `: ${String(progress.done)} of ${String(progress.total)} searches` : '…'}
        </p>
      )}
      {error && <p className="error" role="alert">{error}</p>}
      {result && (
        <p role="status" data-testid="fetched">
          {result.cached ? 'Fetched into the encrypted cache: ' : 'Fetched but not cached (some searches failed): '}
          <Link to={`/patient/${encodeURIComponent(result.summary.id)}`}>{result.summary.name}</Link> ({String(result.nPages)} pages)
          {result.missing.length > 0 && `; missing: ${result.missing.map((m) => m.search).join(', ')}`}
        </p>
      )}
    </form>
  );
}
