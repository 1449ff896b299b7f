// The Backend over Tauri IPC: every command goes through the shell's one `call` command, which
// dispatches through twin-app's registry (src-tauri/src/commands/mod.rs).
import { invoke } from '@tauri-apps/api/core';
import { getCurrentWebview } from '@tauri-apps/api/webview';
import { asAppError, BackendError, type Backend } from './backend';

export const tauriBackend: Backend = {
  kind: 'desktop',
  async call(command, args, signal) {
    const pending = invoke('call', { command, args });
    // IPC cannot be withdrawn; a cancelled wait stops waiting and drops the answer.
    const aborted = new Promise<never>((_, reject) => {
      signal?.addEventListener('abort', () => {
        reject(new DOMException('cancelled', 'AbortError'));
      });
    });
    try {
      return (await Promise.race([pending, aborted])) as never;
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err;
      throw new BackendError(asAppError(err));
    }
  },
  async importHomeFile(source, args) {
    if (!('path' in source)) {
      throw new BackendError({ code: 'validation', message: 'In the desktop app, drop the file on the window or type its path.' });
    }
    try {
      return await invoke('import_home_path', { path: source.path, args });
    } catch (err) {
      throw new BackendError(asAppError(err));
    }
  },
  async onFileDrop(onPaths) {
    return getCurrentWebview().onDragDropEvent((event) => {
      if (event.payload.type === 'drop') onPaths(event.payload.paths);
    });
  },
};

/** Whether the page runs inside the Tauri shell. */
export function inTauri(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}
