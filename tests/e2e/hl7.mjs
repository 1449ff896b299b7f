// Lab results from an HL7 v2 interface file (issue 31): on the patient list, "Import lab results
// (HL7 v2)" takes an MLLP-framed ORU^R01 file with an LDL-C and a creatinine for Miguel Ortega
// (demo 03, imported into the cache earlier in the suite, PID-3 = his demo identifier), a message
// for a patient nobody holds, and a test no table maps. The report says in words what was filed
// and what was not; his row's last measurement moves to the results' day. Screenshot 18-hl7-import.png.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One ORU^R01 2.5.1 message, MLLP-framed. */
function framed(controlId, mrn, obx) {
  const segments = [
    `MSH|^~\\&|LIS|NORTHGATE LAB|CT|CLINIC|20261120101500||ORU^R01^ORU_R01|${controlId}|P|2.5.1`,
    `PID|1||${mrn}^^^DEMO^MR||ORTEGA^MIGUEL`,
    'OBR|1|PL-1|FL-E2E-1|24331-1^Lipid panel^LN|||202611200745+0000',
    ...obx,
  ];
  return `\u000b${segments.join('\r')}\r\u001c\r`;
}

/** Imports the file through the patient list and checks the report; `check` is the suite's axe-and-screenshot step. */
export async function hl7LabResultsSection(page, { check, dir }) {
  const file = join(dir, 'northgate-results.hl7');
  writeFileSync(
    file,
    [
      framed('NG-E2E-1', '03-heart-failure-reduced-ef', [
        'OBX|1|NM|13457-7^LDL Cholesterol (calc)^LN||2.1|mmol/L|<1.8|H|||F',
        'NTE|1|L|Fasting sample',
        'OBX|2|NM|2160-0^Creatinine^LN||118|umol/L|62-106|H|||F',
        'OBX|3|NM|GLU^Glucose^L||5.4|mmol/L|||||F',
      ]),
      framed('NG-E2E-2', 'NOT-HELD-0001', ['OBX|1|NM|13457-7^LDL^LN||4.0|mmol/L|||||F']),
    ].join(''),
  );
  await page.getByRole('link', { name: 'CardioTwin' }).click();
  await page.getByTestId('patient-row').nth(11).waitFor();
  await page.getByLabel('Import lab results (HL7 v2)').setInputFiles(file);
  const report = page.getByTestId('hl7-report');
  await report.waitFor({ timeout: 60000 });
  const text = await report.innerText();
  assert.match(text, /2 messages read; 2 new results filed; 1 result not filed; 1 message refused\. Records updated: Miguel Ortega\./, text);
  assert.match(text, /Test L\^GLU \(1 result\) has no LOINC mapping; add it to the local code table\./, text);
  assert.match(text, /message NG-E2E-2: no patient held in the offline cache has its patient identifiers \(PID-3\)/, text);
  assert.ok(!text.includes('NOT-HELD-0001'), 'the report names no patient identifier');
  const row = page.getByTestId('patient-row').filter({ hasText: 'Offline cache' }).filter({ hasText: 'Miguel Ortega' });
  await row.filter({ hasText: '20 Nov 2026' }).first().waitFor();
  await report.scrollIntoViewIfNeeded();
  await check(page, '18-hl7-import');
}
