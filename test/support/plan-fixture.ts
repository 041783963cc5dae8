import type { Metric, MetricSource, Plan } from '../../src/core/plans/plan.ts'

/** A plan as the checker would make it: USD, monthly, UTC, nothing in it but what `over` sets. */
export function testPlan(id: string, over: Partial<Plan> = {}): Plan {
  return {
    ...{
      id,
      name: id,
      file: `${id}.yaml`,
      currency: { code: 'USD', digits: 2 },
      period: 'month',
      timezone: 'UTC',
    },
    ...{
      effective: {},
      metrics: [],
      quotas: new Map(),
      ramp: [],
      prorate: false,
      commissions: [],
      spiffs: [],
    },
    ...{ draw: null, rules: [] },
    ...over,
  }
}

/** A metric of the rep's own records, without a filter. */
export const testMetric = (id: string, source: MetricSource, money = false): Metric => ({
  id,
  source,
  where: null,
  of: 'self',
  money,
})
