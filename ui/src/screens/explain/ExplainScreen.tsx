import { useId, useMemo, useState } from 'react';
import { useParams } from 'react-router';
import type { MaggicReport, RaceChoice, RegionChoice, RiskContext, RiskFigure, RiskReport } from '../../api/backend';
import { useCommand } from '../../api/hooks';
import { formatDate, sourceInWords, tidyMeasure, useDisplay } from '../../app/format';
import { StaleNotice } from '../../app/StaleNotice';
import { Status } from '../../app/Status';
import { Plot } from '../../charts/Plot';
import { AfPanel } from './AfPanel';
import { GeneticLine } from './GeneticLine';
import { waterfall } from './waterfall';

type Equation = 'smart2' | 'score2Diabetes' | 'prevent' | 'pce' | 'score2' | 'maggic';

const EQUATIONS: { value: Equation; label: string }[] = [
  { value: 'smart2', label: 'SMART2 (10-year recurrent MI, stroke or vascular death; established atherosclerotic disease)' },
  { value: 'score2Diabetes', label: 'ESC SCORE2-Diabetes (10-year CVD; type 2 diabetes without CVD)' },
  { value: 'prevent', label: 'AHA PREVENT (10-year total CVD)' },
  { value: 'pce', label: 'ACC/AHA Pooled Cohort Equations (10-year hard ASCVD)' },
  { value: 'score2', label: 'ESC SCORE2 / SCORE2-OP (10-year CVD)' },
  { value: 'maggic', label: 'MAGGIC (1- and 3-year mortality; heart failure)' },
];

const RACE_WORDS: Record<RaceChoice, string> = { white: 'White', black: 'Black', other: 'Other' };
const REGION_WORDS: Record<RegionChoice, string> = { low: 'Low', moderate: 'Moderate', high: 'High', veryHigh: 'Very high' };

const isEquation = (key: string): key is Equation => EQUATIONS.some((e) => e.value === key);

function figureOf(r: RiskReport, e: Equation): RiskFigure | null {
  switch (e) {
    case 'smart2':
      return r.smart2.recurrent_10y;
    case 'score2Diabetes':
      return r.score2Diabetes.cvd_10y;
    case 'prevent':
      return r.prevent.cvd_10y;
    case 'pce':
      return r.pce.ascvd_10y;
    case 'score2':
      return r.score2.cvd_10y;
    case 'maggic':
      return null;
  }
}

