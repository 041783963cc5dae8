import { formatLocalDate } from '../calendar/civil.ts'
import { ZoneCalendar } from '../calendar/instant.ts'
import { periodEnd, periodIndexOf, periodStart } from '../calendar/period.ts'
import type { Plan } from '../plans/plan.ts'
import type { CelProgram } from '../plans/cel.ts'
import type { Records } from '../records/records.ts'
import { type Credits, collectCredits } from './collect-credits.ts'
import { RecordFields } from './deal-fields.ts'
import { evaluateRepPeriod } from './evaluate-rep-period.ts'
import { computeMetrics, rankMetrics, reportsOf } from './compute-metrics.ts'
import { Clawbacks, type EarlierPaid, type PaidLines } from './clawbacks.ts'
import { applyDraw } from './apply-draw.ts'
import { planWindow } from './plan-window.ts'
import type { MetricResult, PeriodResult, PlanResult, RepResult, RunResult } from './result.ts'
import { cmp, one } from '../money/rational.ts'
import {
  type CarriedPaid,
  type CarriedRep,
  type CarriedState,
  carryRep,
  emptyRepState,
  type RepState,
  restoreRep,
} from './state.ts'

/** Local dates (epoch days, inclusive) a run covers. */
export interface RunRange {
  readonly from: number
  readonly to: number
}

export interface RunOptions {
  /**
   * By plan id: the state at the start of the range, as reported by a run of the same plan over
   * the same records that ended just before it (`PlanResult.end`). The records must then hold the
   * deals that closed before the range and are cancelled in it (for their clawbacks).
   */
  readonly carried?: ReadonlyMap<string, CarriedState>
  /** Report each plan's state at the end of the range (`PlanResult.end`). */
  readonly reportState?: boolean
}

/**
 * The one engine: evaluates every plan for its reps over every period of the plan inside the
 * range, in order, carrying balances, streaks, boosts and coaching plans (empty at `from`, or the
 * carried state given for the plan). Pure: no I/O, no clock.
 */
export function runEngine(
  plans: readonly Plan[],
  records: Records,
  range: RunRange,
  options: RunOptions = {},
): RunResult {
  // The reporting tree only when a metric counts directs or a team (ADR 0008).
  const needsReports = plans.some((plan) => plan.metrics.some((m) => m.of !== 'self'))
  const reports = needsReports ? reportsOf(records.reps) : { directs: [], team: [] }
  return {
    plans: plans.map((plan) =>
      runPlan(plan, records, range, reports, options.carried?.get(plan.id), options.reportState === true),
    ),
  }
}

