import { useMemo } from 'react';
import { useParams } from 'react-router';
import type { Data } from 'plotly.js';
import type { TwinView } from '../../api/backend';
import { useCommand } from '../../api/hooks';
import { calibrationLead } from '../../app/freshness';
import { StaleNotice } from '../../app/StaleNotice';
import { Status } from '../../app/Status';
import { Plot } from '../../charts/Plot';
import { HindcastPanel } from './HindcastPanel';
import { markerItems } from './markers';
import { NoteFacts } from './NoteFacts';

const PARAM_LABELS: Record<string, string> = {
  heart_rate: 'Heart rate',
  e_max: 'End-systolic elastance (Emax)',
  e_min: 'End-diastolic elastance (Emin)',
  v0: 'Unstressed LV volume (V0)',
  resistance: 'Peripheral resistance',
  compliance: 'Arterial compliance',
  zc: 'Characteristic impedance (Zc)',
  venous_compliance: 'Venous compliance',
  stressed_volume: 'Stressed blood volume',
};

const FIT_LABELS: Record<string, string> = {
  sbp: 'Systolic BP (mmHg)',
  dbp: 'Diastolic BP (mmHg)',
  lvef: 'LVEF (%)',
  cardiac_output_prior: 'Cardiac output (L/min), population prior',
};

/** Decimals a clinician reads each calibration target at: mmHg and % whole, L/min to one. */
const FIT_DECIMALS: Record<string, number> = { sbp: 0, dbp: 0, lvef: 0, cardiac_output_prior: 1 };

/** A calibration target's value at its clinical precision (parameters keep `fmt`'s significant figures). */
function fitFmt(name: string, v: number): string {
  const d = FIT_DECIMALS[name];
  return d === undefined ? fmt(v) : v.toFixed(d);
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3);
}

function waveforms(t: TwinView): Data[] {
  const beat = 60 / t.hemodynamics.heartRate;
  const n = t.pvLoop.volume.length;
  const time = t.pvLoop.volume.map((_, i) => (i * beat) / n);
  return [
    { type: 'scatter', mode: 'lines', name: 'LV pressure', x: time, y: t.pvLoop.lvPressure, line: { color: '#b3261e' }, hovertemplate: '%{y:.0f} mmHg at %{x:.2f} s<extra>LV</extra>' },
    { type: 'scatter', mode: 'lines', name: 'Aortic pressure', x: time, y: t.pvLoop.aorticPressure, line: { color: '#1f5fa8' }, hovertemplate: '%{y:.0f} mmHg at %{x:.2f} s<extra>Aorta</extra>' },
  ];
}

/** The calibrated heart: PV loop, waveforms, parameters with uncertainty, and the fit. */
export default function TwinScreen() {
  const { id = '' } = useParams();
  const twin = useCommand('twin', { id }, { staleTime: Infinity });
  const t = twin.data;
  const pv = useMemo<Data[]>(
    () =>
      t
        ? [{ type: 'scatter', mode: 'lines', name: 'PV loop', x: [...t.pvLoop.volume, t.pvLoop.volume[0] ?? 0], y: [...t.pvLoop.lvPressure, t.pvLoop.lvPressure[0] ?? 0], line: { color: '#b3261e' }, hovertemplate: '%{x:.0f} mL, %{y:.0f} mmHg<extra></extra>' }]
        : [],
    [t],
  );
  const waves = useMemo(() => (t ? waveforms(t) : []), [t]);
  return (
    <section aria-labelledby="twin-title" className="screen">
      <h1 id="twin-title">The calibrated heart</h1>
      <Status loading={twin.loading && !t} error={twin.error} what="the twin" />
      {t && (
        <>
          <p className="lead" data-testid="twin-summary">
            {calibrationLead(t.freshness) ?? 'Model at its calibration'}: {t.hemodynamics.sbp.toFixed(0)}/{t.hemodynamics.dbp.toFixed(0)} mmHg, stroke volume{' '}
            {t.hemodynamics.strokeVolume.toFixed(0)} mL, EF {t.hemodynamics.ejectionFraction.toFixed(0)} %, cardiac output{' '}
            {t.hemodynamics.cardiacOutput.toFixed(1)} L/min at {t.hemodynamics.heartRate.toFixed(0)} bpm. Fitted in {t.nIterations} iterations.
          </p>
          {t.markers && markerItems(t.markers).length > 0 && (
            <p data-testid="twin-markers">On record: {markerItems(t.markers).join(' · ')}</p>
          )}
          <StaleNotice freshness={t.freshness} showCalibration={false} />
          <div className="columns">
            <Plot
              data={pv}
              testId="pv-loop"
              label={`Pressure–volume loop: EDV ${t.hemodynamics.edv.toFixed(0)} mL, ESV ${t.hemodynamics.esv.toFixed(0)} mL`}
              layout={{ title: { text: 'Pressure–volume loop (one beat)' }, xaxis: { title: { text: 'LV volume (mL)' } }, yaxis: { title: { text: 'LV pressure (mmHg)' } }, showlegend: false }}
            />
            <Plot
              data={waves}
              testId="waveforms"
              label="LV and aortic pressure over one beat"
              layout={{ title: { text: 'LV and aortic pressure' }, xaxis: { title: { text: 'time in the beat (s)' } }, yaxis: { title: { text: 'mmHg' } }, legend: { orientation: 'h' } }}
            />
          </div>
          <div className="columns">
            <section aria-labelledby="params-title">
              <h2 id="params-title">Parameters</h2>
              <table className="compact" data-testid="twin-params">
                <thead>
                  <tr>
                    <th scope="col">Parameter</th>
                    <th scope="col">Value</th>
                    <th scope="col">90% interval</th>
                  </tr>
                </thead>
                <tbody>
                  {t.params.map((p) => (
                    <tr key={p.name}>
                      <th scope="row">{PARAM_LABELS[p.name] ?? p.name}</th>
                      <td>
                        {fmt(p.value)} {p.unit}
                      </td>
                      <td>{p.low90 !== null && p.high90 !== null ? `${fmt(p.low90)}–${fmt(p.high90)}` : p.name === 'heart_rate' ? 'measured (mean of recent readings)' : 'fixed (population value)'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section aria-labelledby="fit-title">
              <h2 id="fit-title">What calibrated it</h2>
              <table className="compact" data-testid="twin-fit">
                <thead>
                  <tr>
                    <th scope="col">Target</th>
                    <th scope="col">Measured</th>
                    <th scope="col">Model − measured</th>
                    <th scope="col">Readings</th>
                  </tr>
                </thead>
                <tbody>
                  {t.fit.map((f) => (
                    <tr key={f.name}>
                      <th scope="row">{FIT_LABELS[f.name] ?? f.name}</th>
                      <td>
                        {fitFmt(f.name, f.measured)} ± {fitFmt(f.name, f.sd)}
                      </td>
                      <td>{f.residual >= 0 ? '+' : '−'}{fitFmt(f.name, Math.abs(f.residual))}</td>
                      <td>{f.nReadings === 0 ? 'prior only (no measurement)' : `mean of ${f.nReadings.toString()}`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p className="note">
                Heart model: time-varying elastance left ventricle with a three-element windkessel (Suga &amp; Sagawa; Stergiopulos 1999),
                calibrated by Levenberg–Marquardt; intervals from the Laplace approximation. Parameters without an interval are population values.
              </p>
            </section>
          </div>
          {t.hindcast && <HindcastPanel hindcast={t.hindcast} />}
          <NoteFacts id={id} />
        </>
      )}
    </section>
  );
}
