import { describe, expect, it } from 'vitest';
import { plainStrategy } from './words';

describe('a strategy in plain words', () => {
  it('says the LDL-C target in the clinician’s unit', () => {
    const s = { ldlTargetMgDl: 70, ldlReviewMonths: 3 };
    expect(plainStrategy(s, 'mmol/L')).toContain('each time it is 1.8 mmol/L or higher');
    expect(plainStrategy(s, 'mg/dL')).toContain('each time it is 70 mg/dL or higher');
  });
});
