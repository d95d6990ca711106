import {
  authorizationCheckCompletedV1,
  authorizationRecordedV1,
  reauthorizationDecidedV1,
  reauthorizationDecisionOverdueV1,
  reauthorizationRequestedV1,
  sessionRecordedV1,
} from './events/billing-events';
import {
  assessmentRecordedV1,
  goalAddedV1,
  goalMetV1,
  lifeEventReportedV1,
  objectiveAddedV1,
  objectiveMetV1,
  planClosedV1,
  planOpenedV1,
  planRevisedV1,
  planSignedV1,
  symptomsChangedV1,
} from './events/plan-events';
import {
  reviewTaskCancelledV1,
  reviewTaskCompletedV1,
  reviewTaskEscalatedV1,
  reviewTaskOpenedV1,
  reviewTaskOverdueV1,
  reviewTaskTriggerJoinedV1,
} from './events/review-events';
import type { FromSchema, JsonSchema } from './json-schema';
import { PRODUCERS, type Producer, type TopicOverrides, topicOfProducer } from './producers';

// The catalogue is keyed by name AND version: `SymptomsChanged.v2` is added beside `SymptomsChanged.v1`,
// both stay decodable, and producers move to v2 only once every consumer decodes it (README.md).

const entry = <const N extends string, const V extends number, const P extends Producer, const S extends JsonSchema>(
  name: N,
  version: V,
  producer: P,
  payloadSchema: S,
) => {
  const type = `${PRODUCERS[producer].typePrefix}.${name}.v${version}` as const;
  const dataschema = `urn:goldenloop:contracts:${name}:v${version}` as const;
  return {
    name,
    version,
    producer,
    type,
    source: PRODUCERS[producer].source,
    dataschema,
    payloadSchema: { $id: dataschema, ...payloadSchema },
  };
};

export const CATALOGUE = {
  'PlanOpened.v1': entry('PlanOpened', 1, 'plan', planOpenedV1),
  'GoalAdded.v1': entry('GoalAdded', 1, 'plan', goalAddedV1),
  'ObjectiveAdded.v1': entry('ObjectiveAdded', 1, 'plan', objectiveAddedV1),
  'AssessmentRecorded.v1': entry('AssessmentRecorded', 1, 'plan', assessmentRecordedV1),
  'SymptomsChanged.v1': entry('SymptomsChanged', 1, 'plan', symptomsChangedV1),
  'GoalMet.v1': entry('GoalMet', 1, 'plan', goalMetV1),
  'ObjectiveMet.v1': entry('ObjectiveMet', 1, 'plan', objectiveMetV1),
  'LifeEventReported.v1': entry('LifeEventReported', 1, 'plan', lifeEventReportedV1),
  'PlanRevised.v1': entry('PlanRevised', 1, 'plan', planRevisedV1),
  'PlanSigned.v1': entry('PlanSigned', 1, 'plan', planSignedV1),
  'PlanClosed.v1': entry('PlanClosed', 1, 'plan', planClosedV1),
  'ReviewTaskOpened.v1': entry('ReviewTaskOpened', 1, 'review', reviewTaskOpenedV1),
  'ReviewTaskCompleted.v1': entry('ReviewTaskCompleted', 1, 'review', reviewTaskCompletedV1),
  'ReviewTaskOverdue.v1': entry('ReviewTaskOverdue', 1, 'review', reviewTaskOverdueV1),
  'ReviewTaskTriggerJoined.v1': entry('ReviewTaskTriggerJoined', 1, 'review', reviewTaskTriggerJoinedV1),
  'ReviewTaskEscalated.v1': entry('ReviewTaskEscalated', 1, 'review', reviewTaskEscalatedV1),
  'ReviewTaskCancelled.v1': entry('ReviewTaskCancelled', 1, 'review', reviewTaskCancelledV1),
  'AuthorizationCheckCompleted.v1': entry(
    'AuthorizationCheckCompleted',
    1,
    'billing',
    authorizationCheckCompletedV1,
  ),
  'AuthorizationRecorded.v1': entry('AuthorizationRecorded', 1, 'billing', authorizationRecordedV1),
  'SessionRecorded.v1': entry('SessionRecorded', 1, 'billing', sessionRecordedV1),
  'ReauthorizationRequested.v1': entry('ReauthorizationRequested', 1, 'billing', reauthorizationRequestedV1),
  'ReauthorizationDecided.v1': entry('ReauthorizationDecided', 1, 'billing', reauthorizationDecidedV1),
  'ReauthorizationDecisionOverdue.v1': entry('ReauthorizationDecisionOverdue', 1, 'billing', reauthorizationDecisionOverdueV1),
} as const;

type Catalogue = typeof CATALOGUE;
export type CatalogueKey = keyof Catalogue;
export type CatalogueEntry = Catalogue[CatalogueKey];

/** Every integration event, as a producer hands it to `encodeEvent`: discriminated by name and version. */
export type IntegrationEvent = {
  [K in CatalogueKey]: {
    readonly name: Catalogue[K]['name'];
    readonly version: Catalogue[K]['version'];
    readonly payload: FromSchema<Catalogue[K]['payloadSchema']>;
  };
}[CatalogueKey];

export type EventName = IntegrationEvent['name'];
export type EventVersion<N extends EventName = EventName> = Extract<IntegrationEvent, { name: N }>['version'];
export type IntegrationEventOf<N extends EventName, V extends EventVersion<N> = EventVersion<N>> = Extract<
  IntegrationEvent,
  { name: N; version: V }
>;
export type PayloadOf<N extends EventName, V extends EventVersion<N> = EventVersion<N>> = IntegrationEventOf<
  N,
  V
>['payload'];

export const CATALOGUE_ENTRIES: readonly CatalogueEntry[] = Object.values(CATALOGUE);

const byType = new Map<string, CatalogueEntry>(CATALOGUE_ENTRIES.map((e) => [e.type, e]));
const byNameAndVersion = new Map<string, CatalogueEntry>(CATALOGUE_ENTRIES.map((e) => [`${e.name}.v${e.version}`, e]));

export const catalogueEntryOf = (name: string, version: number): CatalogueEntry | undefined =>
  byNameAndVersion.get(`${name}.v${version}`);

export const catalogueEntryOfType = (type: string): CatalogueEntry | undefined => byType.get(type);

/** The topic an event is published on; `overrides` replaces a producer's default topic (tests). */
export const topicOf = (name: EventName, overrides: TopicOverrides = {}): string => {
  const producer = CATALOGUE_ENTRIES.find((e) => e.name === name)?.producer;
  if (!producer) throw new RangeError(`${name} is not in the catalogue`);
  return topicOfProducer(producer, overrides);
};
