import { IsDateTime, IsId } from '@golden-loop/http-api';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, MaxLength, Min, ValidateNested } from 'class-validator';
import { AddDiagnosisRequest, AddGoalRequest, AddInterventionRequest, AddObjectiveRequest, AddProblemRequest, DiscontinueRequest } from '../features/change-draft/change-draft.request.dto';
import { ClosePlanRequest } from '../features/close-plan/close-plan.http.controller';
import { DiagnosisDto, ServiceDto } from '../features/open-plan/open-plan.request.dto';
import { TriggerDto } from '../features/propose-revision/propose-revision.request.dto';
import { RecordAssessmentRequest } from '../features/record-assessment/record-assessment.request.dto';
import { ReportLifeEventRequest } from '../features/report-life-event/report-life-event.http.controller';
import { SignRevisionRequest } from '../features/sign-revision/sign-revision.http.controller';
import { PLAN_LIMITS, TEXT_LIMITS } from '../domain/plan-limits';
import type { RevisionReason } from '../domain/plan-content';

// One line of an import file (docs/import.md): the API's own request DTOs (the same shapes and limits, one source of
// truth), each with the id the network already gave the thing, which the import keeps.

/** How many of each dated record one plan history may hold: about 19 years of weekly PHQ-9 and GAD-7. */
export const HISTORY_LIMITS = {
  revisions: 200,
  assessments: 2000,
  lifeEvents: 500,
  met: 500,
  /** Discontinued goals, objectives and interventions in one revision. */
  discontinued: 300,
} as const;

/** What an import line can discontinue, and mark met: the import format's own lists (docs/import.md). */
export const DISCONTINUED_KINDS = ['goal', 'objective', 'intervention'] as const;
export const MET_KINDS = ['goal', 'objective'] as const;

export class ImportedProblem extends AddProblemRequest {
  @IsId() id!: string;
}

export class ImportedGoal extends AddGoalRequest {
  @IsId() goalId!: string;
}

export class ImportedObjective extends AddObjectiveRequest {
  @IsId() objectiveId!: string;
}

export class ImportedIntervention extends AddInterventionRequest {
  @IsId() interventionId!: string;
}

export class ImportedDiscontinuation extends DiscontinueRequest {
  @IsIn(DISCONTINUED_KINDS) kind!: (typeof DISCONTINUED_KINDS)[number];
  @IsId() id!: string;
}

export class ImportedRevision {
  /** 1, 2, 3, ... in order. */
  @IsInt() @Min(1) revision!: number;
  /** Revision 2 on: why it was opened (ProposeRevision). */
  @IsOptional() @IsString() reason?: RevisionReason;
  @IsOptional() @IsString() @MaxLength(TEXT_LIMITS.note) note?: string;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(PLAN_LIMITS.triggersPerRevision)
  @ValidateNested({ each: true })
  @Type(() => TriggerDto)
  triggers?: TriggerDto[];
  /** When the draft was opened; its first signature's time when absent. Orders the history only (the event keeps the import's time). */
  @IsOptional() @IsDateTime() proposedAt?: string;
  @IsOptional() @ValidateNested() @Type(() => ServiceDto) service?: ServiceDto;
  @IsOptional() @IsArray() @ArrayMaxSize(PLAN_LIMITS.diagnoses) @ValidateNested({ each: true }) @Type(() => AddDiagnosisRequest) diagnoses?: AddDiagnosisRequest[];
  @IsOptional() @IsArray() @ArrayMaxSize(PLAN_LIMITS.symptoms) @ValidateNested({ each: true }) @Type(() => ImportedProblem) symptoms?: ImportedProblem[];
  @IsOptional() @IsArray() @ArrayMaxSize(PLAN_LIMITS.impairments) @ValidateNested({ each: true }) @Type(() => ImportedProblem) impairments?: ImportedProblem[];
  @IsOptional() @IsArray() @ArrayMaxSize(PLAN_LIMITS.goals) @ValidateNested({ each: true }) @Type(() => ImportedGoal) goals?: ImportedGoal[];
  @IsOptional() @IsArray() @ArrayMaxSize(PLAN_LIMITS.objectives) @ValidateNested({ each: true }) @Type(() => ImportedObjective) objectives?: ImportedObjective[];
  @IsOptional() @IsArray() @ArrayMaxSize(PLAN_LIMITS.activeInterventions) @ValidateNested({ each: true }) @Type(() => ImportedIntervention) interventions?: ImportedIntervention[];
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(HISTORY_LIMITS.discontinued)
  @ValidateNested({ each: true })
  @Type(() => ImportedDiscontinuation)
  discontinued?: ImportedDiscontinuation[];
  /** Client and clinician, each with `signedAt`: both put the revision in effect. */
  @IsArray() @ArrayMaxSize(2) @ValidateNested({ each: true }) @Type(() => SignRevisionRequest) signatures!: SignRevisionRequest[];
}

