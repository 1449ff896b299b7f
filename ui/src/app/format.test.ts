import { describe, expect, it } from 'vitest';
import { computeInWords, formatDate, formatLipid, formatLipidChange, lipidIn, sourceInWords, tidyMeasure } from './format';

describe('format', () => {
  it('writes dates with the month in words, whatever the time zone', () => {
    expect(formatDate('2026-12-01')).toBe('1 Dec 2026');
    expect(formatDate('2026-01-31T23:30:00Z')).toBe('31 Jan 2026');
    expect(formatDate('not a date')).toBe('not a date');
    expect(formatDate('2026-13-01')).toBe('2026-13-01');
  });
  it('converts cholesterol with the engine factor', () => {
    expect(lipidIn(2.6, 'mg/dL')).toBeCloseTo(100.5, 1);
    expect(formatLipid(2.6, 'mmol/L')).toBe('2.6 mmol/L');
    expect(formatLipid(2.6, 'mg/dL')).toBe('101 mg/dL');
    expect(formatLipidChange(-0.354, 'mmol/L')).toBe('−0.35 mmol/L');
    expect(formatLipidChange(0.001, 'mmol/L')).toBe('±0.00 mmol/L');
    expect(formatLipidChange(0.5, 'mg/dL')).toBe('+19 mg/dL');
  });
  it('says where projections ran without backend words', () => {
    expect(computeInWords('CPU (2 threads, rayon); no hardware GPU: no Vulkan adapter')).toBe('Computed on this computer’s processor (no graphics card found)');
    expect(computeInWords('GPU: NVIDIA H100 (Vulkan, DiscreteGpu); a hardware GPU was found')).toBe('Computed on this computer’s graphics card');
    expect(computeInWords('CPU (2 threads, rayon) after the GPU failed: lost')).toMatch(/graphics card failed/);
    for (const d of ['CPU (2 threads, rayon); x', 'GPU: a (Vulkan, Cpu); y']) expect(computeInWords(d)).not.toMatch(/rayon|Vulkan|wgpu/i);
  });
  it('names a source in words and keeps the resource id out', () => {
    expect(sourceInWords('Observation/ct-demo-01-obs-0151', '2026-03-12')).toBe('Reading of 12 Mar 2026');
    expect(sourceInWords('Condition/c1')).toBe('Diagnosis in the record');
    expect(sourceInWords(null)).toBe('Derived from the record');
    expect(sourceInWords('Basic/x')).toBe('Entry in the record');
  });
  it('writes measured values at a clinician’s precision, cholesterol in the chosen unit', () => {
    expect(tidyMeasure('systolic BP', '168.00 mmHg', 'mmol/L')).toBe('168 mmHg');
    expect(tidyMeasure('total cholesterol', '5.20 mmol/L', 'mg/dL')).toBe('201 mg/dL');
    expect(tidyMeasure('total cholesterol', '5.20 mmol/L', 'mmol/L')).toBe('5.2 mmol/L');
    expect(tidyMeasure('glucose', '5.20 mmol/L', 'mg/dL')).toBe('5.20 mmol/L');
    expect(tidyMeasure('smoking', 'current', 'mg/dL')).toBe('current');
    expect(tidyMeasure('BMI', '30.70 kg/m²', 'mmol/L')).toBe('30.7 kg/m²');
    expect(tidyMeasure('eGFR', '96.00 mL/min/1.73m²', 'mmol/L')).toBe('96 mL/min/1.73m²');
    expect(tidyMeasure('HbA1c', '5.30 %', 'mmol/L')).toBe('5.3 %');
    expect(tidyMeasure('UACR', '3.10 mg/g', 'mmol/L')).toBe('3.10 mg/g');
  });
});
