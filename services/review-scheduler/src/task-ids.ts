import { createHash } from 'node:crypto';

/**
 * A task id named by what caused the task (the plan event that opened it, or the review date), as a name-based
 * UUID (RFC 9562 version 5 layout over SHA-1). The same cause gives the same id on every instance and on every
 * replay, so two runs of the service over the same plan events agree on their tasks.
 */
export const taskIdFor = (planId: string, kind: 'plan_update' | 'safety_review' | 'periodic_review', cause: string): string => {
  const hash = createHash('sha1').update(`golden-loop/review-task/${planId}/${kind}/${cause}`).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};
