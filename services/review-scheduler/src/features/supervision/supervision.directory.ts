import { DomainError } from '@golden-loop/decider';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

export interface Supervision {
  readonly clinicianId: string;
  readonly supervisorId: string;
  readonly teamId: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

export class SupervisionNotKnown extends DomainError {
  readonly code = 'supervision_not_found';
  readonly kind = 'not_found';
  constructor() {
    super('No supervisor is known for this clinician; set one with PUT /clinicians/{clinicianId}/supervision.');
  }
}

interface SupervisionRow {
  readonly clinician_id: string;
  readonly supervisor_id: string;
  readonly team_id: string;
  readonly updated_at: Date;
  readonly updated_by: string;
}

const supervisionOf = (row: SupervisionRow): Supervision => ({
  clinicianId: row.clinician_id,
  supervisorId: row.supervisor_id,
  teamId: row.team_id,
  updatedAt: row.updated_at.toISOString(),
  updatedBy: row.updated_by,
});

/**
 * Who supervises each clinician, and in which team. The plan events name only the clinician, so the network tells
 * this service (docs/review-scheduling.md, "Supervision"); escalations and the team view read it when they need it.
 */
@Injectable()
export class SupervisionDirectory {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async set(supervision: Omit<Supervision, 'updatedAt'>, now: Date): Promise<Supervision> {
    const [row] = await this.dataSource.query<SupervisionRow[]>(
      `INSERT INTO clinician_supervision (clinician_id, supervisor_id, team_id, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (clinician_id) DO UPDATE SET supervisor_id = EXCLUDED.supervisor_id, team_id = EXCLUDED.team_id,
         updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by
       RETURNING clinician_id, supervisor_id, team_id, updated_at, updated_by`,
      [supervision.clinicianId, supervision.supervisorId, supervision.teamId, now.toISOString(), supervision.updatedBy],
    );
    return supervisionOf(row);
  }

  /** The clinician's supervision, or null; inside a transaction when given one (a timer firing). */
  async find(clinicianId: string, manager?: EntityManager): Promise<Supervision | null> {
    const [row] = await (manager ?? this.dataSource.manager).query<SupervisionRow[]>(
      `SELECT clinician_id, supervisor_id, team_id, updated_at, updated_by FROM clinician_supervision WHERE clinician_id = $1`,
      [clinicianId],
    );
    return row ? supervisionOf(row) : null;
  }
}
