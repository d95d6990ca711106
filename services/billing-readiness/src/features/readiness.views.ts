import { CHECK_CAUSES, CLINICIAN_CREDENTIALS, FINDING_CODES, FIX_CODES, FIX_GUIDANCE, PAYER_DECISIONS, REAUTHORIZATION_PRIORITIES } from '@golden-loop/contracts';
import { setEtag } from '@golden-loop/http-api';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Finding } from '../domain/events';
import type { LastCheck } from '../domain/state';
import type { ReadinessRunResult } from '../readiness-use-case';

// What the API answers, as OpenAPI schemas: codes as enums, counts as integers, instants as date-times.

const Integer = 'integer';
const OUTCOMES = ['ready', 'at_risk', 'not_ready'] as const;

export class FixView {
  @ApiProperty({ enum: FIX_CODES }) code!: string;
  @ApiProperty({ description: 'The standard sentence for the fix code (FIX_GUIDANCE)' }) guidance!: string;
}

export class FindingView {
  @ApiProperty({ enum: FINDING_CODES }) code!: string;
  @ApiProperty({ description: 'Id of the payer rule that produced it (GET /rule-sets)', example: 'medicaid.assessment-within-30-days' }) rule!: string;
  @ApiProperty({ enum: ['error', 'warning', 'info'] }) severity!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'What the rule looked at: ids, codes, numbers and dates (the evidence of AuthorizationCheckCompleted v1)',
    example: { windowDays: 30, lastAssessedAt: '2026-02-01T10:00:00.000Z' },
  })
  evidence!: Record<string, unknown>;
  @ApiProperty({ type: FixView }) fix!: FixView;
}

export class CheckView {
  @ApiProperty({ format: 'uuid' }) checkId!: string;
  @ApiProperty({ enum: OUTCOMES }) outcome!: string;
  @ApiProperty({ type: [FindingView] }) findings!: FindingView[];
  @ApiProperty({ format: 'date-time' }) checkedAt!: string;
  @ApiProperty({ example: 'medicaid-standard' }) ruleSetId!: string;
  @ApiProperty({ type: Integer }) ruleSetVersion!: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'The next rule boundary: when time alone may change the answer' }) nextCheckAt!: string | null;
}

export class HistoricCheckView extends CheckView {
  @ApiProperty({ enum: CHECK_CAUSES }) cause!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The event that caused it; null for a re-check' }) triggeredBy!: string | null;
  @ApiProperty({ type: Integer, description: 'Position in the plan’s readiness stream' }) position!: number;
}

export const findingView = (finding: Finding): FindingView => ({
  code: finding.code,
  rule: finding.rule,
  severity: finding.severity,
  evidence: { ...finding.evidence },
  fix: { code: finding.fix.code, guidance: FIX_GUIDANCE[finding.fix.code] },
});

export const checkView = (check: LastCheck): CheckView => ({
  checkId: check.checkId,
  outcome: check.outcome,
  findings: check.findings.map(findingView),
  checkedAt: check.checkedAt,
  ruleSetId: check.ruleSetId,
  ruleSetVersion: check.ruleSetVersion,
  nextCheckAt: check.nextCheckAt,
});

/** What every readiness command answers: the plan's stream version (also the ETag), the events and the check it ran. */
export class CommandAccepted {
  @ApiProperty({ format: 'uuid' }) planId!: string;
  @ApiProperty({ type: Integer, description: 'The readiness stream version after the command (also the ETag)' }) version!: number;
  @ApiProperty({ type: [String], example: ['AuthorizationRecorded', 'ReadinessChecked'] }) events!: string[];
  @ApiPropertyOptional({ format: 'uuid', description: 'The id of what the command created' }) id?: string;
  @ApiPropertyOptional({ type: CheckView, description: 'The check that followed' }) check?: CheckView;
}

export const accepted = (response: Response, result: ReadinessRunResult, id?: string): CommandAccepted => {
  setEtag(response, result.version);
  const checked = result.events.some(({ event }) => event.type === 'ReadinessChecked');
  return {
    planId: result.streamId,
    version: result.version,
    events: result.events.map(({ event }) => event.type),
    ...(id === undefined ? {} : { id }),
    ...(checked && result.state.lastCheck ? { check: checkView(result.state.lastCheck) } : {}),
  };
};

