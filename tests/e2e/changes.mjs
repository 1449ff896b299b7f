// "Since the last fetch" on the overview (issue 31, item 5): a patient fetched from a real FHIR
// server (sekmet, CARDIOTWIN_SEKMET) into the cache, then three BP readings, an LDL-C result and an
// amlodipine prescription written to the server, then a second fetch that asks only for what
// changed. The overview opens with one line of what changed since the first fetch, cholesterol in
// the unit of Settings. Screenshot 19-changes-since-fetch.png. Without sekmet the section says so
// and is skipped (scripts/test sets it).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const PATIENT = 'ct-e2e-ehr-01';
/** twin-fhir's `incremental::OVERLAP` (5 s) and a second: records loaded earlier fall outside it. */
const PAST_OVERLAP_MS = 6000;

const sleep = (ms) => new Promise((r) => { setTimeout(r, ms); });

function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => { resolvePort(port); });
    });
  });
}

async function startSekmet(binary) {
  const dir = mkdtempSync(join(tmpdir(), 'cardiotwin-e2e-sekmet-'));
  const port = await freePort();
  const child = spawn(binary, ['serve', '--host', '127.0.0.1', '--port', String(port)], { cwd: dir, stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}/fhir`;
  for (let i = 0; i < 120; i += 1) {
    const up = await fetch(`${base}/metadata`).then((r) => r.ok, () => false);
    if (up) return { base, stop: () => { child.kill('SIGINT'); rmSync(dir, { recursive: true, force: true }); } };
    await sleep(500);
  }
  child.kill('SIGINT');
  throw new Error('sekmet did not answer within 60 s');
}

async function post(base, path, body) {
  const r = await fetch(`${base}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/fhir+json' } });
  assert.ok(r.ok, `POST ${path}: ${r.status}`);
}

const coded = (system, code) => ({ coding: [{ system, code }] });
const loinc = (code) => coded('http://loinc.org', code);
const category = (code) => [coded('http://terminology.hl7.org/CodeSystem/observation-category', code)];
const quantity = (value, unit, code) => ({ value, unit, system: 'http://unitsofmeasure.org', code });
const subject = { reference: `Patient/${PATIENT}` };

function bp(day, sbp, dbp) {
  return {
    resourceType: 'Observation', status: 'final', category: category('vital-signs'), code: loinc('85354-9'), subject, effectiveDateTime: day,
    component: [
      { code: loinc('8480-6'), valueQuantity: quantity(sbp, 'mmHg', 'mm[Hg]') },
      { code: loinc('8462-4'), valueQuantity: quantity(dbp, 'mmHg', 'mm[Hg]') },
    ],
  };
}

/**
 * Fetches a patient twice through the API of the `serve` at `url` (its address with the token),
 * with new results written to the EHR in between, and checks and screenshots the overview's list;
 * `check` is the suite's axe-and-screenshot step.
 */
export async function changesSinceFetchSection(page, { check, url }) {
  const headers = { authorization: `Bearer ${new URL(url).hash.replace('#token=', '')}`, 'content-type': 'application/json' };
  const api = async (command, args = {}) => {
    const r = await fetch(`${new URL(url).origin}/api/${command}`, { method: 'POST', body: JSON.stringify(args), headers });
    assert.equal(r.status, 200, `${command}: ${r.status} ${await r.clone().text()}`);
    return r.json();
  };
  const goInApp = (path) => page.evaluate((p) => { history.pushState(null, '', p); dispatchEvent(new PopStateEvent('popstate')); }, path);
  const binary = process.env.CARDIOTWIN_SEKMET;
  if (!binary) {
    console.log('CARDIOTWIN_SEKMET is not set: the "since the last fetch" section does not run (scripts/test runs it)');
    return;
  }
  const sekmet = await startSekmet(binary);
  try {
    // The healthy 45-year-old of the demo cohort as another EHR's patient, so the demo row stays.
    const bundle = readFileSync(resolve('assets/demo/05-healthy-45.json'), 'utf8').replaceAll('ct-demo-05', PATIENT);
    await post(sekmet.base, '', JSON.parse(bundle));
    await sleep(PAST_OVERLAP_MS);
    await api('saveConnection', { name: 'Northgate EHR (e2e)', fhirBase: sekmet.base, clientId: 'cardiotwin', scopes: '' });
    const first = await api('ehrFetch', { name: 'Northgate EHR (e2e)', patient: PATIENT });
    assert.equal(first.incremental, false, 'the first fetch is whole');

    for (const [day, sbp, dbp] of [['2026-11-10', 148, 90], ['2026-11-20', 144, 88], ['2026-11-28', 141, 86]]) {
      await post(sekmet.base, '/Observation', bp(day, sbp, dbp));
    }
    await post(sekmet.base, '/Observation', {
      resourceType: 'Observation', status: 'final', category: category('laboratory'), code: loinc('13457-7'), subject,
      effectiveDateTime: '2026-11-28', valueQuantity: quantity(2.4, 'mmol/L', 'mmol/L'),
    });
    await post(sekmet.base, '/MedicationRequest', {
      resourceType: 'MedicationRequest', status: 'active', intent: 'order', subject, authoredOn: '2026-11-25',
      medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '17767', display: 'amlodipine' }], text: 'amlodipine 5 mg once daily' },
      dosageInstruction: [{
        text: 'amlodipine 5 mg once daily',
        timing: { repeat: { boundsPeriod: { start: '2026-11-25' }, frequency: 1, period: 1, periodUnit: 'd' } },
        doseAndRate: [{ doseQuantity: quantity(5, 'mg', 'mg') }],
      }],
    });
    const second = await api('ehrFetch', { name: 'Northgate EHR (e2e)', patient: PATIENT });
    assert.equal(second.incremental, true, 'the second fetch asks only for what changed');
    assert.ok(second.nReceived >= 5 && second.nReceived < first.nReceived, `only the new resources came (${second.nReceived})`);

    await goInApp(`/patient/${PATIENT}`);
    const panel = page.getByTestId('changes-since-fetch');
    await panel.waitFor({ timeout: 60000 });
    const text = (await panel.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /Since the last fetch on \d{1,2} [A-Z][a-z]{2} \d{4}/, text);
    assert.match(text, /3 new BP readings/, text);
    assert.match(text, /LDL cholesterol \d+(\.\d)? → 2\.4 mmol\/L/, text);
    assert.match(text, /amlodipine started/, text);
    await check(page, '19-changes-since-fetch');
  } finally {
    sekmet.stop();
  }
}
