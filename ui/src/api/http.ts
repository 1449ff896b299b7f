// The Backend over `cardiotwin serve`: POST /api/<command> with the token printed at start.
import { asAppError, BackendError, type Backend } from './backend';

const TOKEN_KEY = 'cardiotwin.token';

/**
 * The token from the URL fragment (`#token=…`), kept for this tab only; the fragment is then
 * removed from the address bar so it is not bookmarked or shared by accident.
 */
export function tokenFromLocation(): string | null {
  const match = /(?:^#|&)token=([0-9a-f]+)/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, match[1]);
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
    return match[1];
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export function httpBackend(token: string, base = ''): Backend {
  return {
    kind: 'browser',
    async call(command, args, signal) {
      const init: RequestInit = {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(args),
      };
      if (signal) init.signal = signal;
      let response: Response;
      try {
        response = await fetch(`${base}/api/${command}`, init);
      } catch (err) {
        if (err instanceof DOMException && err.name === 'AbortError') throw err;
        throw new BackendError({ code: 'io', message: 'CardioTwin is not answering: is `cardiotwin serve` still running?' });
      }
      const body: unknown = await response.json().catch(() => null);
      if (!response.ok) throw new BackendError(asAppError(body ?? { code: 'io', message: response.statusText }));
      return body as never;
    },
    async importHomeFile(source, args, signal) {
      if (!('file' in source)) {
        throw new BackendError({ code: 'validation', message: 'In the browser, choose the file with the file picker.' });
      }
      // The File is the body: the browser streams it from disk (an export may be gigabytes).
      const query = new URLSearchParams({ patient: args.patient, fileName: args.fileName, kind: args.kind });
      if (args.device) query.set('device', args.device);
      const init: RequestInit = {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${token}` },
        body: source.file,
      };
      if (signal) init.signal = signal;
      let response: Response;
      try {
        response = await fetch(`${base}/api/upload/importHome?${query.toString()}`, init);
      } catch (err) {
        if (err instanceof DOMException && err.name === 'AbortError') throw err;
        throw new BackendError({ code: 'io', message: 'The upload did not reach CardioTwin: is `cardiotwin serve` still running?' });
      }
      const body: unknown = await response.json().catch(() => null);
      if (!response.ok) throw new BackendError(asAppError(body ?? { code: 'io', message: response.statusText }));
      return body as never;
    },
  };
}
