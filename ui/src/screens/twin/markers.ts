import type { HeartMarkersView } from '../../api/backend';

/** What the record says beside the model: measured EF, natriuretic peptide, QRS, rhythm; each dated. */
export function markerItems(m: HeartMarkersView): string[] {
  const items: string[] = [];
  if (m.lvef) items.push(`measured EF ${m.lvef.value.toFixed(0)} % (${m.lvef.date})`);
  if (m.ntProbnp) items.push(`NT-proBNP ${m.ntProbnp.value.toFixed(0)} pg/mL (${m.ntProbnp.date})`);
  if (m.bnp) items.push(`BNP ${m.bnp.value.toFixed(0)} pg/mL (${m.bnp.date})`);
  if (m.qrsDuration) items.push(`QRS ${m.qrsDuration.value.toFixed(0)} ms${m.leftBundleBranchBlock ? ', left bundle-branch block' : ''} (${m.qrsDuration.date})`);
  else if (m.leftBundleBranchBlock) items.push('left bundle-branch block');
  if (m.rhythm) items.push(`${m.rhythm.label} (${m.rhythm.date})`);
  return items;
}
