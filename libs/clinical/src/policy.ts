/**
 * A network's policy: numbers that are a care network's choice rather than science, so callers may override
 * them. The defaults follow the evidence named beside each one.
 */
export interface NetworkPolicy {
  /** Non-responders are reviewed after this many weeks of treatment (collaborative-care evidence: weeks 8-12). */
  readonly nonResponseAfterWeeks: number;
  /** A plateau is judged over this many most recent assessments, the current one included. */
  readonly plateauAssessments: number;
  /** ... which must span at least this many weeks (docs/clinical-rules.md, "Plateau": three assessments over at least 6 weeks). */
  readonly plateauMinimumWeeks: number;
  /** More active goals than this is a warning (docs/clinical-rules.md, rule 8 prefers one at a time; three is the network's limit). */
  readonly maxActiveGoals: number;
}

export const defaultNetworkPolicy: NetworkPolicy = {
  nonResponseAfterWeeks: 8,
  plateauAssessments: 3,
  plateauMinimumWeeks: 6,
  maxActiveGoals: 3,
};

export const networkPolicy = (overrides: Partial<NetworkPolicy> = {}): NetworkPolicy => ({
  ...defaultNetworkPolicy,
  ...overrides,
});
