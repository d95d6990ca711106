import { InvalidUpcasterError } from './errors';
import type { Upcasters } from './event-store.types';
import { upcast } from './upcasting';

describe('upcast', () => {
  const upcasters: Upcasters = {
    SymptomsChanged: {
      1: (data: { score: number }) => ({ data: { phq9: data.score }, schemaVersion: 2 }),
      2: (data: { phq9: number }) => ({ data: { instrument: 'PHQ-9', score: data.phq9 }, schemaVersion: 3 }),
    },
  };

  it('chains v1 to v2 to v3', () => {
    expect(upcast(upcasters, 'SymptomsChanged', { data: { score: 16 }, schemaVersion: 1, metadata: {} })).toEqual({
      data: { instrument: 'PHQ-9', score: 16 },
      schemaVersion: 3,
      metadata: {},
    });
  });

  it('starts the chain at the stored version', () => {
    expect(upcast(upcasters, 'SymptomsChanged', { data: { phq9: 8 }, schemaVersion: 2, metadata: {} }).data).toEqual({
      instrument: 'PHQ-9',
      score: 8,
    });
  });

  it('returns events without upcasters untouched', () => {
    const stored = { data: { goalIndex: 1 }, schemaVersion: 1, metadata: { by: 'clinician' } };
    expect(upcast(upcasters, 'GoalMet', stored)).toBe(stored);
  });

  it('lets an upcaster rewrite the metadata', () => {
    const moving: Upcasters = { PlanSigned: { 1: (data, metadata) => ({ data, schemaVersion: 2, metadata: { ...metadata, signedVia: 'ehr' } }) } };
    expect(upcast(moving, 'PlanSigned', { data: {}, schemaVersion: 1, metadata: { by: 'dr' } }).metadata).toEqual({
      by: 'dr',
      signedVia: 'ehr',
    });
  });

  it.each([1, 0, 1.5])('refuses an upcaster that returns version %p from version 1', (returned) => {
    const broken: Upcasters = { GoalAdded: { 1: (data) => ({ data, schemaVersion: returned }) } };
    expect(() => upcast(broken, 'GoalAdded', { data: {}, schemaVersion: 1, metadata: {} })).toThrow(InvalidUpcasterError);
  });
});
