// One Plotly figure. Plotly (the cartesian bundle) is loaded on first use, so the app shell and
// the patient list open without it.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Config, Data, Layout, PlotlyHTMLElement, PlotMouseEvent } from 'plotly.js';
import './plot.css';

export interface PlotProps {
  data: Data[];
  layout: Partial<Layout>;
  /** What the figure shows, for screen readers. */
  label: string;
  testId?: string;
  height?: number;
  /** Called with the clicked point (heatmaps: `pointIndex` is [row, column]). */
  onClick?: (point: { pointIndex?: number | number[] }) => void;
}

type PlotlyModule = typeof import('plotly.js-cartesian-dist-min').default;
let plotly: Promise<PlotlyModule> | null = null;
function loadPlotly(): Promise<PlotlyModule> {
  plotly ??= import('plotly.js-cartesian-dist-min').then((m) => m.default);
  return plotly;
}

/**
 * Fetches and parses Plotly while the browser is idle (after the patient list is shown), so the
 * first chart a clinician opens does not wait for it.
 */
export function preloadPlotly(): void {
  const load = () => {
    void loadPlotly().catch(() => {
      // Nothing drawn yet, nothing to report: the chart that needs Plotly says so if it fails.
      plotly = null;
    });
  };
  if ('requestIdleCallback' in window) window.requestIdleCallback(load, { timeout: 2000 });
  else setTimeout(load, 200);
}

/** Plotly's title markup ("LVEF<br>(%)", "<b>x</b>") as one line of plain text. */
export function plainTitle(title: Partial<Layout>['title']): string {
  const text = typeof title === 'string' ? title : (title?.text ?? '');
  return text.replace(/<br\s*\/?>/gi, ' ').replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim();
}

/**
 * The figure's layout as drawn: the title comes out (it is written above the chart in HTML, where
 * it wraps and the tool bar cannot cover it), and every axis grows its margin to fit its tick
 * labels (long scenario names are not cut).
 */
export function drawnLayout(layout: Partial<Layout>, height: number): Partial<Layout> {
  const axes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(layout)) {
    if (/^[xy]axis\d*$/.test(key) && typeof value === 'object') axes[key] = { automargin: true, ...(value as object) };
  }
  return {
    height,
    margin: { t: 16, r: 16, b: 40, l: 64 },
    font: { size: 13 },
    ...layout,
    ...axes,
    title: { text: '' },
  };
}

/** The tool bar: zoom, pan, reset and save as an image; always shown, in its own row above the plot. */
const CONFIG: Partial<Config> = {
  responsive: true,
  displaylogo: false,
  displayModeBar: true,
  modeBarButtonsToRemove: ['sendDataToCloud', 'select2d', 'lasso2d', 'autoScale2d', 'zoomIn2d', 'zoomOut2d', 'toggleSpikelines', 'hoverClosestCartesian', 'hoverCompareCartesian'],
};

export function Plot({ data, layout, label, testId, height = 320, onClick }: PlotProps) {
  const ref = useRef<HTMLDivElement>(null);
  const frame = useRef<HTMLElement>(null);
  const click = useRef(onClick);
  const [failed, setFailed] = useState<string | null>(null);
  const title = useMemo(() => plainTitle(layout.title), [layout.title]);

  useEffect(() => {
    click.current = onClick;
  }, [onClick]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let cancelled = false;
    loadPlotly()
      .then(async (Plotly) => {
        if (cancelled) return;
        await Plotly.react(el, data, drawnLayout(layout, height), CONFIG);
        const plot = el as unknown as PlotlyHTMLElement;
        plot.removeAllListeners('plotly_click');
        plot.on('plotly_click', (e: PlotMouseEvent) => {
          const point = e.points[0] as { pointIndex?: number | number[] } | undefined;
          if (point) click.current?.(point);
        });
        if (frame.current) frame.current.dataset.drawn = 'true';
      })
      .catch((err: unknown) => {
        if (!cancelled) setFailed(err instanceof Error ? err.message : String(err));
      });
    return () => {
      cancelled = true;
    };
  }, [data, layout, height]);

  useEffect(() => {
    const el = ref.current;
    return () => {
      if (el) void loadPlotly().then((Plotly) => { Plotly.purge(el); });
    };
  }, []);

  if (failed) return <p role="alert">The chart could not be drawn: {failed}</p>;
  // A figure, not role="img": Plotly's tool buttons inside must stay reachable. The caption row
  // holds the title on the left and the tool bar on the right (plot.css), so neither covers the plot.
  return (
    <figure ref={frame} aria-label={label} data-testid={testId} className="chart">
      <figcaption className="chart-title">{title}</figcaption>
      <div ref={ref} style={{ minHeight: height }} />
    </figure>
  );
}
