// What the keyboard grid of the heatmap (CellGrid.tsx) computes: a cell's words and colour, and
// where an arrow key moves the focus. Plain functions, tested with Vitest.
import type { HeatmapCell } from '../../api/backend';

/** The heatmap's colour scale (as heatmapFigure draws it): light to dark blue. */
export const SCALE: [number, string][] = [
  [0, '#f7fbff'],
  [0.5, '#6baed6'],
  [1, '#08306b'],
];

const channels = (hex: string) => {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
};

/** WCAG 2 relative luminance of an sRGB colour. */
function luminance([r, g, b]: number[]): number {
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r ?? 0) + 0.7152 * lin(g ?? 0) + 0.0722 * lin(b ?? 0);
}

/**
 * A cell's background on the scale from `lo` to `hi`, and the text colour (black or white)
 * with the higher contrast on it. No value: a plain background.
 */
export function cellColour(p50: number | null, lo: number, hi: number): { background: string; color: string } {
  if (p50 === null || !Number.isFinite(p50)) return { background: '#ffffff', color: '#1b1b1b' };
  const t = hi > lo ? Math.min(1, Math.max(0, (p50 - lo) / (hi - lo))) : 0.5;
  const upper = SCALE.findIndex(([stop]) => stop >= t);
  const [s1, c1] = SCALE[Math.max(0, upper - 1)] ?? SCALE[0] ?? [0, '#f7fbff'];
  const [s2, c2] = SCALE[Math.max(0, upper)] ?? [1, '#08306b'];
  const f = s2 > s1 ? (t - s1) / (s2 - s1) : 0;
  const a = channels(c1);
  const b = channels(c2);
  const rgb = a.map((v, i) => Math.round(v + ((b[i] ?? v) - v) * f));
  const l = luminance(rgb);
  // Contrast with black (l + 0.05) / 0.05 against white 1.05 / (l + 0.05).
  const color = (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? '#000000' : '#ffffff';
  return { background: `rgb(${rgb.join(',')})`, color };
}

/** A cell's median risk as the grid shows it: "12.3" ("12" in a dense grid), "—" without a value. */
export function cellText(cell: HeatmapCell, dense: boolean): string {
  if (cell.p50 === null) return '—';
  return (cell.p50 * 100).toFixed(dense ? 0 : 1);
}

/** A cell's median risk with its band, for its label: "12.3 % (5–95 %: 9.1–16.0 %)". */
export function cellWords(cell: HeatmapCell): string {
  if (cell.p50 === null) return 'no risk projected';
  const band = cell.p5 !== null && cell.p95 !== null ? ` (5–95 %: ${(cell.p5 * 100).toFixed(1)}–${(cell.p95 * 100).toFixed(1)} %)` : '';
  return `${(cell.p50 * 100).toFixed(1)} %${band}`;
}

/**
 * Where a key moves the focus in a grid of `rows` × `columns` drawn with the last row on top:
 * [row, column], or null for a key the grid does not use.
 */
export function gridMove([row, column]: [number, number], key: string, rows: number, columns: number): [number, number] | null {
  const clamp = (v: number, n: number) => Math.min(n - 1, Math.max(0, v));
  switch (key) {
    case 'ArrowUp':
      return [clamp(row + 1, rows), column];
    case 'ArrowDown':
      return [clamp(row - 1, rows), column];
    case 'ArrowLeft':
      return [row, clamp(column - 1, columns)];
    case 'ArrowRight':
      return [row, clamp(column + 1, columns)];
    case 'Home':
      return [row, 0];
    case 'End':
      return [row, columns - 1];
    default:
      return null;
  }
}
