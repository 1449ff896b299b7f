import { useMemo, type ReactNode } from 'react';
import { useCommand } from '../api/hooks';
import { DisplayContext, type DisplayPreferences } from './format';

/**
 * Gives every screen under it the clinician's display preferences (the cholesterol unit saved in
 * Settings), through `useDisplay()`. Until the settings load, or when they cannot be read (the
 * keychain is away), screens read mmol/L, the unit the backend computes in. Saving preferences
 * reloads the `settings` query, so every screen follows at once.
 */
export function DisplayProvider({ children }: { children: ReactNode }) {
  const settings = useCommand('settings', {});
  const lipidUnit = settings.data?.preferences.lipidUnit ?? 'mmol/L';
  const value = useMemo<DisplayPreferences>(() => ({ lipidUnit }), [lipidUnit]);
  return <DisplayContext.Provider value={value}>{children}</DisplayContext.Provider>;
}
