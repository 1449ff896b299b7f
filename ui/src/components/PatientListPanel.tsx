import type { PatientList } from '../api/backend';

export interface PatientListPanelProps {
  list: PatientList;
  selected: string | null;
  onSelect: (id: string) => void;
}

export function PatientListPanel({ list, selected, onSelect }: PatientListPanelProps) {
  return (
    <>
      <h2>Patients ({list.patients.length})</h2>
      <ul className="patient-list">
        {list.patients.map((p) => (
          <li key={p.id}>
            <button
              type="button"
              data-testid="patient-row"
              aria-pressed={selected === p.id}
              className={selected === p.id ? 'selected' : undefined}
              onClick={() => {
                onSelect(p.id);
              }}
            >
              <span className="name">
                {p.name}
                {p.synthetic && <span className="tag" title="Synthetic test patient">synthetic</span>}
              </span>
              <span className="meta">
                {p.sex}, {p.age ?? '?'} y{p.lastSeen ? ` · last seen ${p.lastSeen}` : ''}
              </span>
              <span className="conditions">{p.conditions.join(', ') || 'No recorded conditions'}</span>
            </button>
          </li>
        ))}
      </ul>
      {list.unreadable.length > 0 && (
        <div role="alert" className="unreadable">
          <h3>{list.unreadable.length} file(s) could not be read</h3>
          <ul>
            {list.unreadable.map((e) => (
              <li key={e.message}>{e.message}</li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}
