import type { CommandRunner } from '@golden-loop/command-runner';
import type { PostgresEventStore } from '@golden-loop/event-store';
import type { MessagingConsumers, OutboxRelay } from '@golden-loop/messaging';
import type { TokenVerifier } from '@golden-loop/http-api';
import type { TimerWorker } from '@golden-loop/scheduling';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Request and append durations: 5 ms to 5 s, where commands on this machine live. */
const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** The value of a running total since the last scrape, for counters read from a component's own totals. */
const advance = (counter: Counter<string>, labels: Record<string, string>, total: number, seen: Map<string, number>): void => {
  const key = JSON.stringify(labels);
  const delta = total - (seen.get(key) ?? 0);
  if (delta > 0) counter.inc(labels, delta);
  seen.set(key, total);
};

/** An in-memory cache's size (a gauge) and its lookups by result (a counter of hits and misses), read at scrape time. */
const cacheMetrics = (
  registers: Registry[],
  cache: {
    readonly size: { readonly name: string; readonly help: string };
    readonly lookups: { readonly name: string; readonly help: string };
    readonly stats: () => { size: number; hits: number; misses: number } | undefined;
  },
): void => {
  const seen = new Map<string, number>();
  const lookups = new Counter({ ...cache.lookups, labelNames: ['result'], registers });
  new Gauge({
    ...cache.size,
    registers,
    collect() {
      const stats = cache.stats();
      if (!stats) return;
      this.set(stats.size);
      advance(lookups, { result: 'hit' }, stats.hits, seen);
      advance(lookups, { result: 'miss' }, stats.misses, seen);
    },
  });
};

