import { useMemo, useId, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import type { ArgsOf, Axis, HeatmapView } from '../../api/backend';
import { useBackend, useCommandMutation, useLongCommand } from '../../api/hooks';
import { computeInWords } from '../../app/format';
import { Plot } from '../../charts/Plot';
import { AXES, TARGET_AXES, axesProblem, axisSpec, heatmapEmpty, heatmapFigure, heatmapTitle, partialFigure } from './heatmapFigure';
import { CellGrid } from './CellGrid';
import { isHeartFailure } from '../scenarios/outcome';
import { tickedAfterSave, updateTicks } from '../scenarios/selection';
import './heatmap.css';

type HeatmapRequest = Omit<ArgsOf<'heatmap'>, 'job'>;

/**
 * The last heatmap asked for, per patient, for this session: coming back to the screen shows it
 * again (from react-query's cache, or still computing) instead of an empty screen.
 */
const lastRequest = new Map<string, HeatmapRequest>();

/** Whether a heatmap is the answer to `request` (its axes, cells a side and members). */
function answers(h: HeatmapView, request: HeatmapRequest): boolean {
  return h.x.axis === request.x.axis && h.y.axis === request.y.axis && h.x.values.length === request.grid && h.members === request.ensemble.members;
}

/**
 * Event risk over two intervention axes (in heart failure, 3-year death from any cause); a cell
 * opens as a scenario, ticked in the comparison. A run goes on while the clinician looks at another
 * screen (its answer waits in the cache); a reload or a closed tab stops it on the server.
 */
export default function HeatmapScreen() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const backend = useBackend();
  const ids = { x: useId(), y: useId(), grid: useId(), members: useId() };
  const last = lastRequest.get(id);
  const [x, setX] = useState<Axis>(last?.x.axis ?? 'sbpLowering');
  const [y, setY] = useState<Axis>(last?.y.axis ?? 'ldlLowering');
  const [grid, setGrid] = useState(last?.grid ?? 16);
  const [members, setMembers] = useState(last?.ensemble.members ?? 500);
  const [request, setRequest] = useState<HeatmapRequest | null>(last ?? null);
  const [problem, setProblem] = useState<string | null>(null);
  const run = useLongCommand('heatmap', request, { keepRunningWhenLeft: true });
  // Only the heatmap asked for: while another computes, the last one (other axes or sizes) is not
  // shown as if it were the answer.
  const result = run.data && request && answers(run.data, request) ? run.data : null;
  const running = run.loading;
  const progress = run.progress;
  const save = useCommandMutation('saveScenario', [], { command: 'savedScenarios', args: (a) => ({ id: a.id }) });
  const compute = () => {
    const axes = axesProblem(x, y);
    setProblem(axes);
    if (axes) return;
    const next: HeatmapRequest = { id, x: axisSpec(x), y: axisSpec(y), grid, ensemble: { months: 120, members, seed: 1 }, context: {} };
    lastRequest.set(id, next);
    setRequest(next);
    run.rerun();
  };
  const figure = useMemo(() => (result ? heatmapFigure(result) : null), [result]);
  const partial = useMemo(
    () => (running && request && progress && progress.cells.length > 0 ? partialFigure(request.x, request.y, request.grid, progress.cells) : null),
    [running, progress, request],
  );
  const [opening, setOpening] = useState<string | null>(null);
  const openCell = (row: number, col: number) => {
    if (!result) return;
    const cell = result.cells[row * result.x.values.length + col];
    if (!cell) return;
    const name = cell.scenario.name;
    const open = () => {
      updateTicks(id, (c) => tickedAfterSave(c, name));
      void navigate(`/patient/${encodeURIComponent(id)}/scenarios`);
    };
    setOpening(null);
    save.mutate(
      { id, scenario: cell.scenario },
      {
        onSuccess: open,
        // Opened before: a saved scenario of the cell's name is this cell's (the name says its
        // regimen), so it is ticked as it is.
        onError: (e) => {
          const refused = () => { setOpening(e.message); };
          if (e.code !== 'validation') {
            refused();
            return;
          }
          backend.call('savedScenarios', { id }).then((saved) => { if (saved.some((s) => s.name === name)) open(); else refused(); }, refused);
        },
      },
    );
  };
  const error = problem ?? run.error?.message ?? opening;
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
        {running && <button type="button" onClick={run.cancel}>Cancel</button>}
      </div>
      {running && (
        <p aria-live="polite" className="busy">
          <span className="spinner" aria-hidden="true" /> Computing{progress && progress.total > 0 ? `: ${String(progress.done)} of ${String(progress.total)} cells` : '…'}
        </p>
      )}
      {partial && <Plot data={partial.data} layout={partial.layout} height={520} testId="risk-heatmap-partial" label="Rows of the heatmap finished so far" />}
      {error && <p className="error" role="alert">{error}</p>}
      {run.cancelled && <p className="error" role="alert">Stopped: the heatmap was cancelled.</p>}
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
          <Plot
            data={figure.data}
            layout={figure.layout}
            height={520}
            testId="risk-heatmap"
            label={`${heatmapTitle(result)} over ${result.x.label} and ${result.y.label}`}
            onClick={(p) => {
              if (Array.isArray(p.pointIndex)) openCell(p.pointIndex[0] ?? 0, p.pointIndex[1] ?? 0);
            }}
          />
          <p className="note" data-testid="heatmap-meta">
            Click a cell, or choose it in the grid below, to open it as a scenario ticked in the comparison. Event model: {result.eventModel}.
            {isHeartFailure(result.outcome) && ` Each cell is the chance of death from any cause within ${String(result.outcome.horizonYears)} years (MAGGIC's horizon).`}{' '}
            {computeInWords(result.backend)}, in {(result.elapsedMs / 1000).toFixed(1)} s.
            The same simulated patients run in every cell, so neighbouring cells differ by the treatment, not by chance. SBP and LDL-C lowering are by any regimen that achieves them, scaled to this patient as a drug’s effect is.
            {(TARGET_AXES.includes(result.x.axis) || TARGET_AXES.includes(result.y.axis)) &&
              ' A target axis makes each cell a treat-to-target strategy: at each review a simulated patient above the target takes the next step of the default drug sequence (a higher dose, else the next class), so cells differ in the drugs taken as well as the target. Strategies run on the CPU.'}
          </p>
          <CellGrid result={result} onOpen={openCell} busy={save.isPending} />
        </>
      )}
    </section>
  );
}
