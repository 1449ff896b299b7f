import { render, screen, within } from '@testing-library/react';
import type { WriteBackLogView } from '../../api/backend';
import { WriteBackHistory } from './WriteBackHistory';

const attempt = (seq: number, patientId: string, outcome: WriteBackLogView['outcome']): WriteBackLogView => ({
  seq,
  time: '2026-12-01T10:05:00Z',
  user: 'Dr Ana Silva',
  patientId,
  decisionSeq: 1,
  server: 'https://ehr.example/fhir',
  outcome,
});

describe('the attempts to file the summary in the EHR', () => {
  it('lists this patient’s attempts newest first, failures with their reason', () => {
    render(
      <WriteBackHistory
        id="p"
        writeBacks={[
          attempt(2, 'p', { status: 'failed', reason: 'the EHR sign-in has expired (HTTP 401): sign in again in Settings, then try again' }),
          attempt(3, 'other', { status: 'failed', reason: 'x' }),
          attempt(4, 'p', { status: 'written', documentReference: 'DocumentReference/7', provenance: 'Provenance/8' }),
        ]}
      />,
    );
    const rows = within(screen.getByTestId('write-back-history')).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.textContent)).toEqual([
      expect.stringContaining('Filed on https://ehr.example/fhir: DocumentReference/7 (decision as Provenance/8)'),
      expect.stringContaining('Not filed on https://ehr.example/fhir: the EHR sign-in has expired (HTTP 401)'),
    ]);
    expect(rows[0]?.textContent.startsWith('4')).toBe(true);
  });

  it('shows nothing for a patient with no attempts', () => {
    const { container } = render(<WriteBackHistory id="p" writeBacks={[attempt(2, 'other', { status: 'failed', reason: 'x' })]} />);
    expect(container.textContent).toBe('');
  });
});
