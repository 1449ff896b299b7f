/**
 * Labels of bars in a lane chart (one row per item, bars along a time axis, each label just above
 * where its bar begins), laid out so that no two labels overlap. Plotly places annotations where
 * it is told and never moves them, so this is done before drawing:
 * - on a row, a label that would run into the one before it goes up a tier (a second line above
 *   the bar); when every tier is taken, the earlier label is cut short with "…" (or dropped when
 *   no readable part fits), and its full text stays in the hover and in the medication table;
 * - rows are spaced for the most tiers any row uses ([`rowPx`]), so labels of neighbouring rows
 *   cannot meet either;
 * - a label of a bar that began before the window starts at the window's left edge, and one whose
 *   bar lies wholly outside the window is not drawn (Plotly would pin it to the edge otherwise).
 * Widths are estimated from the number of characters, on the generous side, so an estimate errs
 * towards a tier too many rather than an overlap.
 */

/** A bar's label, times in ms since the epoch. */
export interface LaneLabel {
  /** The row (category) the bar is drawn on. */
  row: string;
  /** Where the bar, and so the label, begins. */
  start: number;
  /** Where the bar ends. */
  end: number;
  /** The label's full text. */
  text: string;
}

/** A label where it is drawn. */
export interface PlacedLaneLabel {
  row: string;
  /** Where the label begins (ms): the bar's start, or the window's left edge. */
  x: number;
  /** The text drawn: the full text, or its beginning with "…". */
  text: string;
  /** The full text, for the hover where `text` was cut. */
  full: string;
  /** 0 just above the bar; 1 the line above that; … */
  tier: number;
}

/** The window shown and its width on screen. */
export interface LaneScale {
  /** Left edge (ms). */
  from: number;
  /** Right edge (ms). */
  to: number;
  /** The plot area's width, px. */
  widthPx: number;
}

export interface LaneLabelLayout {
  labels: PlacedLaneLabel[];
  /** Tiers the busiest row uses (at least 1): what the rows are spaced for. */
  tiers: number;
}

/** Average advance of an 11 px sans-serif character, px, generous (DejaVu Sans's capitals and digits are about 7, lower case about 6). */
export const LABEL_CHAR_PX = 6.8;
/** Clear space kept between two labels on one line, px. */
export const LABEL_GAP_PX = 10;
/** Lines of labels above a bar before labels are cut short. */
export const MAX_TIERS = 2;
/** Height of one tier of labels (an 11 px line and its spacing), px. */
export const TIER_PX = 14;
/** A row's height without labels: the bar and clear space around it, px. */
const BAR_ROW_PX = 30;
/** Fewest characters worth showing before "…". */
const MIN_CHARS = 4;

/** The height one row needs when labels take `tiers` lines, px (one tier: 44). */
export function rowPx(tiers: number): number {
  return BAR_ROW_PX + TIER_PX * Math.max(1, tiers);
}

/** The estimated width of `text`, px. */
export function textPx(text: string): number {
  return Array.from(text).length * LABEL_CHAR_PX;
}

/** `text` cut to fit `px` with a closing "…"; empty when fewer than a few characters would fit. */
export function cutToFit(text: string, px: number): string {
  if (textPx(text) <= px) return text;
  const chars = Math.floor(px / LABEL_CHAR_PX) - 1;
  return chars < MIN_CHARS ? '' : `${Array.from(text).slice(0, chars).join('').trimEnd()}…`;
}

/**
 * Lays out `labels` in `scale`'s window. Labels are kept in their input order within the result;
 * those with no readable text left (cut to nothing, or outside the window) are left out.
 */
export function layoutLaneLabels(labels: LaneLabel[], scale: LaneScale, maxTiers: number = MAX_TIERS): LaneLabelLayout {
  const span = scale.to - scale.from;
  const pxPerMs = span > 0 ? scale.widthPx / span : 0;
  const visible = labels.filter((l) => l.end >= scale.from && l.start <= scale.to && l.text.length > 0);
  const placed: PlacedLaneLabel[] = visible.map((l) => ({ row: l.row, x: Math.max(l.start, scale.from), text: l.text, full: l.text, tier: 0 }));
  const rows = new Map<string, number[]>();
  placed.forEach((p, i) => { rows.set(p.row, [...(rows.get(p.row) ?? []), i]); });
  let tiersUsed = 1;
  for (const indices of rows.values()) {
    const order = [...indices].sort((a, b) => (placed[a]?.x ?? 0) - (placed[b]?.x ?? 0));
    // Per tier, the label last placed on it and where its text ends (px from the left edge).
    const lines: { last: PlacedLaneLabel; right: number }[] = [];
    for (const i of order) {
      const label = placed[i];
      if (!label) continue;
      const left = (label.x - scale.from) * pxPerMs;
      const free = lines.findIndex((line) => line.right + LABEL_GAP_PX <= left);
      let tier = free;
      if (tier < 0 && lines.length < maxTiers) {
        tier = lines.length;
      } else if (tier < 0) {
        // Every tier is taken: cut short the line that ends soonest, so this label begins clear of it.
        tier = lines.reduce((best, line, t) => (line.right < (lines[best]?.right ?? Infinity) ? t : best), 0);
        const line = lines[tier];
        if (line) {
          const lineLeft = (line.last.x - scale.from) * pxPerMs;
          line.last.text = cutToFit(line.last.full, left - LABEL_GAP_PX - lineLeft);
        }
      }
      label.tier = tier;
      lines[tier] = { last: label, right: left + textPx(label.text) };
      tiersUsed = Math.max(tiersUsed, tier + 1);
    }
  }
  return { labels: placed.filter((p) => p.text.length > 0), tiers: tiersUsed };
}
