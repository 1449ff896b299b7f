import { useId, useState, type SyntheticEvent } from 'react';
import type { GuidelineSet, GuidelineTarget, LipidUnitChoice, Preferences, RaceChoice, RegionChoice, SettingsView } from '../../api/backend';
import { useCommandMutation } from '../../api/hooks';
import { formatLipid } from '../../app/format';

/** SCORE2's four risk regions (SCORE2 working group, Eur Heart J 2021), with example countries. */
const REGIONS: { value: RegionChoice; label: string }[] = [
  { value: 'low', label: 'Low risk (e.g. France, Spain, UK, Netherlands)' },
  { value: 'moderate', label: 'Moderate risk (e.g. Germany, Italy, Sweden, Portugal)' },
  { value: 'high', label: 'High risk (e.g. Poland, Hungary, Czechia, Turkey)' },
  { value: 'veryHigh', label: 'Very high risk (e.g. Romania, Bulgaria, Serbia, Ukraine)' },
];

/** The Pooled Cohort Equations' race groups (Goff et al. 2013): "other" uses the white equations. */
const RACES: { value: RaceChoice; label: string }[] = [
  { value: 'white', label: 'White' },
  { value: 'black', label: 'Black (African American)' },
  { value: 'other', label: 'Other (the PCE use the white equations)' },
];

const GUIDELINES: { value: GuidelineSet; label: string }[] = [
  { value: 'esc', label: 'ESC (2024 hypertension, 2019 ESC/EAS lipids)' },
  { value: 'accAha', label: 'ACC/AHA (2017 blood pressure, 2018 cholesterol)' },
];

/** The form's text: selects and inputs hold strings; blank means "not set". */
interface Draft {
  lipidUnit: LipidUnitChoice;
  region: RegionChoice | '';
  race: RaceChoice | '';
  guidelines: GuidelineSet;
  name: string;
  role: string;
  identifier: string;
}

function draftOf(p: Preferences): Draft {
  return {
    lipidUnit: p.lipidUnit,
    region: p.defaultRegion ?? '',
    race: p.defaultRace ?? '',
    guidelines: p.guidelines,
    name: p.clinician?.displayName ?? '',
    role: p.clinician?.role ?? '',
    identifier: p.clinician?.identifier ?? '',
  };
}

/** What the draft saves as; a blank name saves no clinician (the log then records the system user). */
export function preferencesOf(d: Draft): Preferences {
  const name = d.name.trim();
  return {
    lipidUnit: d.lipidUnit,
    defaultRegion: d.region === '' ? null : d.region,
    defaultRace: d.race === '' ? null : d.race,
    guidelines: d.guidelines,
    clinician: name === '' ? null : { displayName: name, role: d.role.trim() || null, identifier: d.identifier.trim() || null },
  };
}

/** One guideline target as a clinician reads it, in the chosen cholesterol unit. */
export function targetText(t: GuidelineTarget, unit: LipidUnitChoice): string {
  if (t.ldlBelowMmolL === null) return t.target;
  // The guideline's own figure in each unit (ESC writes 1.4 mmol/L as 55 mg/dL, not 54).
  const below = unit === 'mg/dL' && t.ldlBelowMgDl !== null ? `below ${t.ldlBelowMgDl.toFixed(0)} mg/dL` : `below ${formatLipid(t.ldlBelowMmolL, unit)}`;
  return t.target ? `${below}, ${t.target}` : below;
}

/**
 * What the clinician chooses once for this workstation: the cholesterol unit every screen shows,
 * the default SCORE2 region and PCE race (a value chosen on a screen still wins), whose targets
 * to read, and the name the decision log records.
 */
