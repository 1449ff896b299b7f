import { useId, useState } from 'react';
import type { ClassFile } from '../../api/backend';
import { BP_CLASSES, LDL_CLASSES, classLabel, strategyProblems, type StrategyDraft, type StrategyField, type TargetDraft } from './strategy';

/** Figures a person types; anything else reads as not a number (and stays on screen as typed). */
const FIGURES = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const parse = (text: string) => (FIGURES.test(text.trim()) ? Number(text.trim()) : NaN);
const same = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b));

function Field({ label, value, onChange, problem }: { label: string; value: number; onChange: (v: number) => void; problem: string | undefined }) {
  const id = useId();
  const err = useId();
  // The text as typed: an empty or mistyped field keeps what was typed, with its problem.
  const [text, setText] = useState(() => (Number.isFinite(value) ? String(value) : ''));
  const [seen, setSeen] = useState(value);
  if (!same(seen, value)) {
    // A value set from outside (a saved scenario loaded to edit) replaces the text.
    setSeen(value);
    if (!same(parse(text), value)) setText(Number.isFinite(value) ? String(value) : '');
  }
  const shown = text.trim() === '' ? 'Enter a number.' : !FIGURES.test(text.trim()) ? `“${text.trim()}” is not a number: enter it in figures.` : problem;
  return (
    <span className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        inputMode="decimal"
        autoComplete="off"
        value={text}
        aria-invalid={shown !== undefined}
        aria-describedby={shown ? err : undefined}
        onChange={(e) => {
          setText(e.target.value);
          const v = parse(e.target.value);
          setSeen(v);
          onChange(v);
        }}
      />
      {shown && <span id={err} className="invalid">{shown}</span>}
    </span>
  );
}

/** An ordered list of classes: moved up and down with buttons (keyboard and screen readers alike), removed, added. */
function SequenceEditor({ name, value, options, onChange, problem }: { name: string; value: ClassFile[]; options: readonly ClassFile[]; onChange: (v: ClassFile[]) => void; problem: string | undefined }) {
  const addId = useId();
  const left = options.filter((c) => !value.includes(c));
  const [adding, setAdding] = useState<ClassFile | ''>('');
  const chosen = adding !== '' && left.includes(adding) ? adding : (left[0] ?? '');
  const move = (i: number, by: number) => {
    const next = [...value];
    const [c] = next.splice(i, 1);
    if (c === undefined) return;
    next.splice(i + by, 0, c);
    onChange(next);
  };
  return (
    <div className="sequence">
      <ol aria-label={`${name}, in the order added`}>
        {value.map((c, i) => (
          <li key={c}>
            <span className="seq-item">
              <span>{classLabel(c)}</span>{' '}
              <button type="button" aria-label={`Move ${classLabel(c)} earlier in the ${name}`} disabled={i === 0} onClick={() => { move(i, -1); }}>↑</button>
              <button type="button" aria-label={`Move ${classLabel(c)} later in the ${name}`} disabled={i === value.length - 1} onClick={() => { move(i, 1); }}>↓</button>
              <button type="button" aria-label={`Remove ${classLabel(c)} from the ${name}`} onClick={() => { onChange(value.filter((x) => x !== c)); }}>Remove</button>
            </span>
          </li>
        ))}
      </ol>
      {problem && <p className="invalid" role="alert">{problem}</p>}
      {left.length > 0 && (
        <span className="field-row">
          <span className="field">
            <label htmlFor={addId}>Add to the {name}</label>
            <select id={addId} value={chosen} onChange={(e) => { setAdding(e.target.value as ClassFile); }}>
              {left.map((c) => (
                <option key={c} value={c}>{classLabel(c)}</option>
              ))}
            </select>
          </span>
          <button type="button" disabled={chosen === ''} onClick={() => { if (chosen !== '') onChange([...value, chosen]); }}>
            Add class
          </button>
        </span>
      )}
    </div>
  );
}

function Target({ kind, value, onChange, problems }: { kind: 'sbp' | 'ldl'; value: TargetDraft; onChange: (t: TargetDraft) => void; problems: Partial<Record<StrategyField, string>> }) {
  const checkId = useId();
  const sbp = kind === 'sbp';
  return (
    <div className="target">
      <label className="check" htmlFor={checkId}>
        <input id={checkId} type="checkbox" checked={value.on} onChange={(e) => { onChange({ ...value, on: e.target.checked }); }} />{' '}
        {sbp ? 'Treat to an SBP target' : 'Treat to an LDL-C target'}
      </label>
      {value.on && (
        <>
          <span className="field-row">
            <Field
              label={sbp ? 'SBP target (mmHg)' : 'LDL-C target (mg/dL)'}
              value={value.target}
              problem={sbp ? problems.sbpTarget : problems.ldlTargetMgDl}
              onChange={(v) => { onChange({ ...value, target: v }); }}
            />
            <Field
              label={sbp ? 'BP review every (months)' : 'LDL-C review every (months)'}
              value={value.reviewMonths}
              problem={sbp ? problems.reviewMonths : problems.ldlReviewMonths}
              onChange={(v) => { onChange({ ...value, reviewMonths: v }); }}
            />
          </span>
          <p className="hint">
            {sbp
              ? 'At each review, if SBP is at or above the target: raise a drug taken to its next dose, else add the next class below.'
              : 'At each review, if LDL-C is at or above the target: raise the statin’s intensity, else add the next class below.'}
          </p>
          <SequenceEditor
            name={sbp ? 'BP drug sequence' : 'lipid drug sequence'}
            value={value.sequence}
            options={sbp ? BP_CLASSES : LDL_CLASSES}
            problem={sbp ? problems.sequence : problems.ldlSequence}
            onChange={(sequence) => { onChange({ ...value, sequence }); }}
          />
        </>
      )}
    </div>
  );
}

/** The builder's "Treat to target" section: an SBP target, an LDL-C target, or both. */
export function StrategyFields({ value, onChange, conflict }: { value: StrategyDraft; onChange: (d: StrategyDraft) => void; conflict: string | null }) {
  const problems = strategyProblems(value);
  return (
    <fieldset className="strategy" data-testid="strategy-fields">
      <legend>Treat to target (instead of drug changes)</legend>
      <p className="hint">
        A strategy reviews each simulated patient’s readings and adds drugs until the target is met, so the projection shows the BP reached and the
        number of drugs it took. Lifestyle changes may sit beside it; drug changes may not.
      </p>
      <Target kind="sbp" value={value.sbp} problems={problems} onChange={(sbp) => { onChange({ ...value, sbp }); }} />
      <Target kind="ldl" value={value.ldl} problems={problems} onChange={(ldl) => { onChange({ ...value, ldl }); }} />
      {conflict && <p className="invalid" role="alert">{conflict}</p>}
    </fieldset>
  );
}
