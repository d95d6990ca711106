import { MessagingHealthIndicator } from '@golden-loop/messaging';
import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';

/** For the orchestrator: the database answers, the outbox drains, the plan summaries keep up. */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly messaging: MessagingHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness and readiness: PostgreSQL, the outbox relay (503 when an event waits over 60 s)' })
  check() {
    return this.health.check([() => this.database.pingCheck('database'), () => this.messaging.check('messaging')]);
  }
}
