/**
 * Categories of a lifestyle or environmental shift (CLINICAL.md rule 6: such a shift calls for a plan update).
 * Each follows an ICD-10-CM block of "persons with potential health hazards related to socioeconomic and
 * psychosocial circumstances" (Z55-Z65), bereavement is the Z63 subcategory Z63.4, kept apart because it is so common; so a reported life event can later be coded if it becomes a focus of care.
 */
export const LIFE_EVENT_CATEGORIES = {
  education: 'Z55',
  employment: 'Z56',
  housing_or_finances: 'Z59',
  social_environment: 'Z60',
  upbringing: 'Z62',
  family_or_relationship: 'Z63',
  bereavement: 'Z63.4',
  psychosocial: 'Z64',
  legal_or_other_psychosocial: 'Z65',
} as const;

export type LifeEventCategory = keyof typeof LIFE_EVENT_CATEGORIES;

export const isLifeEventCategory = (value: unknown): value is LifeEventCategory =>
  typeof value === 'string' && Object.prototype.hasOwnProperty.call(LIFE_EVENT_CATEGORIES, value);
