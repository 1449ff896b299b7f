// Starting the pieces a browser test needs: a real `cardiotwin serve` on a temporary data folder,
// and Debian's Chromium through playwright-core. Shared by the end-to-end tests in this folder.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const require = createRequire(resolve('ui/package.json'));

/** The consultation day every browser test runs on (twin-test-support's CONSULTATION_DAY). */
export const AS_OF = '2026-12-01';

/** playwright-core and axe, resolved from the UI's node_modules. */
export function browserModules() {
  return { chromium: require('playwright-core').chromium, AxeBuilder: require('@axe-core/playwright').AxeBuilder };
}

/**
 * Starts `binary serve` on a free loopback port with a fresh data folder (or `dataDir`) and the
 * built UI (`CT_UI_DIST`, else `ui/dist`). `url` resolves to the address with its token once
 * serve prints it; `log()` is what serve wrote to stderr so far (for failure messages).
 */
export function startServer(binary, { dataDir = mkdtempSync(join(tmpdir(), 'cardiotwin-e2e-')), asOf = AS_OF } = {}) {
  const uiDir = resolve(process.env.CT_UI_DIST ?? 'ui/dist');
  const child = spawn(resolve(binary), ['serve', '--port', '0', '--data-dir', dataDir, '--ui-dir', uiDir, '--as-of', asOf], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  const url = new Promise((resolveUrl, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n')[0];
      if (out.includes('\n')) {
        const m = /^CardioTwin serving (http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{32,})$/.exec(line);
        if (m) resolveUrl(m[1]);
        else reject(new Error(`unexpected first line from serve: ${line}`));
      }
    });
    child.on('exit', (code) => { reject(new Error(`serve exited with ${code}: ${log}`)); });
    setTimeout(() => { reject(new Error('serve did not print its address within 60 s')); }, 60000);
  });
  return { child, url, dataDir, log: () => log };
}

/** Chromium at 1366×768, off the keyring's D-Bus session (that is for `serve`), and quiet. */
export async function launchBrowser(chromium) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'disabled:' },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Runs one e2e section on its own (`node tests/e2e/<section>.mjs [binary]`): its own browser, an
 * axe check (serious or critical violations fail) and a screenshot per `check`, into
 * `CT_E2E_OUT` (default `target/e2e`). The workstation script runs the same sections with its own.
 */
export async function runAlone(section, label) {
  const { chromium, AxeBuilder } = browserModules();
  const outDir = resolve(process.env.CT_E2E_OUT ?? 'target/e2e');
  mkdirSync(outDir, { recursive: true });
  const browser = await launchBrowser(chromium);
  const violations = [];
  try {
    await section(browser, {
      binary: process.argv[2] ?? 'target/debug/cardiotwin',
      check: async (page, name) => {
        const result = await new AxeBuilder({ page }).analyze();
        for (const v of result.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) violations.push(`${name}: ${v.id} ${v.help}`);
        await page.screenshot({ path: join(outDir, `${name}.png`) });
      },
    });
  } finally {
    await browser.close();
  }
  if (violations.length > 0) throw new Error(violations.join('\n'));
  console.log(`${label}: ok`);
}
