import type { Plan } from '../plans/plan.ts'

/**
 * The metric whose attainment stands for a rep's attainment in the follow-through statistics: the
 * metric of the plan's first commission, else the first metric with a default quota, else the
 * first metric; null for a plan without metrics.
 */
export function primaryMetric(plan: Plan): string | null {
  return (
    plan.commissions[0]?.on ??
    plan.metrics.find((m) => plan.quotas.has(m.id))?.id ??
    plan.metrics[0]?.id ??
    null
  )
}
