import type { DataSource } from 'typeorm';
import { StreamCaseloads } from './stream-caseloads';

// The caching rule of the caseload lookup (the query itself runs against PostgreSQL in every service's access matrix,
// services/*/src/*.access.int.spec.ts): a caseload found is read once, a plan not found is asked again.
const CLINICIAN = '6F1C2B8E-5D4A-4C3B-9A2F-1E0D9C8B7A65';
const directory = (rows: Record<string, { clinician_id: string; client_id: string | null }>, capacity?: number) => {
  const asked: string[] = [];
  const dataSource = {
    query: (_sql: string, [planId]: [string]) => {
      asked.push(planId);
      return Promise.resolve(rows[planId] === undefined ? [] : [rows[planId]]);
    },
  } as unknown as DataSource;
  return { caseloads: new StreamCaseloads(dataSource, () => new Error('no such plan'), capacity), asked };
};

describe('StreamCaseloads', () => {
  test('a caseload found is read once and answered from memory after (lower-cased ids)', async () => {
    const { caseloads, asked } = directory({ p1: { clinician_id: CLINICIAN, client_id: null } });
    expect(await caseloads.caseloadOf('p1')).toEqual({ clinicianId: CLINICIAN.toLowerCase() });
    expect(await caseloads.caseloadOf('p1')).toEqual({ clinicianId: CLINICIAN.toLowerCase() });
    expect(asked).toEqual(['p1']);
  });

  test('a plan not found is asked again (it may be opened meanwhile)', async () => {
    const rows: Record<string, { clinician_id: string; client_id: string | null }> = {};
    const { caseloads, asked } = directory(rows);
    expect(await caseloads.caseloadOf('p2')).toBeUndefined();
    rows.p2 = { clinician_id: CLINICIAN, client_id: 'C1' };
    expect(await caseloads.caseloadOf('p2')).toEqual({ clinicianId: CLINICIAN.toLowerCase(), clientId: 'c1' });
    expect(asked).toEqual(['p2', 'p2']);
  });

  test('at most `capacity` caseloads are held, the least recently used let go first', async () => {
    const row = { clinician_id: CLINICIAN, client_id: null };
    const { caseloads, asked } = directory({ a: row, b: row, c: row }, 2);
    await caseloads.caseloadOf('a');
    await caseloads.caseloadOf('b');
    await caseloads.caseloadOf('a'); // a is now the most recently used
    await caseloads.caseloadOf('c'); // b goes
    await caseloads.caseloadOf('a');
    await caseloads.caseloadOf('b');
    expect(asked).toEqual(['a', 'b', 'c', 'b']);
  });
});
