import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { BackendError, type Backend, type HomeFileSource, type HomeImportReport, type ImportHomeArgs } from '../../api/backend';
import { BackendContext } from '../../api/hooks';
import { HomeImport } from './HomeImport';
import { homeFileKind, homeReportLines, sizeInWords } from './homeImport';

const report: HomeImportReport = {
  patient: 'ct-home-01',
  source: 'home-bp-csv:omron.csv',
  bpReadings: 28,
  dailySummaries: 0,
  measures: [{ measure: 'home BP', readings: 28, days: 7, firstDay: '2026-11-21', lastDay: '2026-11-27' }],
  devices: ['Omron M3'],
  added: 28,
  replaced: 0,
  setAside: 0,
  stopped: null,
  homeBp: null,
};

type Upload = { source: HomeFileSource; args: ImportHomeArgs };

function backendWith(uploads: Upload[], answer: (u: Upload) => Promise<HomeImportReport>): Backend {
  return {
    kind: 'browser',
    call: (command) => Promise.reject(new BackendError({ code: 'notFound', message: `no fake for ${command}` })),
    importHomeFile: (source, args) => {
      uploads.push({ source, args });
      return answer({ source, args });
    },
  };
}

function show(backend: Backend) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <BackendContext.Provider value={backend}>
      <QueryClientProvider client={client}>
        <HomeImport patientId="ct-home-01" patientName="Walter Brennan" />
      </QueryClientProvider>
    </BackendContext.Provider>,
  );
}

function pick(name: string, text: string) {
  const file = new File([text], name, { type: 'text/csv' });
  fireEvent.change(screen.getByLabelText('Choose a file'), { target: { files: [file] } });
  return file;
}

describe('home import', () => {
  it('asks to confirm the patient, then uploads the File itself with the monitor named and reports per measure', async () => {
    const uploads: Upload[] = [];
    show(backendWith(uploads, () => Promise.resolve(report)));
    const file = pick('omron.csv', 'Date,Time,Systolic,Diastolic\n');
    expect(uploads).toHaveLength(0);
    expect(screen.getByTestId('home-import-confirm').textContent).toMatch(
      /Import omron\.csv \(\d+ bytes\) as a home BP monitor’s readings into the record of Walter Brennan\? The file does not say whose/,
    );
    fireEvent.change(screen.getByLabelText('Monitor (the CSV does not name it)'), { target: { value: ' Omron M3 ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Import into Walter Brennan’s record' }));
    const shown = await screen.findByTestId('home-import-report');
    expect(uploads).toEqual([{ source: { file }, args: { patient: 'ct-home-01', fileName: 'omron.csv', kind: 'homeBpCsv', device: 'Omron M3' } }]);
    expect(shown.textContent).toContain('28 new readings filed. From: Omron M3.');
    expect(shown.textContent).toContain('Home BP: 28 readings over 7 days (21 Nov 2026 – 27 Nov 2026)');
  });

  it('cancelling the confirmation uploads nothing; a zip or another file is explained before any upload', () => {
    const uploads: Upload[] = [];
    show(backendWith(uploads, () => Promise.resolve(report)));
    pick('omron.csv', 'x');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByTestId('home-import-confirm')).toBeNull();
    pick('export.zip', 'PK');
    expect(screen.getByRole('alert').textContent).toContain('Unzip Apple Health’s export.zip first');
    pick('scan.pdf', '%PDF');
    expect(screen.getByRole('alert').textContent).toBe(
      'scan.pdf is neither a CSV file from a home BP monitor (.csv) nor an Apple Health export (export.xml).',
    );
    expect(uploads).toHaveLength(0);
  });

  it('says the server’s refusal in its words', async () => {
    const refusal = 'omron.csv: the header has no systolic column (found: when, upper); see docs/HOME-DATA.md for the accepted names';
    show(backendWith([], () => Promise.reject(new BackendError({ code: 'validation', message: refusal }))));
    pick('omron.csv', 'when,upper\n');
    fireEvent.click(screen.getByRole('button', { name: 'Import into Walter Brennan’s record' }));
    await waitFor(() => {
      expect(screen.getByRole('alert').textContent).toBe(`Could not import omron.csv: ${refusal}`);
    });
  });
});

describe('home import words', () => {
  it('names kinds and sizes', () => {
    expect(homeFileKind('Export.XML')).toEqual({ kind: 'appleHealth' });
    expect(homeFileKind('bp.csv')).toEqual({ kind: 'homeBpCsv' });
    expect(sizeInWords(512)).toBe('512 bytes');
    expect(sizeInWords(1_400_000_000)).toBe('1.4 GB');
  });

  it('says where a cut-short export stopped and what was set aside', () => {
    const lines = homeReportLines({
      ...report,
      source: 'apple-health:export.xml',
      measures: [...report.measures, { measure: 'steps (daily total)', readings: 20, days: 20, firstDay: '2026-10-01', lastDay: '2026-10-20' }],
      devices: ['Apple Watch', 'Health Mate (BPM Connect)'],
      added: 40,
      replaced: 8,
      setAside: 3,
      stopped: 'stopped at line 1200 / byte 98000: the file ends inside <Record>',
    });
    expect(lines.summary).toBe('40 new readings filed; 8 readings already held from an earlier import replaced. From: Apple Watch, Health Mate (BPM Connect).');
    expect(lines.measures[1]).toBe('Steps (daily total): 20 daily values over 20 days (1 Oct 2026 – 20 Oct 2026)');
    expect(lines.warnings).toEqual([
      '3 records of the file set aside: unreadable or impossible values.',
      'The export is incomplete (stopped at line 1200 / byte 98000: the file ends inside <Record>); the days read before that point were imported.',
    ]);
  });
});
