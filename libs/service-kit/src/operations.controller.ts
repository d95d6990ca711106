import { buildAsyncApiDocument } from '@golden-loop/contracts';
import { Public } from '@golden-loop/http-api';
import { KafkaHealthIndicator, MessagingHealthIndicator } from '@golden-loop/messaging';
import { SkipThrottle } from '@nestjs/throttler';
import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Response } from 'express';
import { ServiceMetrics } from './metrics';

/** For the orchestrator and the monitoring system; outside authentication, never logged. */
@ApiTags('operations')
@Public()
@SkipThrottle()
@Controller()
export class OperationsController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly messaging: MessagingHealthIndicator,
    private readonly kafka: KafkaHealthIndicator,
    private readonly metrics: ServiceMetrics,
  ) {}

  @Get('health/live')
  @ApiOperation({ summary: 'Liveness: the process answers. Never depends on PostgreSQL or Kafka (a restart would not bring them back)' })
  @ApiOkResponse({ schema: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('health/ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: PostgreSQL answers, the broker answers, the outbox drains (no event waits over 60 s), no consumer crashed or stalled' })
  @ApiServiceUnavailableResponse({ description: 'Not ready: the body names the failing dependency' })
  ready() {
    return this.health.check([
      () => this.database.pingCheck('database'),
      () => this.kafka.check('kafka'),
      () => this.messaging.check('messaging'),
    ]);
  }

  @Get('docs/asyncapi.json')
  @ApiOperation({ summary: 'The AsyncAPI 3.0 document of every Golden Loop event: topics, CloudEvents headers, payload schemas (libs/contracts)' })
  @ApiOkResponse({ schema: { type: 'object', additionalProperties: true } })
  asyncApi(): ReturnType<typeof buildAsyncApiDocument> {
    return buildAsyncApiDocument();
  }

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Prometheus metrics (text exposition format)' })
  @ApiOkResponse({ content: { 'text/plain': { schema: { type: 'string' } } } })
  async scrape(@Res() response: Response): Promise<void> {
    response.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}
