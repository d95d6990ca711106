import { randomUUID } from 'node:crypto';
import { testDatabase, type TestDatabase } from '@golden-loop/testing';
import { DataSource } from 'typeorm';
import { AuditTrail, type AuditEntry } from './audit-trail';
import { auditMigrations } from './audit.migration';

let db: TestDatabase;
let dataSource: DataSource;

beforeAll(async () => {
  db = await testDatabase('audit_trail');
  dataSource = await new DataSource({ ...db.typeorm, migrations: auditMigrations, migrationsRun: true, poolSize: 10 }).initialize();
});
afterAll(async () => {
  await dataSource?.destroy();
  await db?.drop();
});

const entryOf = (overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  actorId: randomUUID(),
  actorRoles: ['clinician'],
  action: 'record_assessment',
  method: 'POST',
  route: '/plans/:planId/assessments',
  planId: randomUUID(),
  purpose: 'TREAT',
  outcome: 201,
  correlationId: randomUUID(),
  ...overrides,
});

const rowsOf = (actorIds: readonly string[]) =>
  dataSource.query<{ actor_id: string; actor_roles: string[]; plan_id: string | null; plan_ids: string[]; outcome: number; correlation_id: string | null }[]>(
    'SELECT actor_id::text, actor_roles, plan_id::text, plan_ids::text[], outcome, correlation_id::text FROM audit_events WHERE actor_id = ANY($1::uuid[]) ORDER BY audit_id',
    [actorIds],
  );

describe('the audit trail', () => {
  test('a recorded row is committed when record resolves, with every field', async () => {
    const planIds = [randomUUID(), randomUUID()];
    const entry = entryOf({ planId: undefined, planIds, correlationId: undefined, outcome: 200 });
    await new AuditTrail(dataSource).record(entry);
    expect(await rowsOf([entry.actorId])).toEqual([{ actor_id: entry.actorId, actor_roles: ['clinician'], plan_id: null, plan_ids: planIds, outcome: 200, correlation_id: null }]);
  });

  test('rows recorded while a write is in flight are written together: one statement for many requests, each in its order', async () => {
    const trail = new AuditTrail(dataSource);
    const entries = Array.from({ length: 60 }, () => entryOf());
    const statements = jest.spyOn(dataSource, 'query');
    try {
      await Promise.all(entries.map((entry) => trail.record(entry)));
      const inserts = statements.mock.calls.filter(([sql]) => sql.startsWith('INSERT INTO audit_events')).length;
      // The first row goes alone (nothing was in flight); the 59 recorded meanwhile go in the next write.
      expect(inserts).toBe(2);
    } finally {
      statements.mockRestore();
    }
    const rows = await rowsOf(entries.map((entry) => entry.actorId));
    expect(rows.map((row) => [row.actor_id, row.plan_id, row.correlation_id])).toEqual(entries.map((entry) => [entry.actorId, entry.planId, entry.correlationId]));
  });

  test('a row that cannot be written fails its own request only; the others of its write are committed', async () => {
    const trail = new AuditTrail(dataSource);
    const good = Array.from({ length: 5 }, () => entryOf());
    const bad = entryOf({ planId: 'not-a-uuid' });
    const first = trail.record(entryOf());
    const outcomes = await Promise.allSettled([...good.slice(0, 2), bad, ...good.slice(2)].map((entry) => trail.record(entry)));
    await first;
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect((await rowsOf(good.map((entry) => entry.actorId))).map((row) => row.actor_id)).toEqual(good.map((entry) => entry.actorId));
    expect(await rowsOf([bad.actorId])).toEqual([]);
    // The trail goes on writing after a failure.
    const after = entryOf();
    await trail.record(after);
    expect(await rowsOf([after.actorId])).toHaveLength(1);
  });
});
