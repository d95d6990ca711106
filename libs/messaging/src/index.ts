// Loaded first: it fixes a kafkajs timer loop before any client is made (see the file).
export { kafkajsRequestQueuePatched } from './kafkajs-request-queue';
export { MessagingSchema1764200001000, messagingMigrations, OutboxRelayPosition1764200002000 } from './messaging-schema.migration';
export { keyLock, keyLockExpression } from './key-lock';
export { Outbox, OutboxOutsideTransaction, type OutboxMessage } from './outbox';
export {
  OutboxRelay,
  OutboxTableMissing,
  type OutboxMetrics,
  type OutboxRelayHooks,
  type OutboxRelayOptions,
  type OutboxRelayRole,
  type OutboxRelayStatus,
  type OutboxRetention,
  type PublishedChunk,
  publishedOutboxRows,
  unpublishedOutboxRows,
} from './outbox-relay';
export {
  IdempotentConsumer,
  MissingEventId,
  type ConsumerHealth,
  type ConsumerState,
  type IdempotentConsumerOptions,
  type MessageContext,
  type MessageDecoder,
  type MessageHandler,
  type MessageSource,
  type RetryPolicy,
} from './idempotent-consumer';
export { claimBatch, type BatchClaim, type BatchClaimInput, type BatchedMessage, type BatchMessageHandler, type BatchOptions } from './inbox-batch';
export { deadLetterHeaders, type DeadLetterFacts, type DeadLetterReason } from './dead-letter';
export {
  listParkedKeys,
  unparkKey,
  type DeadLetterRecord,
  type ParkedKey,
  type ParkedKeyAddress,
} from './parked-keys';
export { TransactionGroups } from './transaction-groups';
export { MessagingConsumers, type ConsumerDefaults, type ConsumerRegistration } from './messaging-consumers';
export { KafkaHealthIndicator } from './kafka-health.indicator';
export { MessagingHealthIndicator, type MessagingHealthThresholds } from './messaging-health.indicator';
export { nestKafkaLogCreator } from './kafka-nest-logger';
export {
  MESSAGING_KAFKA,
  MESSAGING_OPTIONS,
  MessagingModule,
  type MessagingModuleAsyncOptions,
  type MessagingModuleOptions,
} from './messaging.module';
export {
  TopicLayoutMismatch,
  TopicProvisioner,
  topicsOf,
  type ProvisionedTopic,
  type TopicDeclaration,
  type TopicDeclarations,
} from './topic-provisioner';