export class ImportedAssessment extends RecordAssessmentRequest {
  @IsId() assessmentId!: string;
}

export class ImportedLifeEvent extends ReportLifeEventRequest {
  @IsId() lifeEventId!: string;
  /** When it was told to the clinic; the later of `occurredOn` and the plan's opening when absent. */
  @IsOptional() @IsDateTime() reportedAt?: string;
}

export class ImportedMet {
  @IsIn(MET_KINDS) kind!: (typeof MET_KINDS)[number];
  @IsId() id!: string;
  @IsDateTime() metAt!: string;
}

export class ImportedClosure extends ClosePlanRequest {
  @IsDateTime() closedAt!: string;
}

/**
 * A plan's whole history. The opening fields are POST /plans' (OpenPlanRequest's rules and limits), with the ids
 * and the opening time required: an import keeps the network's ids and dates.
 */
export class ImportedPlanHistory {
  @IsId() planId!: string;
  @IsId() clientId!: string;
  @IsId() clinicianId!: string;
  @IsOptional() @IsId() payerId!: string | null;
  @IsDateTime() openedAt!: string;
  @IsString() @MaxLength(TEXT_LIMITS.presentingProblem) presentingProblem!: string;
  @IsArray() @ArrayMaxSize(PLAN_LIMITS.strengths) @IsString({ each: true }) @MaxLength(TEXT_LIMITS.strength, { each: true }) strengths!: string[];
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(PLAN_LIMITS.diagnoses) @ValidateNested({ each: true }) @Type(() => DiagnosisDto) diagnoses!: DiagnosisDto[];
  @IsArray() @ArrayMaxSize(PLAN_LIMITS.symptoms) @ValidateNested({ each: true }) @Type(() => ImportedProblem) symptoms!: ImportedProblem[];
  @IsArray() @ArrayMaxSize(PLAN_LIMITS.impairments) @ValidateNested({ each: true }) @Type(() => ImportedProblem) impairments!: ImportedProblem[];
  @ValidateNested() @Type(() => ServiceDto) service!: ServiceDto;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(HISTORY_LIMITS.revisions)
  @ValidateNested({ each: true })
  @Type(() => ImportedRevision)
  revisions!: ImportedRevision[];
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(HISTORY_LIMITS.assessments)
  @ValidateNested({ each: true })
  @Type(() => ImportedAssessment)
  assessments?: ImportedAssessment[];
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(HISTORY_LIMITS.lifeEvents)
  @ValidateNested({ each: true })
  @Type(() => ImportedLifeEvent)
  lifeEvents?: ImportedLifeEvent[];
  @IsOptional() @IsArray() @ArrayMaxSize(HISTORY_LIMITS.met) @ValidateNested({ each: true }) @Type(() => ImportedMet) met?: ImportedMet[];
  @IsOptional() @ValidateNested() @Type(() => ImportedClosure) closed?: ImportedClosure;
}
