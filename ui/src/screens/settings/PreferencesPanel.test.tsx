import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { BackendError, type Backend, type Preferences, type SettingsView } from '../../api/backend';
import { BackendContext, useCommand } from '../../api/hooks';
import { DisplayProvider } from '../../app/DisplayProvider';
import { formatLipid, useDisplay } from '../../app/format';
import { PreferencesPanel, preferencesOf, targetText } from './PreferencesPanel';

const limits = { bloodPressureMonths: 3, lipidsMonths: 12, egfrMonths: 12, hba1cMonths: 6 };
const defaults: Preferences = { lipidUnit: 'mmol/L', defaultRegion: null, defaultRace: null, guidelines: 'esc', clinician: null };

function settingsWith(preferences: Preferences): SettingsView {
  return {
    dataDir: '/tmp/x', connections: [], compute: 'CPU (2 threads, rayon); no GPU', version: '0.1.0',
    staleLimits: limits, staleLimitsDefault: limits, staleLimitsSaved: false, staleLimitsProblem: null,
    preferences, preferencesSaved: false, preferencesProblem: null,
    targets: [
      { measure: 'Blood pressure', who: 'Most treated adults', target: 'systolic 120–129, diastolic 70–79 mmHg, if tolerated', ldlBelowMmolL: null, ldlBelowMgDl: null, source: 'ESC 2024' },
      { measure: 'LDL cholesterol', who: 'Very high risk', target: 'and at least 50% lower than before treatment', ldlBelowMmolL: 1.4, ldlBelowMgDl: 55, source: 'ESC/EAS 2019' },
    ],
  };
}

/** A backend holding the saved preferences, as `cardiotwin serve` would (checked there, not here). */
function backendWith(saved: { current: Preferences }, calls: Preferences[]): Backend {
  return {
    kind: 'browser',
    call: (command, args) => {
      if (command === 'settings') return Promise.resolve(settingsWith(saved.current) as never);
      if (command === 'savePreferences') {
        const p = args as Preferences;
        calls.push(p);
        if (p.clinician?.displayName === 'x'.repeat(81)) return Promise.reject(new BackendError({ code: 'validation', message: 'the display name is too long (at most 80 characters)' }));
        saved.current = p;
        return Promise.resolve(settingsWith(p) as never);
      }
      return Promise.reject(new BackendError({ code: 'notFound', message: `no fake for ${command}` }));
    },
  };
}

function wrap(backend: Backend, children: ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return (
    <BackendContext.Provider value={backend}>
      <QueryClientProvider client={client}>
        <DisplayProvider>{children}</DisplayProvider>
      </QueryClientProvider>
    </BackendContext.Provider>
  );
}

function LdlReading() {
  const { lipidUnit } = useDisplay();
  return <p data-testid="ldl">{formatLipid(2.6, lipidUnit)}</p>;
}

describe('preferences', () => {
  it('saves blanks as "not set" and trims the clinician', () => {
    const p = preferencesOf({ lipidUnit: 'mg/dL', region: '', race: 'black', guidelines: 'accAha', name: ' Dr Ana Silva ', role: ' ', identifier: 'GMC 1' });
    expect(p).toEqual({ lipidUnit: 'mg/dL', defaultRegion: null, defaultRace: 'black', guidelines: 'accAha', clinician: { displayName: 'Dr Ana Silva', role: null, identifier: 'GMC 1' } });
    expect(preferencesOf({ lipidUnit: 'mmol/L', region: 'high', race: '', guidelines: 'esc', name: '  ', role: 'x', identifier: '' }).clinician).toBeNull();
  });

  it('writes LDL goals in the chosen unit', () => {
    const t = settingsWith(defaults).targets[1];
    if (!t) throw new Error('no target');
    expect(targetText(t, 'mmol/L')).toBe('below 1.4 mmol/L, and at least 50% lower than before treatment');
    expect(targetText(t, 'mg/dL')).toBe('below 55 mg/dL, and at least 50% lower than before treatment');
  });

  it('provides the saved unit to every screen, and a save switches them at once', async () => {
    const saved = { current: defaults };
    const calls: Preferences[] = [];
    const backend = backendWith(saved, calls);
    function Screen() {
      return (
        <>
          <LdlReading />
          <SettingsHost />
        </>
      );
    }
    render(wrap(backend, <Screen />));
    await waitFor(() => { expect(screen.getByTestId('ldl').textContent).toBe('2.6 mmol/L'); });
    const panel = await screen.findByTestId('preferences');
    fireEvent.click(within(panel).getByLabelText('mg/dL'));
    fireEvent.change(within(panel).getByLabelText('Name shown in the decision log'), { target: { value: 'Dr Ana Silva' } });
    fireEvent.change(within(panel).getByLabelText('ESC risk region for SCORE2'), { target: { value: 'moderate' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Save preferences' }));
    await waitFor(() => { expect(screen.getByTestId('ldl').textContent).toBe('101 mg/dL'); });
    expect((await screen.findByTestId('preferences-saved')).textContent).toMatch(/Saved/);
    expect(calls[0]).toMatchObject({ lipidUnit: 'mg/dL', defaultRegion: 'moderate', clinician: { displayName: 'Dr Ana Silva' } });
    expect(within(screen.getByTestId('guideline-targets')).getByText(/below 55 mg\/dL/)).toBeTruthy();
  });

  it('shows the backend’s refusal in words and keeps what was typed', async () => {
    const saved = { current: defaults };
    render(wrap(backendWith(saved, []), <SettingsHost />));
    const panel = await screen.findByTestId('preferences');
    const name = within(panel).getByLabelText('Name shown in the decision log');
    fireEvent.change(name, { target: { value: 'x'.repeat(81) } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Save preferences' }));
    expect((await within(panel).findByRole('alert')).textContent).toContain('too long');
    expect((name as HTMLInputElement).value).toHaveLength(81);
  });

  it('reads mmol/L while the settings cannot be read', async () => {
    const locked: Backend = { kind: 'browser', call: () => Promise.reject(new BackendError({ code: 'storeLocked', message: 'the keychain is away' })) };
    render(wrap(locked, <LdlReading />));
    await act(async () => { await new Promise((r) => setTimeout(r, 20)); });
    expect(screen.getByTestId('ldl').textContent).toBe('2.6 mmol/L');
  });
});

/** The settings screen's part under test: the panel, fed by the `settings` query as the screen feeds it. */
function SettingsHost() {
  const s = useCommand('settings', {}).data;
  return s ? <PreferencesPanel s={s} /> : null;
}
