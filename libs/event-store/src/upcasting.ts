import { InvalidUpcasterError } from './errors';
import type { EventMetadata, Upcasters } from './event-store.types';

export interface StoredShape {
  readonly data: unknown;
  readonly schemaVersion: number;
  readonly metadata: EventMetadata;
}

/** Applies the upcasters of `type` from the stored version upwards until none is registered for the current one. */
export const upcast = (upcasters: Upcasters, type: string, stored: StoredShape): StoredShape => {
  const chain = upcasters[type];
  if (!chain) return stored;
  let current = stored;
  for (let upcaster = chain[current.schemaVersion]; upcaster; upcaster = chain[current.schemaVersion]) {
    const next = upcaster(current.data as never, current.metadata);
    if (!Number.isInteger(next.schemaVersion) || next.schemaVersion <= current.schemaVersion) {
      // A non-increasing version would loop forever or silently downgrade.
      throw new InvalidUpcasterError(type, current.schemaVersion, next.schemaVersion);
    }
    current = { data: next.data, schemaVersion: next.schemaVersion, metadata: next.metadata ?? current.metadata };
  }
  return current;
};
