import { periodEnd, periodIndexOf, periodStart } from '../calendar/period.ts'
import { cmp, div, mul, one, type Rational, ratio } from '../money/rational.ts'
import type { Plan } from '../plans/plan.ts'
import type { Records, Rep } from '../records/records.ts'
import type { Credits } from './collect-credits.ts'
import type { PlanWindow } from './plan-window.ts'
import type { MetricResult } from './result.ts'

/** Direct reports and all reports below, by rep index. */
export interface Reports {
  readonly directs: readonly (readonly number[])[]
  readonly team: readonly (readonly number[])[]
}

/** The reporting tree from the `manager` column (checked free of cycles on input). */
export function reportsOf(reps: readonly Rep[]): Reports {
  const index = new Map(reps.map((r) => [r.id, r.index]))
  const directs: number[][] = reps.map(() => [])
  for (const rep of reps) {
    const manager = rep.manager === null ? undefined : index.get(rep.manager)
    if (manager !== undefined) directs[manager]?.push(rep.index)
  }
  const team: (number[] | undefined)[] = reps.map(() => undefined)
  const below = (r: number): number[] => {
    const known = team[r]
    if (known !== undefined) return known
    const out: number[] = []
    for (const d of directs[r] ?? []) out.push(d, ...below(d))
    team[r] = out
    return out
  }
  return { directs, team: reps.map((r) => below(r.index)) }
}

/**
 * Step 1 for every computed rep of the plan in period offset p: metric values (self, directs or
 * team), quotas (override, else default × ramp × proration; zero is none) and attainment, exact.
 */
export function computeMetrics(
  plan: Plan,
  records: Records,
  window: PlanWindow,
  credits: Credits,
  reports: Reports,
  onPlan: readonly Rep[],
  p: number,
): Map<number, MetricResult[]> {
  const n = window.count
  const period = window.first + p
  const start = periodStart(window.kind, period)
  const end = periodEnd(window.kind, period)
  const overrides = quotaOverrides(plan, records, period)
  const out = new Map<number, MetricResult[]>()
  const selfValue = (k: number, r: number): bigint => {
    const slot = credits.slotOf[r] as number
    if (slot < 0 || credits.employed[slot * n + p] === 0) return 0n
    return credits.metricSums[k]?.get(slot * n + p) ?? 0n
  }
  const planQuotas = plan.metrics.map((metric) => plan.quotas.get(metric.id))
  for (const rep of onPlan) {
    const slot = credits.slotOf[rep.index] as number
    if (credits.employed[slot * n + p] === 0) continue
    const ramp = rampFactor(plan, rep, window, period)
    const prorate = plan.prorate ? prorateFactor(rep, start, end) : one()
    out.set(
      rep.index,
      plan.metrics.map((metric, k) => {
        let sum: bigint
        if (metric.of === 'self') sum = selfValue(k, rep.index)
        else {
          const members = metric.of === 'directs' ? reports.directs[rep.index] : reports.team[rep.index]
          sum = (members ?? []).reduce((s, r) => s + selfValue(k, r), 0n)
        }
        const value = ratio(sum, credits.metricScale[k] ?? 1n)
        const override = overrides.size === 0 ? undefined : overrides.get(`${rep.index}|${metric.id}`)
        const planQuota = planQuotas[k]
        let quota: Rational | null =
          override ?? (planQuota === undefined ? null : scaleQuota(planQuota, ramp, prorate))
        if (quota !== null && quota.n === 0n) quota = null
        return {
          id: metric.id,
          money: metric.money,
          value,
          quota,
          attainment: quota === null ? null : div(value, quota),
        }
      }),
    )
  }
  return out
}

function quotaOverrides(plan: Plan, records: Records, period: number): Map<string, Rational> {
  const out = new Map<string, Rational>()
  for (const q of records.quotas) {
    if (q.period.kind !== plan.period || q.period.index !== period) continue
    if (records.reps[q.rep]?.plan !== plan.id) continue
    out.set(`${q.rep}|${q.metric}`, q.amount)
  }
  return out
}

function rampFactor(plan: Plan, rep: Rep, window: PlanWindow, period: number): Rational {
  if (rep.hiredOn === null || plan.ramp.length === 0) return one()
  const tenure = period - periodIndexOf(window.kind, rep.hiredOn) + 1
  return tenure >= 1 && tenure <= plan.ramp.length ? (plan.ramp[tenure - 1] as Rational) : one()
}

/** Days of [start, end] on which the rep is employed, over the days of the period. */
function prorateFactor(rep: Rep, start: number, end: number): Rational {
  const from = rep.hiredOn === null ? start : Math.max(start, rep.hiredOn)
  const to = rep.leftOn === null ? end : Math.min(end, rep.leftOn)
  return ratio(BigInt(Math.max(0, to - from + 1)), BigInt(end - start + 1))
}

/** Competition ranks by attainment (1 = highest, ties share the better rank) per metric. */
export function rankMetrics(
  plan: Plan,
  metrics: ReadonlyMap<number, readonly MetricResult[]>,
): { rank: Map<number, Map<string, number>>; ranked: Map<string, number> } {
  const rank = new Map<number, Map<string, number>>()
  const ranked = new Map<string, number>()
  plan.metrics.forEach((metric, k) => {
    const entries: { rep: number; attainment: Rational }[] = []
    for (const [rep, list] of metrics) {
      const a = list[k]?.attainment
      if (a !== null && a !== undefined) entries.push({ rep, attainment: a })
    }
    entries.sort((x, y) => cmp(y.attainment, x.attainment))
    ranked.set(metric.id, entries.length)
    entries.forEach((e, i) => {
      const prev = entries[i - 1]
      const r =
        prev !== undefined && cmp(prev.attainment, e.attainment) === 0
          ? (rank.get(prev.rep)?.get(metric.id) ?? i + 1)
          : i + 1
      let m = rank.get(e.rep)
      if (m === undefined) rank.set(e.rep, (m = new Map()))
      m.set(metric.id, r)
    })
  })
  return { rank, ranked }
}

/** quota × ramp × proration, skipping factors of one (the common case) to spare exact divisions. */
function scaleQuota(quota: Rational, ramp: Rational, prorate: Rational): Rational {
  let out = quota
  if (ramp.n !== ramp.d) out = mul(out, ramp)
  if (prorate.n !== prorate.d) out = mul(out, prorate)
  return out
}
