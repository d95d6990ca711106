// One topic per producing service, keyed by plan id: Kafka orders records per partition, so every event a
// service publishes about one plan — whatever its type — is read in the order it was written.
// The `.v1` in a topic name changes only if keying or partitioning changes; event versions live in ce_type.
// Partitions and retention are part of the contract: a topic created with another partition count would
// send a plan's key to another partition and break its order, so every service creates and checks its topics
// from this table (libs/messaging, TopicProvisioner).

const DAY_MS = 24 * 60 * 60 * 1000;

/** How every Golden Loop topic is laid out; its dead-letter topic gets the same. */
export const TOPIC_LAYOUT = {
  partitions: 6,
  /** Analytics consumers replay a month of history; the warehouse keeps the rest. */
  retentionMs: 30 * DAY_MS,
} as const;

export const PRODUCERS = {
  plan: {
    service: 'plan',
    source: '/goldenloop/plan',
    typePrefix: 'care.goldenloop.plan',
    topic: 'goldenloop.plan.events.v1',
  },
  review: {
    service: 'review-scheduler',
    source: '/goldenloop/review-scheduler',
    typePrefix: 'care.goldenloop.review',
    topic: 'goldenloop.review.events.v1',
  },
  billing: {
    service: 'billing-readiness',
    source: '/goldenloop/billing-readiness',
    typePrefix: 'care.goldenloop.billing',
    topic: 'goldenloop.billing.events.v1',
  },
} as const;

export type Producer = keyof typeof PRODUCERS;

export const TOPICS = {
  plan: PRODUCERS.plan.topic,
  review: PRODUCERS.review.topic,
  billing: PRODUCERS.billing.topic,
} as const;

/** Topic names to use instead of the defaults, e.g. a unique name per test file. */
export type TopicOverrides = Partial<Record<Producer, string>>;

export const topicOfProducer = (producer: Producer, overrides: TopicOverrides = {}): string =>
  overrides[producer] ?? TOPICS[producer];

/** The dead-letter topic of a topic: poison messages go there without retries. */
export const dlqTopicOf = (topic: string): string => `${topic}.dlq`;
