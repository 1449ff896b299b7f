// plotly.js-cartesian-dist-min (scatter, bars, heatmaps) has the same API as plotly.js.
declare module 'plotly.js-cartesian-dist-min' {
  import * as Plotly from 'plotly.js';
  export default Plotly;
}
