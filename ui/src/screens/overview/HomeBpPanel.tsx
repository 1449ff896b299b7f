import type { HomeBpView, Series } from '../../api/backend';
import { homeBpLines } from './homeBp';

export interface HomeBpPanelProps {
  home: HomeBpView;
  series: Series[];
}

/**
 * Home (self-measured) BP beside the office BP: the protocol mean of the latest week, judged
 * against the home threshold 135/85 (not the office 140/90), with how it was made and the
 * devices. Home readings are not in the office series or the timeline's SBP line.
 */
export function HomeBpPanel({ home, series }: HomeBpPanelProps) {
  const lines = homeBpLines(home, series);
  return (
    <section aria-labelledby="home-bp-title" className="panel overview-home-bp" data-testid="home-bp">
      <h2 id="home-bp-title">Home BP</h2>
      <p>
        {lines.mean && (
          <>
            <span className={lines.raised ? 'reading abnormal' : 'reading'} data-testid="home-bp-mean">
              {lines.mean}
            </span>
            {lines.raised && (
              <span className="flag flag-high" title="At or above the home threshold 135/85">
                ≥ 135/85
              </span>
            )}{' '}
          </>
        )}
        <span>{lines.verdict}</span>
      </p>
      <p className="hint">{lines.protocol}</p>
      <p className="hint">
        Office, latest: {lines.office ?? 'none on record'}. Home readings from: {lines.devices}.
      </p>
      <details>
        <summary>Protocol</summary>
        <p>{home.protocol}</p>
      </details>
    </section>
  );
}
