import { CaseloadDirectory, type Caseload } from '@golden-loop/http-api';
import type { DataSource } from 'typeorm';

/**
 * The caseload of a plan from the service's own event store: the first event of the plan's stream that names its
 * clinician (PlanOpened in the plan service, the plan's registration in the others). Every service keys its plan
 * streams by the plan id, so one query serves all three.
 */
export class StreamCaseloads extends CaseloadDirectory {
  /**
   * Caseloads read, the most recently used last. The first event naming a plan's clinician never changes (events
   * are immutable and a plan has no transfer: a new clinician opens a new plan), so a caseload found stays true on
   * every instance and needs no invalidation; a plan not found is not remembered (it may be opened next).
   */
  private readonly known = new Map<string, Caseload>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly unknownPlan: () => Error,
    private readonly capacity = 10_000,
  ) {
    super();
  }

  async caseloadOf(planId: string): Promise<Caseload | undefined> {
    const known = this.known.get(planId);
    if (known !== undefined) {
      this.known.delete(planId);
      this.known.set(planId, known);
      return known;
    }
    const caseload = await this.read(planId);
    if (caseload !== undefined && this.capacity > 0) {
      this.known.set(planId, caseload);
      if (this.known.size > this.capacity) this.known.delete(this.known.keys().next().value!);
    }
    return caseload;
  }

  private async read(planId: string): Promise<Caseload | undefined> {
    const rows = await this.dataSource.query<{ clinician_id: string; client_id: string | null }[]>(
      `SELECT data->>'clinicianId' AS clinician_id, data->>'clientId' AS client_id
         FROM events
        WHERE stream_id = $1 AND data ? 'clinicianId'
        ORDER BY stream_position
        LIMIT 1`,
      [planId],
    );
    if (rows.length === 0) return undefined;
    return { clinicianId: rows[0].clinician_id.toLowerCase(), ...(rows[0].client_id === null ? {} : { clientId: rows[0].client_id.toLowerCase() }) };
  }

  notFound(): Error {
    return this.unknownPlan();
  }
}
