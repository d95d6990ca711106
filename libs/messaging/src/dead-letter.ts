import type { IHeaders } from 'kafkajs';

/** Why a message went to `<topic>.dlq`. */
export type DeadLetterReason = 'decode' | 'handler' | 'key_parked';

export interface DeadLetterFacts {
  readonly consumerGroup: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly reason: DeadLetterReason;
  readonly errorCode: string;
  readonly errorMessage: string;
  /** Handler runs (decode failures count one; `key_parked` counts none). */
  readonly attempts: number;
  readonly failedAt: Date;
}

const maxErrorMessageLength = 2_000;

/** The original headers, untouched, plus the `dlq_*` headers that say what failed where. */
export const deadLetterHeaders = (original: IHeaders | undefined, facts: DeadLetterFacts): IHeaders => ({
  ...original,
  dlq_reason: facts.reason,
  dlq_error_code: facts.errorCode,
  dlq_error_message: facts.errorMessage.slice(0, maxErrorMessageLength),
  dlq_attempts: String(facts.attempts),
  dlq_original_topic: facts.topic,
  dlq_original_partition: String(facts.partition),
  dlq_original_offset: facts.offset,
  dlq_consumer_group: facts.consumerGroup,
  dlq_failed_at: facts.failedAt.toISOString(),
});

/** A stable code for the DLQ header: the error's own `code` (ContractViolation, pg SQLSTATE) when it has one. */
export const errorCodeOf = (error: unknown, fallback: string): string => {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' || typeof code === 'number' ? String(code) : fallback;
};

export const errorMessageOf = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/** First value of a Kafka header as text; Kafka allows repeated headers, kafkajs gives them as an array. */
export const headerText = (headers: IHeaders | undefined, name: string): string | undefined => {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
};
