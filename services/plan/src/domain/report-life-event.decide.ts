import type { ReportLifeEvent } from './commands';
import { IdAlreadyUsed } from './errors';
import type { PlanEvent } from './events';
import { lifeEventCategory, lifeEventDate, lifeEventImpact, requireId, requireText } from './field-rules';
import { TEXT_LIMITS } from './plan-limits';
import type { OpenedPlan } from './plan-state';

// A lifestyle or environmental shift reported on the plan: a trigger a later revision answers.

export const reportLifeEvent = ({ data, metadata }: ReportLifeEvent, plan: OpenedPlan): PlanEvent[] => {
  const lifeEventId = requireId('lifeEventId', data.lifeEventId);
  if (plan.lifeEvents.some((lifeEvent) => lifeEvent.lifeEventId === lifeEventId)) {
    throw new IdAlreadyUsed('life_event', lifeEventId, 'lifeEventId');
  }
  const occurredOn = data.occurredOn === null ? null : lifeEventDate('occurredOn', data.occurredOn, metadata.now);
  return [
    {
      type: 'LifeEventReported',
      data: {
        planId: plan.planId,
        lifeEventId,
        category: lifeEventCategory('category', data.category),
        impact: lifeEventImpact('impact', data.impact),
        occurredOn,
        description: requireText('description', data.description, 'What happened', TEXT_LIMITS.lifeEvent),
        reportedAt: metadata.now,
        by: metadata.userId,
      },
    },
  ];
};
