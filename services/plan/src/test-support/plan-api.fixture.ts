import { startService, type ServiceFixture } from '@golden-loop/service-testing';
import { TEST_CLINICIAN_ID } from './plan-requests';

/** The real plan service on a schema and a topic of its own, recording what it publishes (libs/service-testing). */
export interface PlanApiFixture extends ServiceFixture {
  /** The acting clinician of the test's requests: the clinician of the plans the file opens. */
  readonly userId: string;
  /** Bearer-token headers of that clinician, for `.set(...)`. */
  asClinician(): Record<string, string>;
}

export const startPlanApi = async (name: string, env: Readonly<Record<string, string>> = {}): Promise<PlanApiFixture> => {
  const fixture = await startService({
    name,
    schemaVariable: 'PLAN_DB_SCHEMA',
    // Imported after the environment is set: the service reads its configuration once, at module load.
    createApp: async () => (await import('../app')).createPlanApp(),
    observe: ['plan'],
    env,
  });
  return { ...fixture, userId: TEST_CLINICIAN_ID, asClinician: () => fixture.auth({ sub: TEST_CLINICIAN_ID, roles: ['clinician'] }) };
};
