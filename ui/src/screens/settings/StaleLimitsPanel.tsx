import { useId, useState, type SyntheticEvent } from 'react';
import type { SettingsView, StaleLimitsView } from '../../api/backend';
import { MAX_STALE_LIMIT_MONTHS } from '../../api/generated';
import { useCommandMutation } from '../../api/hooks';
import { LIMIT_FIELDS, limitProblem } from '../../app/freshness';

type Texts = Record<keyof StaleLimitsView, string>;

function texts(l: StaleLimitsView): Texts {
  return {
    bloodPressureMonths: l.bloodPressureMonths.toString(),
    lipidsMonths: l.lipidsMonths.toString(),
    egfrMonths: l.egfrMonths.toString(),
    hba1cMonths: l.hba1cMonths.toString(),
  };
}

/** How old each kind of reading may be before the screens flag it as stale, in months. */
export function StaleLimitsPanel({ s }: { s: SettingsView }) {
  const titleId = useId();
  const baseId = useId();
  const [values, setValues] = useState<Texts>(() => texts(s.staleLimits));
  // Every answer built on a record carries the freshness under these limits: reload them all.
  const save = useCommandMutation('saveStaleLimits', ['settings', 'patientSummary', 'twin', 'risk', 'simulate', 'compare', 'suggest']);
  const problems = LIMIT_FIELDS.map((f) => ({ ...f, problem: limitProblem(values[f.key], MAX_STALE_LIMIT_MONTHS) }));
  const invalid = problems.some((p) => p.problem !== null);
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    if (invalid) return;
    const months = (key: keyof StaleLimitsView) => Number(values[key]);
    save.mutate({
      bloodPressureMonths: months('bloodPressureMonths'),
      lipidsMonths: months('lipidsMonths'),
      egfrMonths: months('egfrMonths'),
      hba1cMonths: months('hba1cMonths'),
    });
  };
  const d = s.staleLimitsDefault;
  return (
    <section className="panel" aria-labelledby={titleId} data-testid="stale-limits">
      <h2 id={titleId}>Stale-data limits</h2>
      <p className="note">
        A reading older than its limit is listed on the overview, the twin, the risk, comparison and decision screens, with what to re-measure.
        Defaults: blood pressure {d.bloodPressureMonths.toString()} months (ESC/ESH hypertension follow-up), lipids {d.lipidsMonths.toString()} months
        (ESC/EAS 2019), eGFR {d.egfrMonths.toString()} months (KDIGO 2024), HbA1c {d.hba1cMonths.toString()} months (ADA 2024).{' '}
        {s.staleLimitsSaved ? 'The limits below were set on this workstation.' : 'The defaults are in use.'}
      </p>
      {s.staleLimitsProblem && <p className="warning" role="alert">{s.staleLimitsProblem}.</p>}
      <form onSubmit={submit} className="field-row limits-form" noValidate>
        {problems.map((f) => (
          <div className="field" key={f.key}>
            <label htmlFor={`${baseId}-${f.key}`}>
              {f.label} (months)
            </label>
            <input
              id={`${baseId}-${f.key}`}
              type="number"
              min={1}
              max={MAX_STALE_LIMIT_MONTHS}
              step={1}
              inputMode="numeric"
              value={values[f.key]}
              aria-invalid={f.problem !== null}
              aria-describedby={`${baseId}-${f.key}-hint`}
              onChange={(e) => { setValues({ ...values, [f.key]: e.target.value }); }}
            />
            <span className={f.problem ? 'invalid' : 'hint'} id={`${baseId}-${f.key}-hint`}>
              {f.problem ? `Enter ${f.problem}` : f.covers}
            </span>
          </div>
        ))}
        <p>
          <button type="submit" disabled={save.isPending || invalid}>Save limits</button>{' '}
          <button type="button" onClick={() => { setValues(texts(d)); }}>Defaults</button>
        </p>
      </form>
      {save.error && <p className="error" role="alert">{save.error.message}</p>}
      {save.isSuccess && <p role="status" className="note" data-testid="limits-saved">Saved: screens now flag readings by these limits.</p>}
    </section>
  );
}
