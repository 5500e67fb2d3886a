import { describe, expect, it } from 'vitest';
import { exponentialDecay, STUDY_LEARNING_RATE_SCHEDULE } from '../src/index.js';

describe('exponential learning-rate decay', () => {
  it('is lr0 * rate^((initialStep + step) / decaySteps)', () => {
    const lr = exponentialDecay({ initialLearningRate: 0.1, decayRate: 0.5, decaySteps: 10, initialStep: 5 });
    expect(lr(0)).toBeCloseTo(0.1 * Math.pow(0.5, 0.5), 15);
    expect(lr(5)).toBeCloseTo(0.05, 15);
    expect(lr(25)).toBeCloseTo(0.0125, 15);
  });
  it('decays in whole intervals with staircase', () => {
    const lr = exponentialDecay({ initialLearningRate: 0.1, decayRate: 0.5, decaySteps: 10, initialStep: 5, staircase: true });
    expect([lr(0), lr(4), lr(5), lr(14), lr(15)]).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
  });
  it("reproduces the study's setting: lr 0.01, 1000 decay steps, global step starting at 10000", () => {
    const lr = exponentialDecay(STUDY_LEARNING_RATE_SCHEDULE);
    expect(STUDY_LEARNING_RATE_SCHEDULE).toMatchObject({ initialLearningRate: 0.01, decaySteps: 1000, initialStep: 10000 });
    expect(lr(0)).toBeCloseTo(0.01 * Math.pow(STUDY_LEARNING_RATE_SCHEDULE.decayRate, 10), 15);
    expect(lr(1000) / lr(0)).toBeCloseTo(STUDY_LEARNING_RATE_SCHEDULE.decayRate, 12);
  });
  it('rejects nonsense', () => {
    expect(() => exponentialDecay({ initialLearningRate: 0, decayRate: 0.9, decaySteps: 10 })).toThrow(/initialLearningRate/);
    expect(() => exponentialDecay({ initialLearningRate: 1, decayRate: 1.5, decaySteps: 10 })).toThrow(/decayRate/);
    expect(() => exponentialDecay({ initialLearningRate: 1, decayRate: 0.9, decaySteps: 0 })).toThrow(/decaySteps/);
    expect(() => exponentialDecay({ initialLearningRate: 1, decayRate: 0.9, decaySteps: 1 })(-1)).toThrow(/step/);
  });
});
