export { createServiceApp, openApiDocumentOf, type ServiceDescription } from './create-service-app';
export { loggerParams, redirectLogs, REDACTED_FIELDS } from './logging';
export { ServiceMetrics } from './metrics';
export { OperationsController } from './operations.controller';
export { brokersOf, loadConfig, LOG_LEVELS, ServiceConfig } from './service-config';
export { ServiceKitModule, type ServiceKitOptions } from './service-kit.module';
export { SERVICE_CONFIG, SERVICE_NAME } from './tokens';
export { runService } from './run-service';
export { openApiDocumentFor, renderOpenApi, writeOpenApiDocument } from './openapi';
// The edge's limits, for what builds on the kit without depending on the HTTP layer itself (libs/service-testing).
export { REQUEST_LIMITS, type Role } from '@golden-loop/http-api';
export { AuditAction } from './audit/audit.interceptor';
export { AuditTrail, PURPOSES_OF_USE, type AuditEntry, type AuditRecord, type PurposeOfUse } from './audit/audit-trail';
export { cleanUpInto, runScript } from './script';
