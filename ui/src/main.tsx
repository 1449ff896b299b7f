import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { inTauri, tauriBackend } from './api/tauri';
import { httpBackend, tokenFromLocation } from './api/http';
import './styles.css';

const root = document.getElementById('root');
if (root) {
  const token = inTauri() ? null : tokenFromLocation();
  const backend = inTauri() ? tauriBackend : token ? httpBackend(token) : null;
  createRoot(root).render(
    <StrictMode>
      {backend ? (
        <App backend={backend} />
      ) : (
        <main className="content">
          <h1>CardioTwin</h1>
          <p role="alert">
            This page needs the address printed by <code>cardiotwin serve</code> (it ends in <code>#token=…</code>).
          </p>
        </main>
      )}
    </StrictMode>,
  );
}
