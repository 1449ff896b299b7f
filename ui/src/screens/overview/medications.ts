/**
 * Medications as a cardiologist reads them: one line per agent, its dose periods in date order,
 * and each dose change (up, down) between consecutive prescriptions of the same agent.
 */
import type { MedicationView } from '../../api/backend';

/** One prescription period of an agent. */
export interface DosePeriod {
  start: string | null;
  /** `null` while ongoing. */
  end: string | null;
  dailyDoseMg: number | null;
  /** The prescription as written ("ramipril 5 mg 2 times daily"): dose and frequency. */
  instruction: string;
  adherence: number | null;
  /** Whether this period's dose is higher or lower than the period before; null for the first. */
  change: 'increase' | 'decrease' | null;
}

/** An agent with all its periods. */
export interface AgentCourse {
  /** "Ramipril". */
  agent: string;
  /** "ACE inhibitor". */
  class: string | null;
  periods: DosePeriod[];
  /** Whether the latest period is ongoing on the consultation day. */
  active: boolean;
}

function capitalised(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The medications grouped by agent (the source display where unmapped), active agents first. */
export function agentCourses(medications: MedicationView[], asOf: string): AgentCourse[] {
  const byAgent = new Map<string, MedicationView[]>();
  for (const m of medications) {
    const agent = (m.agent ?? m.display).toLowerCase();
    byAgent.set(agent, [...(byAgent.get(agent) ?? []), m]);
  }
  const courses = [...byAgent.entries()].map(([agent, meds]): AgentCourse => {
    const sorted = [...meds].sort((a, b) => (a.start ?? '').localeCompare(b.start ?? ''));
    const periods = sorted.map((m, i): DosePeriod => {
      const before = i > 0 ? sorted[i - 1]?.dailyDoseMg : null;
      const now = m.dailyDoseMg;
      const change = before != null && now !== null && now !== before ? (now > before ? 'increase' : 'decrease') : null;
      return { start: m.start, end: m.end, dailyDoseMg: now, instruction: m.display, adherence: m.adherence, change };
    });
    const last = periods[periods.length - 1];
    const active = last !== undefined && (last.end === null || last.end >= asOf) && (last.start === null || last.start <= asOf);
    return { agent: capitalised(agent), class: sorted[0]?.class ?? null, periods, active };
  });
  return courses.sort((a, b) => Number(b.active) - Number(a.active) || a.agent.localeCompare(b.agent));
}

/** "10 mg/day", or "" where the dose is not stated. */
export function doseText(dailyDoseMg: number | null): string {
  return dailyDoseMg === null ? '' : `${Number(dailyDoseMg.toFixed(2)).toString()} mg/day`;
}
