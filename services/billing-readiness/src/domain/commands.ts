import type { IntegrationEvent } from '@golden-loop/contracts';
import type { CredentialsOf, PayerDecision, ReauthorizationPriority } from './events';
import type { RuleSetOf } from './rule-set';

/** What a check needs besides the stream: its id, the payer rule sets and credentials as they stand (pure lookups). */
export interface CheckPolicy {
  readonly checkId: string;
  readonly ruleSetOf: RuleSetOf;
  readonly credentialsOf: CredentialsOf;
}

type Command<Type extends string, Data> = Readonly<{
  type: Type;
  data: Readonly<Data>;
  metadata: { readonly now: string; readonly userId?: string };
  check: CheckPolicy;
}>;

/** A consumed public event and the id it was published under (its ce_id). */
export interface SourceEvent {
  readonly eventId: string;
  readonly event: IntegrationEvent;
}

/**
 * A public plan or review event, as consumed; the decider takes what interests it and ignores the rest. `before`:
 * the earlier events of the same clinical change, noted first, with one check after them all (clinicalChangesOf).
 */
export type NoteEvent = Command<'NoteEvent', { eventId: string; event: IntegrationEvent; before?: readonly SourceEvent[] }>;

export type Recheck = Command<'Recheck', { cause: 'scheduled' | 'rule_set_changed' | 'credentials_changed' }>;

export type RecordAuthorization = Command<
  'RecordAuthorization',
  {
    authorizationId: string;
    authorizationNumber: string;
    /** null: the plan's payer. */
    payerId: string | null;
    serviceCodes: readonly string[];
    sessionsAuthorized: number;
    startsOn: string;
    endsOn: string;
  }
>;

export type RecordSession = Command<'RecordSession', { sessionId: string; dateOfService: string; serviceCode: string; minutes: number }>;

export type RequestReauthorization = Command<
  'RequestReauthorization',
  {
    requestId: string;
    priority: ReauthorizationPriority;
    serviceCodes: readonly string[];
    sessionsRequested: number;
    /** null: the authorization in effect today, when there is one. */
    authorizationId: string | null;
    period: { readonly start: string; readonly end: string } | null;
  }
>;

export type RecordPayerDecision = Command<
  'RecordPayerDecision',
  {
    requestId: string;
    decision: PayerDecision;
    sessionsApproved: number;
    /** The authorization the payer granted (approved or partial). */
    authorization: { readonly authorizationId: string; readonly authorizationNumber: string; readonly startsOn: string; readonly endsOn: string } | null;
  }
>;

export type FlagDecisionOverdue = Command<'FlagDecisionOverdue', { requestId: string }>;

export type ReadinessCommand = NoteEvent | Recheck | RecordAuthorization | RecordSession | RequestReauthorization | RecordPayerDecision | FlagDecisionOverdue;
export type ReadinessCommandType = ReadinessCommand['type'];
