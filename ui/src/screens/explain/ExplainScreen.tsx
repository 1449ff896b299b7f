import { useId, useMemo, useState } from 'react';
import { useParams } from 'react-router';
import type { RaceChoice, RegionChoice, RiskContext, RiskFigure, RiskReport } from '../../api/backend';
import { useCommand } from '../../api/hooks';
import { Status } from '../../app/Status';
import { Plot } from '../../charts/Plot';
import { waterfall } from './waterfall';

type Equation = 'prevent' | 'pce' | 'score2';

const EQUATIONS: { value: Equation; label: string; source: string }[] = [
  { value: 'prevent', label: 'AHA PREVENT (10-year total CVD)', source: 'Khan SS et al., Circulation 2024;149:430–449 (PREVENT equations); model chosen by the inputs present, as preventr does.' },
  { value: 'pce', label: 'ACC/AHA Pooled Cohort Equations (10-year hard ASCVD)', source: 'Goff DC Jr et al., 2013 ACC/AHA Guideline on the Assessment of Cardiovascular Risk, Circulation 2014;129:S49–S73.' },
  { value: 'score2', label: 'ESC SCORE2 / SCORE2-OP (10-year CVD)', source: 'SCORE2 working group and ESC Cardiovascular risk collaboration, Eur Heart J 2021;42:2439–2454; SCORE2-OP, Eur Heart J 2021;42:2455–2467.' },
];

function figureOf(r: RiskReport, e: Equation): RiskFigure {
  return e === 'prevent' ? r.prevent.cvd_10y : e === 'pce' ? r.pce.ascvd_10y : r.score2.cvd_10y;
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
  const [equation, setEquation] = useState<Equation>('prevent');
  const figure = risk.data ? figureOf(risk.data, equation) : null;
  const chart = useMemo(() => (figure ? waterfall(figure.contributions) : null), [figure]);
  const eq = EQUATIONS.find((x) => x.value === equation);
  return (
    <section aria-labelledby="explain-screen-title" className="screen">
      <h1 id="explain-screen-title">Risk explanation</h1>
      <div className="toolbar">
        <label htmlFor={ids.equation}>Equation</label>
        <select id={ids.equation} value={equation} onChange={(e) => { setEquation(e.target.value as Equation); }}>
          {EQUATIONS.map((x) => (
            <option key={x.value} value={x.value}>{x.label}</option>
          ))}
        </select>
        <label htmlFor={ids.race}>Race group (PCE)</label>
        <select id={ids.race} value={race} onChange={(e) => { setRace(e.target.value as RaceChoice | ''); }}>
          <option value="">Not stated</option>
          <option value="white">White</option>
          <option value="black">Black</option>
          <option value="other">Other (white equations)</option>
        </select>
        <label htmlFor={ids.region}>ESC risk region (SCORE2)</label>
        <select id={ids.region} value={region} onChange={(e) => { setRegion(e.target.value as RegionChoice | ''); }}>
          <option value="">Not stated</option>
          <option value="low">Low</option>
          <option value="moderate">Moderate</option>
          <option value="high">High</option>
          <option value="veryHigh">Very high</option>
        </select>
      </div>
      <Status loading={risk.loading && !risk.data} error={risk.error} what="the risk figures" />
      {risk.data && figure && (
        <>
          {risk.data.notApplicable && (
            <p role="alert" className="warning" data-testid="not-applicable">
              Not applicable to this patient: {risk.data.notApplicable}.
            </p>
          )}
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
          {chart && figure.contributions.length > 0 && <Plot data={chart.data} layout={chart.layout} height={380} testId="risk-waterfall" label={`Contributions to ${eq?.label ?? 'the equation'}`} />}
          <section aria-labelledby="sentences-title" data-testid="risk-explanation">
            <h2 id="sentences-title">In words</h2>
            <ul>
              {figure.explanation.map((s) => (
                <li key={s}>{s}</li>
              ))}
            </ul>
          </section>
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
                      <td>{i.value}</td>
                      <td>{i.date ?? '—'}</td>
                      <td>{i.source ?? 'derived from the record'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section aria-labelledby="sources-title">
              <h2 id="sources-title">Sources</h2>
              <ul>
                <li>Equation: {eq?.source}</li>
                <li>Contributions are exact on the equation&apos;s linear predictor (the equations are log-linear), measured against the stated reference person.</li>
                <li>Projected effects of treatment (Scenarios screen): Law et al. BMJ 2009 (BP), ACC/AHA 2018 (statin intensity), CTT Lancet 2010 and BPLTTC Lancet 2021 (events).</li>
              </ul>
              <p className="note">{risk.data.caveat}</p>
            </section>
          </div>
        </>
      )}
    </section>
  );
}
