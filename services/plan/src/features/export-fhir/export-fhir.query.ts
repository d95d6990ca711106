import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Bundle } from '@medplum/fhirtypes';
import { PlanReader } from '../read-plan/read-plan.queries';
import { planToFhir } from './plan-to-fhir';

export class ExportPlanFhir {
  constructor(
    readonly planId: string,
    /** The FHIR base of the export's fullUrls (the export's own URL). */
    readonly baseUrl: string,
    /** The plan as it stood at this instant; now when absent. */
    readonly at?: Date,
  ) {}
}

/** The plan, now or as of a time, as a FHIR R4 Bundle: the same read as GET /plans/:id and /as-of (PlanReader). */
@QueryHandler(ExportPlanFhir)
export class ExportPlanFhirHandler implements IQueryHandler<ExportPlanFhir, Bundle> {
  constructor(private readonly plans: PlanReader) {}

  async execute({ planId, baseUrl, at }: ExportPlanFhir): Promise<Bundle> {
    const { state, version } = await this.plans.read(planId, at);
    return planToFhir(state, { baseUrl, timestamp: new Date().toISOString(), version });
  }
}
