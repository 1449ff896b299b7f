import type { PatientListItem } from '../../api/backend';

export interface PatientFilter {
  text: string;
  minAge: number | null;
  maxAge: number | null;
  condition: string;
}

/** Patients whose name or condition holds the text, within the age range, with the condition. */
export function filterPatients(patients: PatientListItem[], f: PatientFilter): PatientListItem[] {
  const text = f.text.trim().toLowerCase();
  return patients.filter((p) => {
    if (text && !p.name.toLowerCase().includes(text) && !p.conditions.some((c) => c.toLowerCase().includes(text))) return false;
    if (f.minAge !== null && (p.age === null || p.age < f.minAge)) return false;
    if (f.maxAge !== null && (p.age === null || p.age > f.maxAge)) return false;
    if (f.condition && !p.conditions.includes(f.condition)) return false;
    return true;
  });
}

/** "today", "1 day ago", "3 days ago", "2 months ago". */
export function staleness(days: number | null): string {
  if (days === null || !Number.isFinite(days)) return '';
  if (days < 1) return 'cached today';
  if (days < 2) return 'cached 1 day ago';
  if (days < 60) return `cached ${Math.floor(days).toString()} days ago`;
  return `cached ${Math.floor(days / 30).toString()} months ago`;
}
