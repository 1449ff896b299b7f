import type { HomeBpView, Series } from '../../api/backend';
import { formatDate } from '../../app/format';

/** What the home BP panel says, line by line, so it can be read and tested without a screen. */
export interface HomeBpLines {
  /** "141/84 mmHg", or null when there is no protocol mean. */
  mean: string | null;
  /** Whether the mean reaches the home threshold 135/85. */
  raised: boolean;
  /** The verdict in words. */
  verdict: string;
  /** How the mean was made: days, readings, morning/evening, the day dropped. */
  protocol: string;
  /** The latest office reading, for the comparison (white-coat or masked hypertension). */
  office: string | null;
  /** The devices the readings came from. */
  devices: string;
}

/** The latest office SBP/DBP pair (same date) from the timeline's series, in words. */
export function latestOffice(series: Series[]): string | null {
  const sbp = series.find((s) => s.key === 'sbp')?.points.at(-1);
  if (!sbp) return null;
  const dbp = series.find((s) => s.key === 'dbp')?.points.filter((p) => p.date === sbp.date).at(-1);
  const pair = dbp ? `${sbp.value.toFixed(0)}/${dbp.value.toFixed(0)}` : `${sbp.value.toFixed(0)} systolic`;
  return `${pair} mmHg on ${formatDate(sbp.date)}`;
}

/** The panel's words for a home BP view. */
export function homeBpLines(home: HomeBpView, series: Series[]): HomeBpLines {
  const devices = home.devices.length > 0 ? home.devices.join(', ') : 'device not named';
  const office = latestOffice(series);
  const m = home.mean;
  if (!m) {
    return {
      mean: null,
      raised: false,
      verdict: `No home mean: ${home.noMeanReason ?? 'not enough readings'}.`,
      protocol: `${home.nReadingsHeld.toString()} home reading(s) held, latest ${formatDate(home.latest)}.`,
      office,
      devices,
    };
  }
  const times =
    m.nMorning + m.nEvening > 0
      ? `${m.nMorning.toString()} morning, ${m.nEvening.toString()} evening`
      : 'times of day not recorded';
  return {
    mean: `${m.systolic.toFixed(0)}/${m.diastolic.toFixed(0)} mmHg`,
    raised: m.atOrAboveThreshold,
    verdict: m.atOrAboveThreshold
      ? 'At or above the home threshold 135/85: raised at home.'
      : 'Below the home threshold 135/85.',
    protocol:
      `Mean of ${m.nReadings.toString()} readings over ${m.nDays.toString()} days, ${formatDate(m.firstDay)} – ${formatDate(m.lastDay)} ` +
      `(${times}; first day ${formatDate(m.droppedDay)} dropped); systolic SD ${m.systolicSd.toFixed(1)} mmHg.`,
    office,
    devices,
  };
}
