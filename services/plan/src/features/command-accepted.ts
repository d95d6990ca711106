import { setEtag, type CommandTargetOf } from '@golden-loop/http-api';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { PlanRunResult } from '../plan-stream';

/** What every plan command answers: the plan, its version after the command (also the ETag), the events recorded. */
export class CommandAccepted {
  @ApiProperty({ format: 'uuid' }) planId!: string;
  @ApiProperty({ description: 'The plan version after the command (also the ETag)', example: 4 }) version!: number;
  @ApiProperty({ type: [String], description: 'The events the command recorded, in order', example: ['AssessmentRecorded', 'SymptomsChanged'] })
  events!: string[];
  @ApiPropertyOptional({ format: 'uuid', description: 'The id given to what the command created (goal, objective, assessment, ...)' })
  id?: string;
}

export const accepted = (target: CommandTargetOf, result: PlanRunResult, id?: string): CommandAccepted => {
  setEtag(target.response, result.version);
  return {
    planId: result.streamId,
    version: result.version,
    events: result.events.map(({ event }) => event.type),
    ...(id === undefined ? {} : { id }),
  };
};
