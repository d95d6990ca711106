import { publicMessage, statelessPublication, type Publication, type StoredEvent } from '@golden-loop/command-runner';
import type { IntegrationEvent } from '@golden-loop/contracts';
import type { ReadinessEvent } from '../domain/events';

/** The public event for a stored one, or null: what billing learnt from other topics is not published again. */
export const toIntegrationEvent = ({ event }: StoredEvent<ReadinessEvent>): IntegrationEvent | null => {
  switch (event.type) {
    case 'ReadinessChecked': {
      const d = event.data;
      return {
        name: 'AuthorizationCheckCompleted',
        version: 1,
        payload: {
          planId: d.planId,
          payerId: d.payerId,
          checkId: d.checkId,
          outcome: d.outcome,
          findings: d.findings.map((f) => ({ ...f, evidence: { ...f.evidence }, fix: { ...f.fix } })),
          checkedAt: d.checkedAt,
          triggeredBy: d.triggeredBy,
          cause: d.cause,
          ruleSetId: d.ruleSetId,
          ruleSetVersion: d.ruleSetVersion,
          nextCheckAt: d.nextCheckAt,
        },
      };
    }
    case 'AuthorizationRecorded': {
      const { by: _by, requestId, ...d } = event.data;
      return { name: 'AuthorizationRecorded', version: 1, payload: { ...d, serviceCodes: [...d.serviceCodes], ...(requestId === null ? {} : { requestId }) } };
    }
    case 'SessionRecorded': {
      const { by: _by, ...d } = event.data;
      return { name: 'SessionRecorded', version: 1, payload: d };
    }
    case 'ReauthorizationRequested': {
      const { by: _by, bundle: _bundle, ...d } = event.data;
      return { name: 'ReauthorizationRequested', version: 1, payload: { ...d, serviceCodes: [...d.serviceCodes] } };
    }
    case 'ReauthorizationDecided': {
      const { by: _by, ...d } = event.data;
      return { name: 'ReauthorizationDecided', version: 1, payload: d };
    }
    case 'ReauthorizationDecisionOverdue':
      return { name: 'ReauthorizationDecisionOverdue', version: 1, payload: { ...event.data } };
    case 'PlanOpenedNoted':
    case 'PlanSignatureNoted':
    case 'PlanRevisionNoted':
    case 'AssessmentNoted':
    case 'ClinicalChangeNoted':
    case 'PlanClosedNoted':
    case 'ReviewTaskNoted':
      return null;
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
};

/** Billing's public events on `topic`, each validated against the contract before the outbox. */
export const billingPublication = (topic: string): Publication<ReadinessEvent, null> =>
  statelessPublication((stored, metadata) => {
    const integration = toIntegrationEvent(stored);
    return integration === null ? [] : [publicMessage(integration, stored, metadata, topic)];
  });
