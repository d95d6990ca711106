import { randomUUID } from 'node:crypto';
import { startService, type ServiceFixture } from '@golden-loop/service-testing';

/** The real plan service on a schema and a topic of its own, recording what it publishes (libs/service-testing). */
export interface PlanApiFixture extends ServiceFixture {
  /** The acting user of the test's requests. */
  readonly userId: string;
}

export const startPlanApi = async (name: string): Promise<PlanApiFixture> => {
  const fixture = await startService({
    name,
    schemaVariable: 'PLAN_DB_SCHEMA',
    // Imported after the environment is set: the service reads its configuration once, at module load.
    createApp: async () => (await import('../app')).createPlanApp(),
    observe: ['plan'],
  });
  return { ...fixture, userId: randomUUID() };
};
