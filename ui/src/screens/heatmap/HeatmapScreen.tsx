import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import type { Axis, HeatmapView, JobProgress } from '../../api/backend';
import { asAppError } from '../../api/backend';
import { useBackend, useCommandMutation } from '../../api/hooks';
import { Plot } from '../../charts/Plot';
import { AXES, TARGET_AXES, axesProblem, axisSpec, heatmapEmpty, heatmapFigure, heatmapTitle, partialFigure } from './heatmapFigure';
import { isHeartFailure } from '../scenarios/outcome';

/**
 * Event risk over two intervention axes (in heart failure, 3-year death from any cause); a cell
 * opens as a scenario in the comparison.
 */
export default function HeatmapScreen() {
  const { id = '' } = useParams();
  const backend = useBackend();
  const navigate = useNavigate();
  const ids = { x: useId(), y: useId(), grid: useId(), members: useId() };
  const [x, setX] = useState<Axis>('sbpLowering');
  const [y, setY] = useState<Axis>('ldlLowering');
  const [grid, setGrid] = useState(16);
  const [members, setMembers] = useState(500);
  const [result, setResult] = useState<HeatmapView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const job = useRef('heatmap');
  const save = useCommandMutation('saveScenario', [], { command: 'savedScenarios', args: (a) => ({ id: a.id }) });
  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(() => {
      backend.call('jobProgress', { job: job.current }).then(setProgress, () => {});
    }, 250);
    return () => { window.clearInterval(timer); };
  }, [running, backend]);
  const compute = () => {
    const problem = axesProblem(x, y);
    if (problem) {
      setError(problem);
      return;
    }
    job.current = `heatmap-${id}-${x}-${y}-${String(grid)}-${String(members)}`;
    setRunning(true);
    setError(null);
    backend
      .call('heatmap', { id, x: axisSpec(x), y: axisSpec(y), grid, ensemble: { months: 120, members, seed: 1 }, context: {}, job: job.current })
      .then(setResult, (err: unknown) => { setError(asAppError(err).message); })
      .finally(() => { setRunning(false); setProgress(null); });
  };
  const cancel = () => { void backend.call('cancelJob', { job: job.current }); };
  const figure = useMemo(() => (result ? heatmapFigure(result) : null), [result]);
  const partial = useMemo(
    () => (running && progress && progress.cells.length > 0 ? partialFigure(axisSpec(x), axisSpec(y), grid, progress.cells) : null),
    [running, progress, x, y, grid],
  );
  const openCell = (pointIndex: number[] | number | undefined) => {
    if (!result || !Array.isArray(pointIndex)) return;
    const [row, col] = pointIndex;
    const cell = result.cells[(row ?? 0) * result.x.values.length + (col ?? 0)];
    if (!cell) return;
    save.mutate({ id, scenario: cell.scenario }, { onSuccess: () => { void navigate(`/patient/${encodeURIComponent(id)}/scenarios`); } });
  };
  return (
    <section aria-labelledby="heatmap-title" className="screen">
      <h1 id="heatmap-title">Risk heatmap</h1>
      <div className="toolbar">
        <label htmlFor={ids.x}>Across</label>
        <select id={ids.x} value={x} onChange={(e) => { setX(e.target.value as Axis); }}>
          {AXES.map((a) => <option key={a.value} value={a.value}>{a.label}</option>)}
        </select>
        <label htmlFor={ids.y}>Up</label>
        <select id={ids.y} value={y} onChange={(e) => { setY(e.target.value as Axis); }}>
          {AXES.map((a) => <option key={a.value} value={a.value}>{a.label}</option>)}
        </select>
        <label htmlFor={ids.grid}>Cells a side</label>
        <select id={ids.grid} value={grid} onChange={(e) => { setGrid(Number(e.target.value)); }}>
          {[8, 16, 32].map((g) => <option key={g} value={g}>{g}</option>)}
        </select>
        <label htmlFor={ids.members}>Courses per cell</label>
        <select id={ids.members} value={members} onChange={(e) => { setMembers(Number(e.target.value)); }}>
          {[200, 500, 1000].map((m) => <option key={m} value={m}>{m}</option>)}
        </select>
        <button type="button" onClick={compute} disabled={running}>Compute</button>
        {running && <button type="button" onClick={cancel}>Cancel</button>}
      </div>
      {running && (
        <p aria-live="polite" className="busy">
          <span className="spinner" aria-hidden="true" /> Computing{progress && progress.total > 0 ? `: ${String(progress.done)} of ${String(progress.total)} cells` : '…'}
        </p>
      )}
      {partial && <Plot data={partial.data} layout={partial.layout} height={520} testId="risk-heatmap-partial" label="Rows of the heatmap finished so far" />}
      {error && <p className="error" role="alert">{error}</p>}
      {result && heatmapEmpty(result) && (
        <p role="note" data-testid="heatmap-no-model">
          No outcome is projected for this patient, so the cells have no risk to show: {result.eventModel}.
        </p>
      )}
      {result && figure && !heatmapEmpty(result) && (
        <>
          {result.note && (
            <p role="note" className="warning" data-testid="heatmap-note">
              {result.note}
            </p>
          )}
          <Plot data={figure.data} layout={figure.layout} height={520} testId="risk-heatmap" label={`${heatmapTitle(result)} over ${result.x.label} and ${result.y.label}`} onClick={(p) => { openCell(p.pointIndex); }} />
          <p className="note" data-testid="heatmap-meta">
            Click a cell to open it as a scenario in the comparison. Event model: {result.eventModel}.
            {isHeartFailure(result.outcome) && ` Each cell is the chance of death from any cause within ${String(result.outcome.horizonYears)} years (MAGGIC's horizon).`}{' '}
            Computed on {result.backend} in {result.elapsedMs.toFixed(0)} ms.
            The same simulated patients run in every cell, so neighbouring cells differ by the treatment, not by chance. SBP and LDL-C lowering are by any regimen that achieves them, scaled to this patient as a drug’s effect is.
            {(TARGET_AXES.includes(result.x.axis) || TARGET_AXES.includes(result.y.axis)) &&
              ' A target axis makes each cell a treat-to-target strategy: at each review a simulated patient above the target takes the next step of the default drug sequence (a higher dose, else the next class), so cells differ in the drugs taken as well as the target. Strategies run on the CPU.'}
          </p>
        </>
      )}
    </section>
  );
}
