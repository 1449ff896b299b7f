import { useEffect, useId, useRef, useState, type ChangeEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { asAppError, BackendError, type HomeFileKind, type HomeFileSource, type HomeImportReport } from '../../api/backend';
import { useBackend } from '../../api/hooks';
import { homeFileKind, homeReportLines, sizeInWords } from './homeImport';

/** The screens whose answers change when home readings join the record. */
const RELOAD = ['listPatients', 'patientSummary', 'series', 'timeline', 'twin', 'risk', 'suggest'] as const;

/** A file chosen and waiting for the clinician's confirmation. */
interface Chosen {
  source: HomeFileSource;
  name: string;
  size: number | null;
  kind: HomeFileKind;
}

export interface HomeImportProps {
  /** The patient on screen: the readings are filed under this record. */
  patientId: string;
  patientName: string;
}

/**
 * "Import home readings": a home BP monitor's CSV or an Apple Health export.xml, filed under the
 * patient on screen after the clinician confirms (a file does not say whose readings it holds).
 * The report says what arrived per measure, from which devices, what was set aside, and where a
 * cut-short export stopped. In the browser the file streams to the server; on the desktop the
 * file is dropped on the window (or its path typed) and read where it lies.
 */
export function HomeImport({ patientId, patientName }: HomeImportProps) {
  const backend = useBackend();
  const client = useQueryClient();
  const fileId = useId();
  const deviceId = useId();
  const pathId = useId();
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [device, setDevice] = useState('');
  const [typedPath, setTypedPath] = useState('');
  const abort = useRef<AbortController | null>(null);
  const desktop = backend.kind === 'desktop';

  const upload = useMutation<HomeImportReport, BackendError, Chosen>({
    mutationFn: async (c) => {
      if (!backend.importHomeFile) throw new BackendError({ code: 'validation', message: 'This version cannot import files.' });
      abort.current = new AbortController();
      const args = { patient: patientId, fileName: c.name, kind: c.kind, ...(c.kind === 'homeBpCsv' && device.trim() ? { device: device.trim() } : {}) };
      try {
        return await backend.importHomeFile(c.source, args, abort.current.signal);
      } catch (err) {
        throw err instanceof BackendError ? err : new BackendError(asAppError(err));
      }
    },
    onSuccess: () => {
      for (const name of RELOAD) void client.invalidateQueries({ queryKey: [name] });
    },
  });

  const choose = (source: HomeFileSource, name: string, size: number | null) => {
    upload.reset();
    const k = homeFileKind(name);
    if ('problem' in k) {
      setChosen(null);
      setProblem(k.problem);
      return;
    }
    setProblem(null);
    setChosen({ source, name, size, kind: k.kind });
  };

  // Desktop: a file dropped on the window arrives as its path.
  useEffect(() => {
    if (!backend.onFileDrop) return;
    let stop: (() => void) | null = null;
    let left = false;
    void backend.onFileDrop((paths) => {
      const path = paths[0];
      if (path) choose({ path }, path.split(/[\\/]/).pop() ?? path, null);
    }).then((unsubscribe) => {
      if (left) unsubscribe();
      else stop = unsubscribe;
    });
    return () => {
      left = true;
      stop?.();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- subscribe once per backend
  }, [backend]);

  const onFile = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (file) choose({ file }, file.name, file.size);
    e.target.value = '';
  };

  const report = upload.data ? homeReportLines(upload.data) : null;
  return (
    <section aria-labelledby="home-import-title" className="panel home-import" data-testid="home-import">
      <h2 id="home-import-title">Import home readings</h2>
      <p className="hint">
        A home BP monitor’s CSV export, or Apple Health’s export.xml (unzip export.zip first). Readings are filed under{' '}
        <strong>{patientName}</strong>, the patient on screen.
      </p>
      {desktop ? (
        <div className="field">
          <label htmlFor={pathId}>Drop the file on this window, or type its path</label>
          <input id={pathId} type="text" value={typedPath} onChange={(e) => { setTypedPath(e.target.value); }} />
          <button type="button" disabled={!typedPath.trim()} onClick={() => { choose({ path: typedPath.trim() }, typedPath.trim().split(/[\\/]/).pop() ?? typedPath, null); }}>
            Use this file
          </button>
        </div>
      ) : (
        <div className="field">
          <label htmlFor={fileId}>Choose a file</label>
          <input id={fileId} type="file" accept=".csv,.xml,text/csv,text/xml,application/xml" onChange={onFile} />
        </div>
      )}
      {problem && <p role="alert">{problem}</p>}
      {chosen && !upload.isPending && !upload.data && (
        <div className="confirm" data-testid="home-import-confirm">
          <p>
            Import <strong>{chosen.name}</strong>
            {chosen.size !== null && ` (${sizeInWords(chosen.size)})`} as{' '}
            {chosen.kind === 'homeBpCsv' ? 'a home BP monitor’s readings' : 'an Apple Health export'} into the record of{' '}
            <strong>{patientName}</strong>? The file does not say whose readings it holds: check it is this patient’s.
          </p>
          {chosen.kind === 'homeBpCsv' && (
            <div className="field">
              <label htmlFor={deviceId}>Monitor (the CSV does not name it)</label>
              <input id={deviceId} type="text" placeholder="e.g. Omron M3" value={device} onChange={(e) => { setDevice(e.target.value); }} />
            </div>
          )}
          <div className="toolbar">
            <button type="button" onClick={() => { upload.mutate(chosen); }}>
              Import into {patientName}’s record
            </button>
            <button type="button" onClick={() => { setChosen(null); }}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {upload.isPending && (
        <p role="status">
          Importing {chosen?.name}…{chosen?.kind === 'appleHealth' && ' A large export takes a minute or two.'}{' '}
          <button type="button" onClick={() => { abort.current?.abort(); }}>
            Stop
          </button>
        </p>
      )}
      {upload.error && (
        <p role="alert">
          {upload.error.name === 'AbortError' ? 'Import stopped; nothing was filed.' : `Could not import ${chosen?.name ?? 'the file'}: ${upload.error.message}`}
        </p>
      )}
      {report && (
        <div role="status" className="home-import-report" data-testid="home-import-report">
          <p>{report.summary}</p>
          <ul>
            {report.measures.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
          {report.warnings.map((w) => (
            <p key={w} className="warning">
              {w}
            </p>
          ))}
          {report.homeBp && <p>{report.homeBp}</p>}
        </div>
      )}
    </section>
  );
}
