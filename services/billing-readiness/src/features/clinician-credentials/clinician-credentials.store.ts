import type { ClinicianCredential } from '@golden-loop/contracts';
import { Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * Clinicians' licences as billing knows them (the plan events name a signer by id and role only): the current
 * list per clinician, and every change appended to `clinician_credential_changes` (docs/payer-rules.md, "Credentials").
 */
@Injectable()
export class ClinicianCredentialsStore {
  async lookup(manager: EntityManager, clinicianIds: readonly string[]): Promise<Map<string, ClinicianCredential[]>> {
    if (clinicianIds.length === 0) return new Map();
    const rows = await manager.query<{ clinician_id: string; credentials: ClinicianCredential[] }[]>(
      'SELECT clinician_id, credentials FROM clinician_credentials WHERE clinician_id = ANY($1::uuid[])',
      [[...new Set(clinicianIds)]],
    );
    return new Map(rows.map((row) => [row.clinician_id, row.credentials]));
  }

  async read(source: DataSource, clinicianId: string): Promise<{ credentials: ClinicianCredential[]; recordedAt: string; recordedBy: string } | null> {
    const [row] = await source.query<{ credentials: ClinicianCredential[]; recorded_at: Date; recorded_by: string }[]>(
      'SELECT credentials, recorded_at, recorded_by FROM clinician_credentials WHERE clinician_id = $1',
      [clinicianId],
    );
    return row ? { credentials: row.credentials, recordedAt: row.recorded_at.toISOString(), recordedBy: row.recorded_by } : null;
  }

  async record(manager: EntityManager, clinicianId: string, credentials: readonly ClinicianCredential[], at: Date, by: string): Promise<void> {
    await manager.query(
      `INSERT INTO clinician_credentials (clinician_id, credentials, recorded_at, recorded_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (clinician_id) DO UPDATE SET credentials = EXCLUDED.credentials, recorded_at = EXCLUDED.recorded_at, recorded_by = EXCLUDED.recorded_by`,
      [clinicianId, credentials, at, by],
    );
    await manager.query('INSERT INTO clinician_credential_changes (clinician_id, credentials, recorded_at, recorded_by) VALUES ($1, $2, $3, $4)', [
      clinicianId,
      credentials,
      at,
      by,
    ]);
  }
}
