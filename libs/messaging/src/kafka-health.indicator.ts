import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { Admin, Kafka } from 'kafkajs';

/**
 * A @nestjs/terminus indicator: down when the broker does not answer a metadata request in time. Readiness only:
 * a process restart would not bring the broker back, so liveness must never include it.
 */
export class KafkaHealthIndicator {
  private readonly indicators = new HealthIndicatorService();
  private admin: Promise<Admin> | undefined;

  constructor(private readonly kafka: Kafka) {}

  async check<const Key extends string>(key: Key, timeoutMs = 2_000): Promise<HealthIndicatorResult<Key>> {
    const session = this.indicators.check(key);
    let timer: NodeJS.Timeout | undefined;
    try {
      const cluster = await Promise.race([
        this.connected().then((admin) => admin.describeCluster()),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`the broker did not answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      return session.up({ brokers: cluster.brokers.length });
    } catch (error) {
      await this.close();
      return session.down({ error: error instanceof Error ? error.message : String(error) });
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.then((connected) => connected.disconnect()).catch(() => undefined);
  }

  private connected(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin({ retry: { retries: 0 } });
      await admin.connect();
      return admin;
    })();
    return this.admin;
  }
}
