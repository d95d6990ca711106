import { ApiProperty } from '@nestjs/swagger';

const Integer = 'integer';

export class ReviewCounts {
  @ApiProperty({ type: Integer, description: 'Open tasks' }) open!: number;
  @ApiProperty({ type: Integer, description: 'Open tasks past their due time' }) overdue!: number;
  @ApiProperty({ type: Integer, description: 'Open urgent tasks' }) urgent!: number;
  @ApiProperty({ type: Integer, description: 'Open safety reviews escalated to the supervisor' }) escalated!: number;
  @ApiProperty({ type: Integer, description: 'Tasks completed by a revision since `since`' }) revised!: number;
  @ApiProperty({ type: Integer, nullable: true, description: 'Median seconds from first trigger to revision since `since`; null without any' })
  medianSecondsToRevision!: number | null;
}

export class ClinicianReviewCounts extends ReviewCounts {
  @ApiProperty({ format: 'uuid' }) clinicianId!: string;
  @ApiProperty({ format: 'uuid' }) supervisorId!: string;
}

export class TeamReviewSummary {
  @ApiProperty({ format: 'uuid' }) teamId!: string;
  @ApiProperty({ format: 'date-time' }) asOf!: string;
  @ApiProperty({ format: 'date-time', description: 'Revisions from this time on count for the median' }) since!: string;
  @ApiProperty({ type: () => ReviewCounts, description: 'The whole team' }) team!: ReviewCounts;
  @ApiProperty({ type: () => [ClinicianReviewCounts], description: 'Per clinician, most overdue first' }) clinicians!: ClinicianReviewCounts[];
}

export class UnroutedEscalation {
  @ApiProperty({ format: 'uuid' }) taskId!: string;
  @ApiProperty({ format: 'uuid' }) planId!: string;
  @ApiProperty({ format: 'uuid' }) clinicianId!: string;
  @ApiProperty({ format: 'date-time' }) dueAt!: string;
  @ApiProperty({ format: 'date-time' }) escalatedAt!: string;
}

export class UnroutedEscalationPage {
  @ApiProperty({ type: Integer }) page!: number;
  @ApiProperty({ type: Integer }) pageSize!: number;
  @ApiProperty({ type: Integer }) total!: number;
  @ApiProperty({ type: () => [UnroutedEscalation], description: 'Oldest escalation first' }) items!: UnroutedEscalation[];
}