function MaggicPanel({ report }: { report: MaggicReport }) {
  if (report.score === null) {
    return <p role="note">Not computed: {report.reason}</p>;
  }
  return (
    <>
      <div className="risk-summary" data-testid="maggic-summary">
        <div className="big-number">{pct(report.death_3y)}</div>
        <div>
          <p>
            Probability of death within 3 years ({pct(report.death_1y)} within 1 year); MAGGIC score {report.score} of 50.
          </p>
          <p className="note">Prognosis, not a projection of treatment: MAGGIC describes survival, it does not say what a change in treatment would do.</p>
        </div>
      </div>
      <table className="compact" data-testid="maggic-points">
        <caption>Points per factor</caption>
        <thead>
          <tr>
            <th scope="col">Factor</th>
            <th scope="col">Points</th>
          </tr>
        </thead>
        <tbody>
          {report.points.map((p) => (
            <tr key={p.factor}>
              <th scope="row">{p.factor}</th>
              <td>{p.points}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)} %`);

/** Why the risk is what it is: each factor's contribution, the sentences, the inputs and sources. */
export default function ExplainScreen() {
  const { id = '' } = useParams();
  const ids = { equation: useId(), race: useId(), region: useId() };
  const [race, setRace] = useState<RaceChoice | ''>('');
  const [region, setRegion] = useState<RegionChoice | ''>('');
  const context: RiskContext = { ...(race ? { race } : {}), ...(region ? { region } : {}) };
  const risk = useCommand('risk', { id, context });
  // A blank choice means the default saved in Settings (the backend applies it).
  const preferences = useCommand('settings', {}).data?.preferences;
  const { lipidUnit } = useDisplay();
  // Until the clinician picks one, the equation shown is the one meant for this patient.
  const [picked, setPicked] = useState<Equation | null>(null);
  const selectedKey = risk.data?.selected.key ?? 'prevent';
  const equation: Equation = picked ?? (isEquation(selectedKey) ? selectedKey : 'prevent');
  const figure = risk.data ? figureOf(risk.data, equation) : null;
  const chart = useMemo(() => (figure ? waterfall(figure.contributions) : null), [figure]);
  const eq = EQUATIONS.find((x) => x.value === equation);
  return (
    <section aria-labelledby="explain-screen-title" className="screen">
      <h1 id="explain-screen-title">Risk explanation</h1>
      <div className="field-row explain-choices">
        <span className="field">
          <label htmlFor={ids.equation}>Equation</label>
          <select id={ids.equation} value={equation} onChange={(e) => { setPicked(e.target.value as Equation); }}>
            {EQUATIONS.map((x) => (
              <option key={x.value} value={x.value}>{x.label}</option>
            ))}
          </select>
        </span>
        <span className="field">
          <label htmlFor={ids.race}>Race group (PCE)</label>
          <select id={ids.race} value={race} onChange={(e) => { setRace(e.target.value as RaceChoice | ''); }}>
            <option value="">{preferences?.defaultRace ? `Settings default (${RACE_WORDS[preferences.defaultRace]})` : 'Not stated (no default in Settings)'}</option>
            <option value="white">White</option>
            <option value="black">Black</option>
            <option value="other">Other (white equations)</option>
          </select>
        </span>
        <span className="field">
          <label htmlFor={ids.region}>ESC risk region (SCORE2)</label>
          <select id={ids.region} value={region} onChange={(e) => { setRegion(e.target.value as RegionChoice | ''); }}>
            <option value="">{preferences?.defaultRegion ? `Settings default (${REGION_WORDS[preferences.defaultRegion]})` : 'Not stated (no default in Settings)'}</option>
            <option value="low">Low</option>
            <option value="moderate">Moderate</option>
            <option value="high">High</option>
            <option value="veryHigh">Very high</option>
          </select>
        </span>
      </div>
      <Status loading={risk.loading && !risk.data} error={risk.error} what="the risk figures" />
      {risk.data && (
        <p className="selected-model" data-testid="selected-model">
          <strong>Model for this patient: {risk.data.selected.label}.</strong> {risk.data.selected.why}.
        </p>
      )}
      {risk.data?.af && (
        <p role="note" className="note" data-testid="af-event-note">
          {risk.data.af.eventModelNote}
        </p>
      )}
      {risk.data && <StaleNotice freshness={risk.data.freshness} />}
      {risk.data && risk.data.notApplicable && (equation === 'prevent' || equation === 'pce' || equation === 'score2') && (
        <p role="alert" className="warning" data-testid="not-applicable">
          Not applicable to this patient: {risk.data.notApplicable}.
        </p>
      )}
      {risk.data && equation === 'maggic' && <MaggicPanel report={risk.data.maggic} />}
      {risk.data && figure && (
        <>
          <div className="risk-summary" data-testid="risk-summary">
            <div className="big-number">{pct(figure.value)}</div>
            <div>
              {figure.value === null ? (
                <p role="note">Not computed: {figure.reason}</p>
              ) : (
                <p>
                  {eq?.label}. The reference person ({figure.reference}) has {pct(figure.referenceRisk)}.
                </p>
              )}
              {equation === 'prevent' && <p>PREVENT model used: {risk.data.prevent.modelLabel}.</p>}
            </div>
          </div>
          {figure.genetic && <GeneticLine line={figure.genetic} headline={figure.value} />}
          {chart && figure.contributions.length > 0 && <Plot data={chart.data} layout={chart.layout} height={380} testId="risk-waterfall" label={`Contributions to ${eq?.label ?? 'the equation'}`} />}
          <section aria-labelledby="sentences-title" data-testid="risk-explanation">
            <h2 id="sentences-title">In words</h2>
            <ul>
              {figure.explanation.map((s) => (
                <li key={s}>{s}</li>
              ))}
            </ul>
          </section>
        </>
      )}
      {risk.data?.af && <AfPanel report={risk.data.af} />}
      {risk.data && (
        <div className="columns">
          <section aria-labelledby="inputs-title">
            <h2 id="inputs-title">Inputs used</h2>
            <table className="compact">
              <thead>
                <tr>
                  <th scope="col">Input</th>
                  <th scope="col">Value</th>
                  <th scope="col">Date</th>
                  <th scope="col">Source</th>
                </tr>
              </thead>
              <tbody>
                {risk.data.inputs.map((i) => (
                  <tr key={`${i.name}-${i.source ?? ''}`}>
                    <th scope="row">{i.name}</th>
                    <td>{tidyMeasure(i.name, i.value, lipidUnit)}</td>
                    <td style={{ whiteSpace: 'nowrap' }}>{i.date ? formatDate(i.date) : '—'}</td>
                    <td title={i.source ?? undefined}>{sourceInWords(i.source)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section aria-labelledby="sources-title">
            <h2 id="sources-title">Sources</h2>
            <ul>
              <li>Equation: {figure?.source ?? risk.data.maggic.source}</li>
              <li>Which model for whom: ESC 2021 prevention guideline (Visseren et al., Eur Heart J 2021;42:3227), ESC 2023 diabetes and ESC 2021 heart-failure guidelines.</li>
              <li>Contributions are exact on the equation&apos;s linear predictor (the equations are log-linear), measured against the stated reference person.</li>
              <li>Projected effects of treatment (Scenarios screen): Law et al. BMJ 2009 (BP), ACC/AHA 2018 (statin intensity), CTT Lancet 2010 and BPLTTC Lancet 2021 (events).</li>
            </ul>
            <p className="note">{risk.data.caveat}</p>
          </section>
        </div>
      )}
    </section>
  );
}