export class ReadinessView {
  @ApiProperty({ format: 'uuid' }) planId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'null: the client pays directly, nothing is checked' }) payerId!: string | null;
  @ApiProperty({ enum: ['open', 'closed'] }) status!: string;
  @ApiProperty({ type: Integer, nullable: true, description: 'The revision in effect' }) revisionInEffect!: number | null;
  @ApiProperty({ type: CheckView, nullable: true, description: 'The latest check; null before the first' }) latestCheck!: CheckView | null;
  @ApiProperty({ type: Integer, description: 'Checks so far' }) checks!: number;
  @ApiProperty({ type: Integer, description: 'The readiness stream version (also the ETag)' }) version!: number;
}

export class PageView {
  @ApiProperty({ type: Integer }) page!: number;
  @ApiProperty({ type: Integer }) pageSize!: number;
  @ApiProperty({ type: Integer }) total!: number;
}

export class CheckHistoryView extends PageView {
  @ApiProperty({ type: [HistoricCheckView] }) items!: HistoricCheckView[];
}

export class WorklistItemView {
  @ApiProperty({ format: 'uuid' }) planId!: string;
  @ApiProperty({ format: 'uuid' }) payerId!: string;
  @ApiProperty({ enum: ['not_ready', 'at_risk'] }) outcome!: string;
  @ApiProperty() ruleSetId!: string;
  @ApiProperty({ type: Integer }) ruleSetVersion!: number;
  @ApiProperty({ enum: FINDING_CODES, isArray: true }) findingCodes!: string[];
  @ApiProperty({ type: Integer }) errors!: number;
  @ApiProperty({ type: Integer }) warnings!: number;
  @ApiProperty({ format: 'uuid' }) checkId!: string;
  @ApiProperty({ format: 'date-time' }) checkedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) nextCheckAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'at_risk: when it will fail; not_ready: since when' }) urgencyAt!: string | null;
}

export class WorklistView extends PageView {
  @ApiProperty({ type: [WorklistItemView] }) items!: WorklistItemView[];
}

export class AuthorizationView {
  @ApiProperty({ format: 'uuid' }) authorizationId!: string;
  @ApiProperty({ example: 'PA-2026-000123' }) authorizationNumber!: string;
  @ApiProperty({ format: 'uuid' }) payerId!: string;
  @ApiProperty({ type: [String], example: ['90837', '90834'] }) serviceCodes!: string[];
  @ApiProperty({ type: Integer }) sessionsAuthorized!: number;
  @ApiProperty({ type: Integer }) sessionsUsed!: number;
  @ApiProperty({ type: Integer }) sessionsRemaining!: number;
  @ApiProperty({ format: 'date' }) startsOn!: string;
  @ApiProperty({ format: 'date' }) endsOn!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The re-authorization whose approval granted it' }) requestId!: string | null;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
}

export class SessionView {
  @ApiProperty({ format: 'uuid' }) sessionId!: string;
  @ApiProperty({ format: 'date' }) dateOfService!: string;
  @ApiProperty({ example: '90837' }) serviceCode!: string;
  @ApiProperty({ type: Integer }) minutes!: number;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) authorizationId!: string | null;
}

export class ReauthorizationView {
  @ApiProperty({ format: 'uuid' }) requestId!: string;
  @ApiProperty({ format: 'uuid' }) payerId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) authorizationId!: string | null;
  @ApiProperty({ enum: REAUTHORIZATION_PRIORITIES }) priority!: string;
  @ApiProperty({ type: [String] }) serviceCodes!: string[];
  @ApiProperty({ type: Integer }) sessionsRequested!: number;
  @ApiProperty({ format: 'date-time' }) submittedAt!: string;
  @ApiProperty({ format: 'date-time', description: 'CMS-0057-F: 72 hours (expedited) or 7 calendar days (standard) after submission' }) decisionDueAt!: string;
  @ApiProperty({ enum: ['submitted', ...PAYER_DECISIONS] }) status!: string;
  @ApiProperty({ description: 'The decision is past due and not recorded' }) overdue!: boolean;
  @ApiProperty({ type: Integer, nullable: true }) sessionsApproved!: number | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) approvedAuthorizationId!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) decidedAt!: string | null;
}

export class CredentialsView {
  @ApiProperty({ format: 'uuid' }) clinicianId!: string;
  @ApiProperty({ enum: CLINICIAN_CREDENTIALS, isArray: true }) credentials!: string[];
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ format: 'uuid' }) recordedBy!: string;
  @ApiPropertyOptional({ type: Integer, description: 'Open plans scheduled for a re-check by this change' }) rechecksScheduled?: number;
}
