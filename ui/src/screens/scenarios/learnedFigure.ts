// The learned model's sampled trajectories for one target under one scenario: thin paths, the
// hybrid mean, and the engine's mean it corrects.
import type { Data, Layout } from 'plotly.js';
import type { Projection } from '../../api/backend';

/** Rows of `p.learned` for `target`, in horizon order, with their indices (samples align with rows). */
function rowsOf(p: Projection, target: string) {
  return p.learned.rows.map((r, i) => ({ r, i })).filter(({ r }) => r.target === target);
}

export function sampledPathsFigure(p: Projection, target: string, label: string): { data: Data[]; layout: Partial<Layout> } {
  const rows = rowsOf(p, target);
  const months = rows.map(({ r }) => r.horizonMonths);
  const data: Data[] = p.learned.samples.map((sample, k) => ({
    type: 'scatter',
    mode: 'lines',
    x: months,
    y: rows.map(({ i }) => sample[i] ?? NaN),
    line: { color: 'rgba(31,95,168,0.25)', width: 1 },
    name: 'Sampled paths',
    legendgroup: 'samples',
    showlegend: k === 0,
    hoverinfo: 'skip',
  }));
  data.push(
    {
      type: 'scatter',
      mode: 'lines+markers',
      x: months,
      y: rows.map(({ r }) => r.hybrid),
      line: { color: '#1f5fa8', width: 3 },
      name: 'Hybrid mean',
      hovertemplate: '%{y:.2f} at %{x} months<extra>hybrid</extra>',
    },
    {
      type: 'scatter',
      mode: 'lines',
      x: months,
      y: rows.map(({ r }) => r.engine),
      line: { color: '#424242', width: 2, dash: 'dash' },
      name: 'Engine mean',
      hovertemplate: '%{y:.2f} at %{x} months<extra>engine</extra>',
    },
  );
  return {
    data,
    layout: {
      title: { text: `${p.learned.samples.length.toString()} sampled paths` },
      xaxis: { tickvals: months, ticktext: months.map((m) => `${m.toString()} mo`) },
      yaxis: { title: { text: label } },
      legend: { orientation: 'h' },
    },
  };
}
