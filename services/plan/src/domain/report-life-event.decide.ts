import type { ReportLifeEvent } from './commands';
import { lifeEventDate } from './date-rules';
import { IdAlreadyUsed } from './errors';
import type { PlanEvent } from './events';
import type { OpenedPlan } from './plan-state';

// A lifestyle or environmental shift reported on the plan: a trigger a later revision answers.

export const reportLifeEvent = ({ data, metadata }: ReportLifeEvent, plan: OpenedPlan): PlanEvent[] => {
  const { lifeEventId } = data;
  if (plan.lifeEvents.some((lifeEvent) => lifeEvent.lifeEventId === lifeEventId)) {
    throw new IdAlreadyUsed('life_event', lifeEventId, 'lifeEventId');
  }
  // Stryker disable next-line ConditionalExpression: `false` is equivalent: lifeEventDate(null) gives null too (every comparison with null is false); the guard narrows the type
  const occurredOn = data.occurredOn === null ? null : lifeEventDate('occurredOn', data.occurredOn, metadata.now);
  return [
    {
      type: 'LifeEventReported',
      data: {
        planId: plan.planId,
        lifeEventId,
        category: data.category,
        impact: data.impact,
        occurredOn,
        description: data.description,
        reportedAt: metadata.now,
        by: metadata.userId,
      },
    },
  ];
};
