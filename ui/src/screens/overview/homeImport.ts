import type { HomeFileKind, HomeImportReport } from '../../api/backend';
import { datesInWords, formatDate } from '../../app/format';

/** The kind of a chosen file from its name, or why it cannot be imported, in plain words. */
export function homeFileKind(fileName: string): { kind: HomeFileKind } | { problem: string } {
  const name = fileName.toLowerCase();
  if (name.endsWith('.csv')) return { kind: 'homeBpCsv' };
  if (name.endsWith('.xml')) return { kind: 'appleHealth' };
  if (name.endsWith('.zip')) {
    return {
      problem:
        'This is a zip archive. Unzip Apple Health’s export.zip first and choose apple_health_export/export.xml inside it.',
    };
  }
  return {
    problem: `${fileName} is neither a CSV file from a home BP monitor (.csv) nor an Apple Health export (export.xml).`,
  };
}

/** A file size for people: "12 kB", "1.4 GB". */
export function sizeInWords(bytes: number): string {
  if (bytes < 1000) return `${bytes.toString()} bytes`;
  const units = ['kB', 'MB', 'GB'] as const;
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit] ?? 'GB'}`;
}

function count(n: number, one: string, many: string): string {
  return `${n.toString()} ${n === 1 ? one : many}`;
}

/** What the report says, line by line. */
export interface HomeReportLines {
  /** "28 new readings filed. From: Omron M3." */
  summary: string;
  /** One line per measure: readings, days, first and last day. */
  measures: string[];
  /** What was set aside and where a cut-short export stopped. */
  warnings: string[];
  /** The home BP mean the record now gives, or why there is none. */
  homeBp: string | null;
}

/** The import's report in words a clinician reads. */
export function homeReportLines(r: HomeImportReport): HomeReportLines {
  const devices = r.devices.length > 0 ? ` From: ${r.devices.join(', ')}.` : '';
  const replaced = r.replaced > 0 ? `; ${count(r.replaced, 'reading', 'readings')} already held from an earlier import replaced` : '';
  const summary = `${count(r.added, 'new reading', 'new readings')} filed${replaced}.${devices}`;
  const measures = r.measures.map((m) => {
    const what = m.measure === 'home BP' ? count(m.readings, 'reading', 'readings') : count(m.readings, 'daily value', 'daily values');
    const span = m.firstDay === m.lastDay ? formatDate(m.firstDay) : `${formatDate(m.firstDay)} – ${formatDate(m.lastDay)}`;
    return `${m.measure.charAt(0).toUpperCase()}${m.measure.slice(1)}: ${what} over ${count(m.days, 'day', 'days')} (${span})`;
  });
  const warnings: string[] = [];
  if (r.setAside > 0) {
    warnings.push(`${count(r.setAside, 'record', 'records')} of the file set aside: unreadable or impossible values.`);
  }
  if (r.stopped) {
    warnings.push(`The export is incomplete (${r.stopped}); the days read before that point were imported.`);
  }
  const home = r.homeBp;
  let homeBp: string | null = null;
  if (home?.mean) {
    const m = home.mean;
    homeBp = `Home BP now ${m.systolic.toFixed(0)}/${m.diastolic.toFixed(0)} mmHg: mean of ${m.nReadings.toString()} readings over ${m.nDays.toString()} days, ${formatDate(m.firstDay)} – ${formatDate(m.lastDay)}.`;
  } else if (home?.noMeanReason) {
    homeBp = `No home BP mean yet: ${datesInWords(home.noMeanReason)}.`;
  }
  return { summary, measures, warnings, homeBp };
}
