import { Link, useLocation } from 'react-router';
import type { AppError } from '../api/backend';

/** "Page not found", with the ways back: the patient's screens when inside one, the list, Settings. */
export function PageNotFound({ patientId = null, patientName = null }: { patientId?: string | null; patientName?: string | null }) {
  const { pathname } = useLocation();
  const base = patientId === null ? null : `/patient/${encodeURIComponent(patientId)}`;
  return (
    <section aria-labelledby="not-found-title" className="screen not-found" data-testid="page-not-found">
      <h1 id="not-found-title" tabIndex={-1}>
        Page not found
      </h1>
      <p>
        CardioTwin has no page at <code>{pathname}</code>. The address may be mistyped, or from an older version.
      </p>
      <nav aria-label="Ways back">
        <ul className="links">
          {base && (
            <li>
              <Link to={base}>{patientName ? `${patientName}: overview` : 'This patient’s overview'}</Link>
            </li>
          )}
          {base && (
            <li>
              <Link to={`${base}/decide`}>{patientName ? `${patientName}: suggestion and decision` : 'This patient’s suggestion and decision'}</Link>
            </li>
          )}
          <li>
            <Link to="/">The patient list</Link>
          </li>
          <li>
            <Link to="/settings">Settings and EHR</Link>
          </li>
        </ul>
      </nav>
    </section>
  );
}

/** The first letter in capitals and a full stop: a backend message as a sentence. */
function sentence(message: string): string {
  const s = message.trim();
  if (s === '') return s;
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}${/[.!?]$/.test(s) ? '' : '.'}`;
}

/**
 * An id in neither the demo set nor the offline cache: said as such (the backend adds when the
 * cache could not be searched), with the ways to find or bring in the patient.
 */
export function PatientNotFound({ id, error }: { id: string; error: AppError }) {
  return (
    <section aria-labelledby="patient-not-found-title" className="screen not-found" data-testid="patient-not-found">
      <h1 id="patient-not-found-title" tabIndex={-1}>
        Patient not found
      </h1>
      <p className="lead" data-testid="patient-not-found-message">
        {sentence(error.message)}
      </p>
      <p className="note">
        The address asks for the patient id <code>{id}</code>. A patient fetched from the EHR or imported on another computer is not in this
        computer’s offline cache.
      </p>
      <nav aria-label="Ways back">
        <ul className="links">
          <li>
            <Link to="/">The patient list</Link> (the demo set and the offline cache; import a FHIR bundle there)
          </li>
          <li>
            <Link to="/settings">Settings and EHR</Link> (fetch a patient from the EHR)
          </li>
        </ul>
      </nav>
    </section>
  );
}