/**
 * The Prometheus metrics of one service instance, in a registry of its own (several apps can share a process in
 * tests). HTTP and append durations are observed as they happen; outbox, relay, consumer and subscription figures
 * are read from those components at scrape time, so a scrape always shows the current state.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly appendDuration: Histogram<'stream_type'>;
  private readonly subscriptions = new Set<string>();
  private runner: CommandRunner | undefined;

  constructor(
    service: string,
    sources: { relay: OutboxRelay; consumers: MessagingConsumers; store: PostgresEventStore; timers: TimerWorker; tokens?: TokenVerifier },
  ) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP requests by route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: durationBuckets,
      registers,
    });
    this.appendDuration = new Histogram({
      name: 'event_store_append_duration_seconds',
      help: 'Event-store appends with their outbox rows, by stream type',
      labelNames: ['stream_type'],
      buckets: durationBuckets,
      registers,
    });

    const { relay, consumers, store, timers, tokens } = sources;
    new Gauge({
      name: 'outbox_backlog_messages',
      help: 'Committed outbox rows not yet acknowledged by Kafka',
      registers,
      async collect() {
        const metrics = await relay.metrics();
        this.set(metrics.unpublished);
        oldest.set((metrics.oldestUnpublishedAgeMs ?? 0) / 1000);
        advance(published, {}, metrics.relay.publishedTotal, publishedSeen);
        advance(relayErrors, {}, metrics.relay.failuresTotal, errorsSeen);
        leader.set(metrics.relay.role === 'leader' ? 1 : 0);
      },
    });
    const oldest = new Gauge({
      name: 'outbox_oldest_unpublished_age_seconds',
      help: 'Age of the oldest unpublished outbox row (0 when none)',
      registers,
    });
    const leader = new Gauge({ name: 'outbox_relay_leader', help: '1 when this instance runs the relay', registers });
    const publishedSeen = new Map<string, number>();
    const errorsSeen = new Map<string, number>();
    const published = new Counter({ name: 'outbox_published_messages_total', help: 'Messages the relay published', registers });
    const relayErrors = new Counter({ name: 'outbox_relay_errors_total', help: 'Failed relay rounds (retried)', registers });

    const consumerSeen = new Map<string, number>();
    const consumed = new Counter({
      name: 'consumer_messages_total',
      help: 'Messages by consumer group and outcome (processed, duplicate, ignored, dead_lettered)',
      labelNames: ['group', 'outcome'],
      registers,
    });
    const retries = new Counter({ name: 'consumer_retries_total', help: 'Handler attempts retried', labelNames: ['group'], registers });
    new Gauge({
      name: 'consumer_lag_messages',
      help: 'Messages behind the partition high watermark after the last batch',
      labelNames: ['group', 'topic', 'partition'],
      registers,
      collect() {
        this.reset();
        for (const consumer of consumers.all()) {
          const health = consumer.health();
          const group = health.groupId;
          advance(consumed, { group, outcome: 'processed' }, health.processed, consumerSeen);
          advance(consumed, { group, outcome: 'duplicate' }, health.duplicates, consumerSeen);
          advance(consumed, { group, outcome: 'ignored' }, health.ignored, consumerSeen);
          advance(consumed, { group, outcome: 'dead_lettered' }, health.deadLettered, consumerSeen);
          advance(retries, { group }, health.retries, consumerSeen);
          for (const [at, lag] of Object.entries(health.lag)) {
            const cut = at.lastIndexOf('/');
            this.set({ group, topic: at.slice(0, cut), partition: at.slice(cut + 1) }, lag);
          }
        }
      },
    });

    const subscriptions = this.subscriptions;
    new Gauge({
      name: 'subscription_lag_events',
      help: 'Committed events a checkpointed subscription (projection) has not handled yet',
      labelNames: ['subscription'],
      registers,
      async collect() {
        for (const subscription of subscriptions) {
          this.set({ subscription }, (await store.subscriptionLag(subscription)).pendingEvents);
        }
      },
    });

    const runnerOf = () => this.runner;
    cacheMetrics(registers, {
      size: { name: 'command_fold_cache_streams', help: 'Streams whose fold the command runner holds' },
      lookups: { name: 'command_fold_cache_lookups_total', help: 'Command-runner fold cache lookups by result (hit, miss)' },
      stats: () => runnerOf()?.cacheStats(),
    });
    cacheMetrics(registers, {
      size: { name: 'auth_tokens_remembered', help: 'Verified tokens the service remembers (docs/security.md)' },
      lookups: { name: 'auth_token_verifications_total', help: 'Bearer tokens verified, by result: remembered (hit) or signature checked (miss)' },
      stats: () => tokens?.cacheStats(),
    });

    const firedSeen = new Map<string, number>();
    const failedSeen = new Map<string, number>();
    const timersFired = new Counter({ name: 'timers_fired_total', help: 'Durable timers fired', registers });
    const timersFailed = new Counter({ name: 'timers_failed_total', help: 'Timer firings that failed (retried, then parked)', registers });
    const timersParked = new Gauge({ name: 'timers_parked', help: 'Timers parked after failing too often', registers });
    new Gauge({
      name: 'timers_due',
      help: 'Timers due and not yet fired',
      registers,
      async collect() {
        const status = timers.status();
        advance(timersFired, {}, status.fired, firedSeen);
        advance(timersFailed, {}, status.failures, failedSeen);
        const backlog = await timers.backlog();
        this.set(backlog.due);
        timersParked.set(backlog.parked);
      },
    });
  }

  /** The service's command runner, whose fold cache the scrape reports. */
  watchRunner(runner: CommandRunner): CommandRunner {
    this.runner = runner;
    return runner;
  }

  /** A checkpointed subscription whose lag the scrape reports. */
  watchSubscription(subscriptionId: string): void {
    this.subscriptions.add(subscriptionId);
  }

  observeAppend(streamType: string, seconds: number): void {
    this.appendDuration.observe({ stream_type: streamType }, seconds);
  }

  /** Express middleware: every request's duration by its route template (`/plans/:planId`), never its raw path. */
  readonly httpMiddleware = (request: Request, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    response.once('finish', () => {
      const route = (request.route as { path?: string } | undefined)?.path;
      this.httpDuration.observe(
        { method: request.method, route: route === undefined ? 'unmatched' : `${request.baseUrl}${route}`, status: String(response.statusCode) },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    });
    next();
  };
}
