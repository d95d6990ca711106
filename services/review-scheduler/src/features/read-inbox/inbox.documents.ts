import { REVIEW_REASONS, REVIEW_TASK_KINDS, URGENCIES } from '@golden-loop/contracts';
import { ApiProperty } from '@nestjs/swagger';

const Integer = 'integer';

export class InboxTask {
  @ApiProperty({ format: 'uuid' }) taskId!: string;
  @ApiProperty({ format: 'uuid' }) planId!: string;
  @ApiProperty({ enum: REVIEW_TASK_KINDS }) kind!: string;
  @ApiProperty({ enum: URGENCIES }) urgency!: string;
  @ApiProperty({ enum: REVIEW_REASONS, isArray: true }) reasons!: string[];
  @ApiProperty({ type: Integer, description: 'Plan events that opened or joined the task' }) triggerCount!: number;
  @ApiProperty({ format: 'date-time' }) dueAt!: string;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty({ format: 'date-time' }) firstTriggeredAt!: string;
  @ApiProperty() overdue!: boolean;
  @ApiProperty({ description: 'A safety review sent to the supervisor' }) escalated!: boolean;
}

export class InboxPage {
  @ApiProperty({ format: 'uuid' }) clinicianId!: string;
  @ApiProperty({ type: Integer }) page!: number;
  @ApiProperty({ type: Integer }) pageSize!: number;
  @ApiProperty({ type: Integer, description: 'Open tasks in all' }) total!: number;
  @ApiProperty({ type: () => [InboxTask], description: 'Urgent first, then by due time' }) items!: InboxTask[];
}
