import { useEffect, useRef } from 'react';
import Plotly from 'plotly.js-dist-min';
import type { Series } from '../api/backend';

export interface BpChartProps {
  sbp: Series;
  dbp: Series;
}

/** Observed systolic and diastolic pressure over time; each point is a measurement. */
export function BpChart({ sbp, dbp }: BpChartProps) {
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const trace = (s: Series, color: string): Plotly.Data => ({
      x: s.points.map((p) => p.date),
      y: s.points.map((p) => p.value),
      name: s.label,
      type: 'scatter',
      mode: 'lines+markers',
      line: { color, width: 1.5 },
      marker: { size: 5 },
      hovertemplate: `%{x}: %{y} ${s.unit}<extra>${s.label}</extra>`,
    });
    void Plotly.react(
      el,
      [trace(sbp, '#b3261e'), trace(dbp, '#1f5fa8')],
      {
        margin: { t: 30, r: 10, b: 40, l: 50 },
        yaxis: { title: { text: `Blood pressure (${sbp.unit})` } },
        xaxis: { type: 'date' },
        legend: { orientation: 'h' },
        title: { text: 'Blood pressure history (observed)' },
      },
      { responsive: true, displaylogo: false },
    );
    return () => {
      Plotly.purge(el);
    };
  }, [sbp, dbp]);

  return (
    <div
      ref={ref}
      data-testid="bp-chart"
      role="img"
      aria-label={`Blood pressure history: ${sbp.points.length.toString()} measurements`}
      className="chart"
    />
  );
}