function runPlan(
  plan: Plan,
  records: Records,
  range: RunRange,
  reports: ReturnType<typeof reportsOf>,
  carried: CarriedState | undefined,
  reportState: boolean,
): PlanResult {
  const window = planWindow(plan, range.from, range.to)
  if (carried !== undefined && window.count > 0 && carried.next !== window.first) {
    throw new RangeError(
      `The carried state of plan ${plan.id} is for period ${carried.next}, the run starts at ${window.first}.`,
    )
  }
  const zone = new ZoneCalendar(plan.timezone)
  const fields = new RecordFields(records.deals, records.activities, records.reps, plan.currency.digits, zone)
  const credits = collectCredits(plan, records, window, zone, fields, carried !== undefined)
  const onPlan = records.reps
    .filter((r) => r.plan === plan.id)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const passOf = (rule: string) => plan.rules.find((r) => r.id === rule)?.then.coaching?.pass
  const states = onPlan.map((rep) => {
    const from = carried?.reps[rep.id]
    return from === undefined ? emptyRepState() : restoreRep(from, passOf)
  })
  const paid: PaidLines = plan.commissions.map(() => [])
  // Only clawbacks read the paid lines back; a plan without any keeps none (ADR 0008).
  const keepsPaid = plan.commissions.map((c) => c.clawbackDays !== null)
  // Streaks are read only by rules.
  const readsStreaks = plan.rules.length > 0
  const noSpiffs: bigint[] = []
  const clawbackQueue = groupCancellations(credits, window.count)
  const clawback = new Clawbacks(
    plan,
    records,
    credits,
    fields,
    window.count,
    carried === undefined ? undefined : earlierPaid(plan, records, carried, window.first),
  )
  const periods: PeriodResult[] = []
  const readsRanks = plan.rules.some(
    (r) =>
      readsVariable(r.when, 'rank', 'ranked') ||
      (r.then.coaching !== undefined && readsVariable(r.then.coaching.pass, 'rank', 'ranked')),
  )

  for (let p = 0; p < window.count; p++) {
    const period = window.first + p
    const key = window.keys[p] as string
    const metrics = computeMetrics(plan, records, window, credits, reports, onPlan, p)
    const { rank, ranked } = readsRanks ? rankMetrics(plan, metrics) : NO_RANKS
    const reps: RepResult[] = []
    for (let i = 0; i < onPlan.length; i++) {
      const rep = onPlan[i] as Records['reps'][number]
      const state = states[i] as RepState
      const slot = credits.slotOf[rep.index] as number
      const at = slot * window.count + p
      const queued = clawbackQueue.get(at)
      const clawbacks = queued === undefined ? [] : clawback.linesFor(queued, paid)
      const coachingEnds = state.coaching !== null && state.coaching.last === period
      const repMetrics = metrics.get(rep.index)
      if (repMetrics === undefined) {
        const listed = notComputed(
          rep.id,
          key,
          credits.uncomputed.get(at) ?? [],
          clawbacks,
          state,
          coachingEnds,
        )
        if (listed !== null) reps.push(listed)
        continue
      }
      if (readsStreaks) updateStreaks(state, repMetrics)
      const out = evaluateRepPeriod({
        plan,
        rep: rep.id,
        repFields: rep.fields,
        period,
        periodKey: key,
        metrics: repMetrics,
        rank: rank.get(rep.index) ?? NO_RANK,
        ranked,
        tenure: rep.hiredOn === null ? null : period - periodIndexOf(window.kind, rep.hiredOn) + 1,
        spiffSums: credits.spiffSums.length === 0 ? noSpiffs : credits.spiffSums.map((s) => s.get(at)),
        clawbacks,
        state,
        coachingEnds,
      })
      for (let c = 0; c < out.commissionPaid.length; c++) {
        const amount = out.commissionPaid[c]
        if (keepsPaid[c] === true && amount !== null && amount !== undefined)
          (paid[c] as (bigint | undefined)[])[at] = amount
      }
      reps.push({
        rep: rep.id,
        computed: true,
        metrics: repMetrics,
        lines: out.lines,
        // Results are kept whole: one shared empty list instead of two new ones per rep-month.
        outcomes: out.outcomes.length === 0 ? NO_OUTCOMES : out.outcomes,
        payoutMinor: out.payoutMinor,
        balanceMinor: state.balanceMinor,
        warnings: out.warnings.length === 0 ? NO_WARNINGS : out.warnings,
        ...(out.coaching === undefined ? {} : { coaching: out.coaching }),
      })
    }
    periods.push({
      period: key,
      start: formatLocalDate(periodStart(window.kind, period)),
      end: formatLocalDate(periodEnd(window.kind, period)),
      reps,
    })
  }
  const result: PlanResult = { plan, id: plan.id, currency: plan.currency, period: plan.period, periods }
  if (!reportState) return result
  const next = window.count > 0 ? window.first + window.count : (carried?.next ?? window.first)
  const end: CarriedState = {
    next,
    reps: Object.fromEntries(onPlan.map((rep, i) => [rep.id, carryRep(states[i] as RepState)])) as Record<
      string,
      CarriedRep
    >,
    paid: carriedPaid(plan, clawback, credits, paid, onPlan, window, next, carried),
  }
  return { ...result, end }
}

/** Carried payments as the clawbacks look them up: by commission index, rep index and period offset. */
function earlierPaid(plan: Plan, records: Records, carried: CarriedState, first: number): EarlierPaid {
  const out = new Map<string, { paidMinor: bigint; repValue: bigint }>()
  plan.commissions.forEach((c, index) => {
    for (const [rep, list] of Object.entries(carried.paid[c.id] ?? {})) {
      const r = records.repIndex.get(rep)
      if (r === undefined) continue
      for (const [period, paidMinor, repValue] of list)
        out.set(`${index}:${r}:${period - first}`, {
          paidMinor: BigInt(paidMinor),
          repValue: BigInt(repValue),
        })
    }
  })
  return out
}

