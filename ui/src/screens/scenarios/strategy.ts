// Treat-to-target strategies in the builder: the draft the form edits, its checks (the server's,
// with the engine's limits from the generated constants) and the scenario file's `strategy`.
import type { ClassFile, InterventionFile, StrategyFile } from '../../api/backend';
import {
  BP_LOWERING_CLASSES,
  DEFAULT_BP_SEQUENCE,
  DEFAULT_LDL_SEQUENCE,
  LDL_LOWERING_CLASSES,
  LDL_TARGET_RANGE_MMOL,
  MAX_REVIEW_MONTHS,
  MG_DL_PER_MMOL_L_CHOLESTEROL,
  MIN_REVIEW_MONTHS,
  SBP_TARGET_RANGE,
} from '../../api/generated';
import { CLASSES } from './interventions';

/** One target as the form holds it. */
export interface TargetDraft {
  on: boolean;
  /** SBP in mmHg, LDL-C in mg/dL. */
  target: number;
  reviewMonths: number;
  sequence: ClassFile[];
}

export interface StrategyDraft {
  sbp: TargetDraft;
  ldl: TargetDraft;
}

export const BP_CLASSES: readonly ClassFile[] = BP_LOWERING_CLASSES;
export const LDL_CLASSES: readonly ClassFile[] = LDL_LOWERING_CLASSES;

/** Both targets off; the usual targets and the engine's sequences ready when one is turned on. */
export function defaultStrategyDraft(): StrategyDraft {
  return {
    sbp: { on: false, target: 130, reviewMonths: 3, sequence: [...DEFAULT_BP_SEQUENCE] },
    ldl: { on: false, target: 70, reviewMonths: 3, sequence: [...DEFAULT_LDL_SEQUENCE] },
  };
}

export const strategyOn = (d: StrategyDraft): boolean => d.sbp.on || d.ldl.on;

/** The LDL-C targets the engine accepts, in whole mg/dL. */
export const LDL_TARGET_RANGE_MG_DL: readonly [number, number] = [
  Math.ceil(LDL_TARGET_RANGE_MMOL[0] * MG_DL_PER_MMOL_L_CHOLESTEROL),
  Math.floor(LDL_TARGET_RANGE_MMOL[1] * MG_DL_PER_MMOL_L_CHOLESTEROL),
];

export type StrategyField = 'sbpTarget' | 'reviewMonths' | 'sequence' | 'ldlTargetMgDl' | 'ldlReviewMonths' | 'ldlSequence';

/** What is wrong with each field, in plain words (the server's checks). */
export function strategyProblems(d: StrategyDraft): Partial<Record<StrategyField, string>> {
  const out: Partial<Record<StrategyField, string>> = {};
  const reviewOk = (m: number) => Number.isFinite(m) && m >= MIN_REVIEW_MONTHS && m <= MAX_REVIEW_MONTHS;
  const review = `Reviews must be at least two weeks apart (${MIN_REVIEW_MONTHS.toFixed(2)} months) and at most ${MAX_REVIEW_MONTHS.toString()} months apart.`;
  if (d.sbp.on) {
    const [lo, hi] = SBP_TARGET_RANGE;
    if (!Number.isFinite(d.sbp.target) || d.sbp.target < lo || d.sbp.target > hi) out.sbpTarget = `The SBP target must be ${lo.toString()}–${hi.toString()} mmHg.`;
    if (!reviewOk(d.sbp.reviewMonths)) out.reviewMonths = review;
    if (d.sbp.sequence.length === 0) out.sequence = 'Add at least one BP-lowering class to the sequence.';
  }
  if (d.ldl.on) {
    const mmol = d.ldl.target / MG_DL_PER_MMOL_L_CHOLESTEROL;
    const [lo, hi] = LDL_TARGET_RANGE_MMOL;
    if (!Number.isFinite(mmol) || mmol < lo || mmol > hi) {
      out.ldlTargetMgDl = `The LDL-C target must be ${LDL_TARGET_RANGE_MG_DL[0].toString()}–${LDL_TARGET_RANGE_MG_DL[1].toString()} mg/dL.`;
    }
    if (!reviewOk(d.ldl.reviewMonths)) out.ldlReviewMonths = review;
    if (d.ldl.sequence.length === 0) out.ldlSequence = 'Add at least one lipid-lowering class to the sequence.';
  }
  return out;
}

/** The scenario file's `strategy`, or undefined when no target is on. */
export function toStrategyFile(d: StrategyDraft): StrategyFile | undefined {
  if (!strategyOn(d)) return undefined;
  return {
    ...(d.sbp.on ? { sbpTarget: d.sbp.target, reviewMonths: d.sbp.reviewMonths, sequence: d.sbp.sequence } : {}),
    ...(d.ldl.on ? { ldlTargetMgDl: d.ldl.target, ldlReviewMonths: d.ldl.reviewMonths, ldlSequence: d.ldl.sequence } : {}),
  };
}

/**
 * A saved strategy back in the form, to edit it; `null` for a plan of care's (its exact steps,
 * `ladder`, are not typed in the builder: the scenario keeps it as saved).
 */
export function strategyDraftOf(s: StrategyFile): StrategyDraft | null {
  if ((s.ladder?.length ?? 0) > 0 || (s.ldlLadder?.length ?? 0) > 0) return null;
  const d = defaultStrategyDraft();
  return {
    sbp: s.sbpTarget !== undefined ? { on: true, target: s.sbpTarget, reviewMonths: s.reviewMonths ?? d.sbp.reviewMonths, sequence: s.sequence ?? d.sbp.sequence } : d.sbp,
    ldl:
      s.ldlTargetMgDl !== undefined
        ? { on: true, target: s.ldlTargetMgDl, reviewMonths: s.ldlReviewMonths ?? d.ldl.reviewMonths, sequence: s.ldlSequence ?? d.ldl.sequence }
        : d.ldl,
  };
}

/** Changes a strategy cannot sit beside: it chooses the drugs itself (the engine refuses them). */
export function isDrugChange(i: InterventionFile): boolean {
  return ['start_drug', 'change_dose', 'stop_drug', 'adherence', 'lower_sbp', 'lower_ldl'].includes(i.type);
}

export const classLabel = (c: ClassFile): string => CLASSES.find((x) => x.value === c)?.label ?? c;

const months = (m: number) => (m === 1 ? '1 month' : `${Number.isInteger(m) ? m.toString() : m.toFixed(1)} months`);

/** A strategy in one line: "SBP < 130 mmHg, reviewed every 3 months (ACE inhibitor → …)". */
export function describeStrategy(s: StrategyFile): string {
  const parts: string[] = [];
  const seq = (c: ClassFile[] | undefined, fallback: readonly ClassFile[]) => (c ?? fallback).map(classLabel).join(' → ');
  if (s.sbpTarget !== undefined) {
    parts.push(`SBP < ${s.sbpTarget.toFixed(0)} mmHg, reviewed every ${months(s.reviewMonths ?? NaN)} (${seq(s.sequence, DEFAULT_BP_SEQUENCE)})`);
  }
  if (s.ldlTargetMgDl !== undefined) {
    parts.push(`LDL-C < ${s.ldlTargetMgDl.toFixed(0)} mg/dL, reviewed every ${months(s.ldlReviewMonths ?? NaN)} (${seq(s.ldlSequence, DEFAULT_LDL_SEQUENCE)})`);
  }
  return `Treat to target: ${parts.join('; ')}`;
}
