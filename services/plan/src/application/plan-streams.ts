import { randomUUID } from 'node:crypto';
import { encodeEvent } from '@golden-loop/contracts';
import { ConcurrencyError, PostgresEventStore, type RecordedEvent } from '@golden-loop/event-store';
import { Outbox, type OutboxMessage } from '@golden-loop/messaging';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { PlanCommand } from '../domain/commands';
import type { PlanEvent } from '../domain/events';
import { decide, evolve, initialState, type TreatmentPlan } from '../domain/treatment-plan';
import { toIntegrationEvent, type StoredPlanEvent } from './plan-publication';

export const PLAN_STREAM_TYPE = 'TreatmentPlan';
/** The topic the plan's public events go to (the catalogue's, unless configuration overrides it). */
export const PLAN_EVENTS_TOPIC = Symbol('PLAN_EVENTS_TOPIC');

export interface LoadedPlan {
  readonly planId: string;
  readonly state: TreatmentPlan;
  /** The stream version: the ETag of the plan. */
  readonly version: number;
  readonly events: readonly RecordedEvent<PlanEvent['data']>[];
}

export interface CommandContext {
  /** From If-Match: the version the caller last saw. Without it, the version just read is expected. */
  readonly expectedVersion?: number;
  readonly correlationId: string;
}

/** There is no plan with this id. */
export class PlanNotFound extends Error {
  readonly code = 'plan_not_found';
  constructor(readonly planId: string) {
    super('There is no treatment plan with this id.');
  }
}

/** The caller's If-Match names a version the plan has moved past (or not reached). */
export class StalePlanVersion extends Error {
  readonly code = 'version_conflict';
  constructor(
    readonly expectedVersion: number,
    readonly currentVersion: number,
  ) {
    super(`The plan changed since you read it (you had version ${expectedVersion}, it is now at ${currentVersion}); reload it and try again.`);
  }
}

const storedOf = (recorded: RecordedEvent): StoredPlanEvent => ({
  eventId: recorded.eventId,
  event: { type: recorded.type, data: recorded.data } as PlanEvent,
});

/**
 * Load the stream, decide, append the new events and their public messages in one transaction: a command
 * either leaves both or neither (ARCHITECTURE.md, delivery guarantee 1). Nothing reaches Kafka from here;
 * the outbox relay publishes after the commit.
 */
@Injectable()
export class PlanStreams {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: PostgresEventStore,
    private readonly outbox: Outbox,
    @Inject(PLAN_EVENTS_TOPIC) private readonly topic: string,
  ) {}

  async load(planId: string, options: { asOf?: Date } = {}): Promise<LoadedPlan> {
    const events = (await this.store.readStream(planId, options)) as RecordedEvent<PlanEvent['data']>[];
    if (events.length === 0) throw new PlanNotFound(planId);
    const state = events.reduce((plan, recorded) => evolve(plan, storedOf(recorded).event), initialState());
    return { planId, state, version: events[events.length - 1].streamPosition, events };
  }

  /** Commands of one plan run one at a time in this process; racing each other would only waste reads. */
  private readonly planQueues = new Map<string, Promise<unknown>>();

  execute(planId: string, command: PlanCommand, context: CommandContext): Promise<{ version: number; events: readonly PlanEvent[] }> {
    const previous = this.planQueues.get(planId) ?? Promise.resolve();
    const run = previous.then(() => this.executeWithRetry(planId, command, context));
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.planQueues.set(planId, tail);
    void tail.then(() => {
      if (this.planQueues.get(planId) === tail) this.planQueues.delete(planId);
    });
    return run;
  }

  private async executeWithRetry(planId: string, command: PlanCommand, context: CommandContext): Promise<{ version: number; events: readonly PlanEvent[] }> {
    // A caller that named a version (If-Match) gets the conflict. One that did not asked for "the plan as it
    // is now": after losing a race to another instance we read again and decide again, against the state that won.
    // Bounded, with a little jitter so that racers do not collide again in step.
    const attempts = context.expectedVersion === undefined ? 10 : 1;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.tryExecute(planId, command, context);
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
        if (attempt >= attempts) throw new StalePlanVersion(context.expectedVersion ?? error.actualVersion ?? 0, error.actualVersion ?? 0);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
      }
    }
  }

  private async tryExecute(planId: string, command: PlanCommand, context: CommandContext): Promise<{ version: number; events: readonly PlanEvent[] }> {
    const recorded = await this.store.readStream(planId);
    const version = recorded.length === 0 ? 0 : recorded[recorded.length - 1].streamPosition;
    if (context.expectedVersion !== undefined && context.expectedVersion !== version) {
      throw new StalePlanVersion(context.expectedVersion, version);
    }
    const history = recorded.map(storedOf);
    const state = history.reduce((plan, { event }) => evolve(plan, event), initialState());
    const decided = decide(command, state);
    if (decided.length === 0) return { version, events: [] };

    const stored = decided.map((event) => ({ eventId: randomUUID(), event }));
    const metadata = { correlationId: context.correlationId, userId: command.metadata.userId, commandType: command.type };
    const messages: OutboxMessage[] = stored.flatMap((event, i) => {
      const integration = toIntegrationEvent(event, [...history, ...stored.slice(0, i + 1)]);
      if (integration === null) return [];
      return [
        encodeEvent(integration, {
          id: event.eventId,
          time: command.metadata.now,
          sequence: version + i + 1,
          correlationId: context.correlationId,
          topic: this.topic,
        }),
      ];
    });

    const appended = await this.dataSource.transaction(async (manager) => {
      const result = await this.store.append(
        planId,
        PLAN_STREAM_TYPE,
        stored.map(({ eventId, event }) => ({ eventId, type: event.type, data: event.data, metadata })),
        { expectedVersion: version === 0 ? 'no_stream' : version, manager },
      );
      await this.outbox.enqueue(manager, messages);
      return result;
    });
    return { version: appended.nextExpectedVersion, events: decided };
  }
}