/** What clawbacks after the run still need: payments of periods within each window of `next`. */
function carriedPaid(
  plan: Plan,
  clawback: Clawbacks,
  credits: Credits,
  paid: PaidLines,
  onPlan: readonly Records['reps'][number][],
  window: ReturnType<typeof planWindow>,
  next: number,
  carried: CarriedState | undefined,
): CarriedState['paid'] {
  const out: Record<string, Record<string, CarriedPaid[]>> = {}
  const nextStart = periodStart(plan.period, next)
  for (const rule of clawback.carried) {
    const keep = (period: number) => periodEnd(plan.period, period) + rule.days >= nextStart
    const byRep: Record<string, CarriedPaid[]> = {}
    for (const [rep, list] of Object.entries(carried?.paid[rule.id] ?? {})) {
      const kept = list.filter(([period]) => keep(period))
      if (kept.length > 0) byRep[rep] = kept
    }
    for (const rep of onPlan) {
      const slot = credits.slotOf[rep.index] as number
      for (let p = 0; p < window.count; p++) {
        if (!keep(window.first + p)) continue
        const at = slot * window.count + p
        const amount = paid[rule.index]?.[at]
        if (amount === undefined || amount === 0n) continue
        const value = credits.metricSums[rule.metric]?.get(at) ?? 0n
        if (value === 0n) continue
        ;(byRep[rep.id] ??= []).push([window.first + p, String(amount), String(value)])
      }
    }
    out[rule.id] = byRep
  }
  return out
}

/** Cancellations by (slot × count + cancelled offset), in deal order. */
function groupCancellations(
  credits: Credits,
  count: number,
): Map<number, Credits['cancellations'][number][]> {
  const out = new Map<number, Credits['cancellations'][number][]>()
  for (const c of credits.cancellations) {
    if (c.cancelledOffset < 0) continue
    const at = (credits.slotOf[c.rep] as number) * count + c.cancelledOffset
    const list = out.get(at)
    if (list === undefined) out.set(at, [c])
    else list.push(c)
  }
  return out
}

/**
 * A rep of the plan who is not employed in the period: listed only when credited, clawed back
 * or when a coaching plan ends undecided; lines are the clawbacks and the carry to a payout of 0.
 */
function notComputed(
  rep: string,
  periodKey: string,
  deals: readonly string[],
  clawbacks: RepResult['lines'],
  state: RepState,
  coachingEnds: boolean,
): RepResult | null {
  const warnings = deals.map(
    (deal) => `Deal ${deal} is credited to ${rep}, who is not employed in ${periodKey}; it pays nothing.`,
  )
  let coaching: RepResult['coaching']
  if (coachingEnds && state.coaching !== null) {
    warnings.push(
      `The coaching plan of ${rep} opened in rule "${state.coaching.rule}" was left undecided: ${rep} is not employed in ${periodKey}.`,
    )
    coaching = { rule: state.coaching.rule, decision: 'undecided' }
    state.coaching = null
  }
  if (deals.length === 0 && clawbacks.length === 0 && warnings.length === 0) return null
  const earned = clawbacks.reduce((s, l) => s + l.amountMinor, 0n)
  const drawn = applyDraw(earned < 0n ? earned : 0n, state.balanceMinor, null)
  const lines = earned < 0n ? [...clawbacks, ...drawn.lines] : [...clawbacks]
  if (earned < 0n) state.balanceMinor = drawn.balanceMinor
  return {
    rep,
    computed: false,
    metrics: [],
    lines,
    outcomes: [],
    payoutMinor: lines.reduce((s, l) => s + l.amountMinor, 0n),
    balanceMinor: state.balanceMinor,
    warnings,
    ...(coaching === undefined ? {} : { coaching }),
  }
}

/** Consecutive hits (attainment ≥ 1) and misses; a period without a quota leaves both as they were. */
function updateStreaks(state: RepState, metrics: readonly MetricResult[]): void {
  for (const m of metrics) {
    if (m.attainment === null) continue
    const hit = cmp(m.attainment, one()) >= 0
    state.hits.set(m.id, hit ? (state.hits.get(m.id) ?? 0) + 1 : 0)
    state.misses.set(m.id, hit ? 0 : (state.misses.get(m.id) ?? 0) + 1)
  }
}

const NO_OUTCOMES: readonly RepResult['outcomes'][number][] = Object.freeze([])
const NO_WARNINGS: readonly string[] = Object.freeze([])
const NO_RANK: ReadonlyMap<string, number> = new Map<string, number>()
const NO_RANKS = { rank: new Map<number, Map<string, number>>(), ranked: new Map<string, number>() }

/** Whether a CEL program reads any of these variables (or reads variables whole). */
function readsVariable(program: CelProgram, ...names: string[]): boolean {
  return program.reads === null || names.some((n) => program.reads?.has(n) === true)
}