export function PreferencesPanel({ s }: { s: SettingsView }) {
  const id = useId();
  const [draft, setDraft] = useState<Draft>(() => draftOf(s.preferences));
  // The unit and the defaults change what every screen shows: reload what was built on them.
  const save = useCommandMutation('savePreferences', ['settings', 'risk', 'simulate', 'compare', 'heatmap', 'suggest', 'twin']);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => { setDraft({ ...draft, [key]: value }); };
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    save.mutate(preferencesOf(draft));
  };
  const noName = draft.name.trim() === '';
  return (
    <section className="panel preferences" aria-labelledby={`${id}-title`} data-testid="preferences">
      <h2 id={`${id}-title`}>Clinician and preferences</h2>
      {s.preferencesProblem && <p className="warning" role="alert">{s.preferencesProblem}.</p>}
      <form onSubmit={submit} noValidate>
        <fieldset>
          <legend>Who records decisions</legend>
          <div className="field">
            <label htmlFor={`${id}-name`}>Name shown in the decision log</label>
            <input id={`${id}-name`} value={draft.name} maxLength={80} size={28} placeholder="e.g. Dr Ana Silva" aria-describedby={`${id}-name-hint`} onChange={(e) => { set('name', e.target.value); }} />
            <span className="hint" id={`${id}-name-hint`}>
              {noName ? 'Not set: the log records this computer’s user name.' : 'Recorded with each new decision.'}
            </span>
          </div>
          <div className="field">
            <label htmlFor={`${id}-role`}>Role (optional)</label>
            <input id={`${id}-role`} value={draft.role} maxLength={80} size={24} placeholder="e.g. consultant cardiologist" onChange={(e) => { set('role', e.target.value); }} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-identifier`}>Professional identifier (optional)</label>
            <input id={`${id}-identifier`} value={draft.identifier} maxLength={40} size={16} placeholder="e.g. GMC 7654321" onChange={(e) => { set('identifier', e.target.value); }} />
          </div>
        </fieldset>
        <fieldset>
          <legend>Cholesterol unit</legend>
          {(['mmol/L', 'mg/dL'] as const).map((u) => (
            <label key={u} className="choice">
              <input type="radio" name={`${id}-unit`} value={u} checked={draft.lipidUnit === u} onChange={() => { set('lipidUnit', u); }} /> {u}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Risk equations: defaults when a screen does not choose</legend>
          <div className="field">
            <label htmlFor={`${id}-region`}>ESC risk region for SCORE2</label>
            <select id={`${id}-region`} value={draft.region} onChange={(e) => { set('region', e.target.value as RegionChoice | ''); }}>
              <option value="">Not set (SCORE2 waits for a region)</option>
              {REGIONS.map((r) => <option key={r.value} value={r.value}>{r.label}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-race`}>Race group for the Pooled Cohort Equations</label>
            <select id={`${id}-race`} value={draft.race} onChange={(e) => { set('race', e.target.value as RaceChoice | ''); }}>
              <option value="">Not set (the PCE wait for a race group)</option>
              {RACES.map((r) => <option key={r.value} value={r.value}>{r.label}</option>)}
            </select>
          </div>
        </fieldset>
        <fieldset>
          <legend>Guideline the suggestion follows</legend>
          {GUIDELINES.map((g) => (
            <label key={g.value} className="choice">
              <input type="radio" name={`${id}-guidelines`} value={g.value} checked={draft.guidelines === g.value} onChange={() => { set('guidelines', g.value); }} /> {g.label}
            </label>
          ))}
        </fieldset>
        <p>
          <button type="submit" disabled={save.isPending}>Save preferences</button>
        </p>
      </form>
      {save.error && <p className="error" role="alert">{save.error.message}</p>}
      {save.isSuccess && <p role="status" className="note" data-testid="preferences-saved">Saved: screens now follow these preferences.</p>}
      <h3>Targets of the saved guideline set</h3>
      <table className="targets-table" data-testid="guideline-targets">
        <thead>
          <tr><th scope="col">Measure</th><th scope="col">For</th><th scope="col">Target</th><th scope="col">Source</th></tr>
        </thead>
        <tbody>
          {s.targets.map((t) => (
            <tr key={`${t.measure}-${t.who}`}>
              <td>{t.measure}</td>
              <td>{t.who}</td>
              <td>{targetText(t, s.preferences.lipidUnit)}</td>
              <td className="note">{t.source}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="note">
        The suggestion screen’s targets, statin indication and plan search follow the saved set; each target line there names its guideline. The safety rules are the same under
        either set. Population panel runs (and the worklist read from them) follow ESC.
      </p>
    </section>
  );
}
