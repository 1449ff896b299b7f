// A waterfall of an equation's per-factor contributions to the linear predictor, from the
// reference person (0) to this patient, drawn with bars and bases (the cartesian Plotly bundle
// has no waterfall trace).
import type { Data, Layout } from 'plotly.js';
import type { ContributionView } from '../../api/backend';

export function waterfall(contributions: ContributionView[]): { data: Data[]; layout: Partial<Layout> } {
  const steps = contributions.filter((c) => Math.abs(c.value) >= 0.005);
  const bases: number[] = [];
  let running = 0;
  for (const c of steps) {
    bases.push(c.value >= 0 ? running : running + c.value);
    running += c.value;
  }
  const labels = [...steps.map((c) => c.factor), 'This patient vs reference'];
  // `base` (where each bar starts) is a bar attribute the plotly.js types do not declare.
  const bars: Record<string, unknown> = {
        type: 'bar',
        orientation: 'h',
        y: labels,
        x: [...steps.map((c) => Math.abs(c.value)), Math.abs(running)],
        base: [...bases, Math.min(0, running)],
        marker: { color: [...steps.map((c) => (c.value >= 0 ? '#b3261e' : '#2e7d32')), '#424242'] },
        // The log-scale coefficient stays off the hover: a clinician reads the ratio.
        customdata: [...steps.map((c) => Math.exp(c.value)), Math.exp(running)],
        hovertemplate: '%{y}: risk multiplied by %{customdata:.2f} (hazard or odds ratio against the reference person)<extra></extra>',
  };
  return {
    data: [bars],
    layout: {
      title: { text: 'Contributions to the risk equation (log hazard/odds, against the reference person)' },
      xaxis: { title: { text: 'contribution (log scale); red raises risk, green lowers it' }, zeroline: true },
      yaxis: { autorange: 'reversed', automargin: true },
      margin: { l: 220, r: 20, t: 40, b: 50 },
      showlegend: false,
    },
  };
}
