// The heatmap's cells as a keyboard grid: Plotly's heatmap cannot take the focus, so this grid is
// the equivalent a keyboard or screen-reader user works with (and the numbers under the chart for
// everyone). Arrow keys move, Home/End go to a row's ends, Enter or Space opens the cell as a
// scenario in the comparison. One tab stop (roving tabindex), as the ARIA grid pattern asks.
import { useRef, useState, type KeyboardEvent } from 'react';
import type { HeatmapView } from '../../api/backend';
import { cellColour, cellText, cellWords, gridMove } from './cells';

export interface CellGridProps {
  result: HeatmapView;
  /** Opens the cell at (row, column): row is the y value's index, column the x value's. */
  onOpen: (row: number, column: number) => void;
  /** While a cell is being opened, the grid waits. */
  busy: boolean;
}

const axisValue = (v: number) => (Number.isInteger(v) ? v.toFixed(0) : v.toFixed(1));

export function CellGrid({ result, onOpen, busy }: CellGridProps) {
  const nx = result.x.values.length;
  const ny = result.y.values.length;
  // Drawn as the chart is: the highest y value on top.
  const [focus, setFocus] = useState<[number, number]>([ny - 1, 0]);
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  const medians = result.cells.map((c) => c.p50).filter((v): v is number => v !== null);
  const lo = Math.min(...medians);
  const hi = Math.max(...medians);
  const move = (e: KeyboardEvent) => {
    const next = gridMove(focus, e.key, ny, nx);
    if (!next) return;
    e.preventDefault();
    setFocus(next);
    buttons.current.get(`${next[0].toString()}-${next[1].toString()}`)?.focus();
  };
  const rows = Array.from({ length: ny }, (_, i) => ny - 1 - i);
  const whole = nx > 16;
  return (
    <div className="cell-grid-wrap">
      <table role="grid" className={`cell-grid${whole ? ' dense' : ''}`} aria-labelledby="cell-grid-title" aria-describedby="cell-grid-keys" onKeyDown={move} data-testid="heatmap-cells">
        <caption id="cell-grid-title">
          Each cell’s median risk, %: rows {result.y.label}, columns {result.x.label}
        </caption>
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">{result.y.label} ({result.y.unit}) by {result.x.label} ({result.x.unit})</span>
            </th>
            {result.x.values.map((x) => (
              <th scope="col" key={x}>{axisValue(x)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r}>
              <th scope="row">{axisValue(result.y.values[r] ?? 0)}</th>
              {result.x.values.map((_, c) => {
                const cell = result.cells[r * nx + c];
                if (!cell) return <td key={c} role="gridcell" />;
                const { background, color } = cellColour(cell.p50, lo, hi);
                const here = focus[0] === r && focus[1] === c;
                return (
                  <td key={c} role="gridcell">
                    <button
                      type="button"
                      ref={(el) => {
                        const k = `${r.toString()}-${c.toString()}`;
                        if (el) buttons.current.set(k, el);
                        else buttons.current.delete(k);
                      }}
                      tabIndex={here ? 0 : -1}
                      style={{ background, color }}
                      aria-label={`${cell.regimen}: ${cellWords(cell)}. Open as a scenario`}
                      aria-disabled={busy}
                      onFocus={() => { setFocus([r, c]); }}
                      onClick={() => { if (!busy) onOpen(r, c); }}
                    >
                      {cellText(cell, whole)}
                    </button>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="note" id="cell-grid-keys">
        Arrow keys move between cells, Home and End go to a row’s ends; Enter opens the cell as a scenario, ticked in the comparison.
      </p>
    </div>
  );
}
