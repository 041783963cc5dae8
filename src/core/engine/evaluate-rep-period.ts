import { add, divRound, toNumber, zero } from '../money/rational.ts'
import type { Plan } from '../plans/plan.ts'
import type { CelProgram } from '../plans/cel.ts'
import { applyCommission } from './pay-commission.ts'
import { applyDraw } from './apply-draw.ts'
import type { CoachingDecided, Line, MetricResult, Outcome } from './result.ts'
import type { RepState } from './state.ts'

/** What a computed rep's period is evaluated from, after step 1 (metrics, quotas, attainment). */
export interface RepPeriodInput {
  readonly plan: Plan
  readonly rep: string
  readonly repFields: Readonly<Record<string, string>>
  readonly period: number
  readonly periodKey: string
  readonly metrics: readonly MetricResult[]
  /** Competition rank by metric id (absent without attainment) and how many were ranked. */
  readonly rank: ReadonlyMap<string, number>
  readonly ranked: ReadonlyMap<string, number>
  readonly tenure: number | null
  /** Spiff sums in minor units × millionths of share, in spiff order. */
  readonly spiffSums: readonly bigint[]
  /** Clawback lines of this period, in order (step 4). */
  readonly clawbacks: readonly Line[]
  /** Carried state; updated in place for the next period. */
  readonly state: RepState
  /** Whether the rep's open coaching plan ends in this period (step 5). */
  readonly coachingEnds: boolean
}

export interface RepPeriodOutput {
  readonly lines: Line[]
  readonly outcomes: Outcome[]
  readonly warnings: string[]
  /** The final amount of each commission's line after forfeits, null where it has no line. */
  readonly commissionPaid: (bigint | null)[]
  readonly payoutMinor: bigint
  /** How a coaching plan that ends in this period was decided (step 5). */
  readonly coaching?: CoachingDecided
}

type MutableLine = { -readonly [K in keyof Line]: Line[K] }

/** Steps 2–9 of a computed rep's period (see plan-language.md, "Order of one rep's period"). */
export function evaluateRepPeriod(input: RepPeriodInput): RepPeriodOutput {
  const { plan, state } = input
  const digits = plan.currency.digits
  const warnings: string[] = []

  // 2. commissions
  const commissionLines: (MutableLine | null)[] = []
  for (const c of plan.commissions) {
    let metric: MetricResult | undefined
    for (const m of input.metrics) if (m.id === c.on) metric = m
    let boostBy = zero()
    for (const b of state.boosts) {
      if (b.rule === c.id && b.first <= input.period && input.period <= b.last) boostBy = add(boostBy, b.by)
    }
    const paid = metric === undefined ? null : applyCommission(c, metric.value, metric.quota, boostBy, digits)
    if (metric !== undefined && paid === null) {
      warnings.push(
        `Commission "${c.id}" needs a quota for ${c.on}, and ${input.rep} has none in ${input.periodKey}; it pays nothing.`,
      )
    }
    commissionLines.push(
      paid === null
        ? null
        : {
            kind: 'commission',
            rule: c.id,
            amountMinor: paid.amountMinor,
            forfeitedMinor: paid.forfeitedMinor,
            cappedMinor: paid.cappedMinor,
          },
    )
  }
  // 3. spiffs
  const spiffLines: MutableLine[] = []
  plan.spiffs.forEach((s, k) => {
    const amountMinor = divRound(input.spiffSums[k] ?? 0n, 1_000_000n)
    if (amountMinor !== 0n)
      spiffLines.push({ kind: 'spiff', rule: s.id, amountMinor, forfeitedMinor: 0n, cappedMinor: 0n })
  })

  // 5. coaching plans that end this period are decided
  let built: Record<string, unknown> | null = null
  const coaching = { active: false, passed: false, failed: false }
  let ended: CoachingDecided | undefined
  if (state.coaching !== null) {
    if (input.coachingEnds) {
      const decided = evaluate(state.coaching.pass, (built ??= ruleContext(input)))
      if (decided.ok && typeof decided.value === 'boolean') {
        coaching.passed = decided.value
        coaching.failed = !decided.value
        ended = { rule: state.coaching.rule, decision: decided.value ? 'passed' : 'failed' }
      } else {
        ended = { rule: state.coaching.rule, decision: 'undecided' }
        const why = decided.ok ? 'its pass condition is not a bool' : decided.error
        warnings.push(
          `The coaching plan of ${input.rep} opened in rule "${state.coaching.rule}" was left undecided: ${why}.`,
        )
      }
      state.coaching = null
    } else if (state.coaching.opened < input.period) {
      coaching.active = true
    }
  }

  // 6. rules in file order
  const outcomes: Outcome[] = []
  const bonusLines: MutableLine[] = []
  const forfeits = new Set<string>()
  let forfeitAll = false
  for (const rule of plan.rules) {
    const effects = rule.then
    if (effects.coaching !== undefined && state.coaching !== null) continue
    const fired = evaluate(rule.when, { ...(built ??= ruleContext(input)), coaching })
    if (!fired.ok) {
      warnings.push(
        `Rule "${rule.id}" could not be evaluated for ${input.rep} in ${input.periodKey}: ${fired.error}.`,
      )
      continue
    }
    if (fired.value !== true) continue
    outcomes.push({ rule: rule.id, effects })
    if (effects.bonusMinor !== undefined && effects.bonusMinor !== 0n) {
      bonusLines.push({
        kind: 'bonus',
        rule: rule.id,
        amountMinor: effects.bonusMinor,
        forfeitedMinor: 0n,
        cappedMinor: 0n,
      })
    }
    if (effects.forfeit === 'all') forfeitAll = true
    else for (const id of effects.forfeit ?? []) forfeits.add(id)
    if (effects.boost !== undefined) {
      const { rule: target, by, periods } = effects.boost
      state.boosts.push({ rule: target, by, first: input.period + 1, last: input.period + periods })
    }
    if (effects.coaching !== undefined) {
      state.coaching = {
        rule: rule.id,
        opened: input.period,
        last: input.period + effects.coaching.periods,
        pass: effects.coaching.pass,
      }
    }
  }
  if (state.boosts.length > 0) state.boosts = state.boosts.filter((b) => b.last > input.period)

  // 7. forfeits (nothing to look at when no rule forfeited anything: the common case)
  if (forfeitAll || forfeits.size > 0) {
    for (const line of [...commissionLines, ...spiffLines, ...bonusLines]) {
      if (line === null || !(forfeitAll || (line.rule !== undefined && forfeits.has(line.rule)))) continue
      line.forfeitedMinor += line.amountMinor
      line.amountMinor = 0n
    }
  }

  // 8. draw, carry and recovery; 9. payout
  const lines: Line[] = []
  const commissionPaid: (bigint | null)[] = []
  for (const l of commissionLines) {
    commissionPaid.push(l === null ? null : l.amountMinor)
    if (l !== null) lines.push(l)
  }
  for (const l of spiffLines) lines.push(l)
  for (const l of input.clawbacks) lines.push(l)
  for (const l of bonusLines) lines.push(l)
  let earned = 0n
  for (const l of lines) earned += l.amountMinor
  const drawn = applyDraw(earned, state.balanceMinor, plan.draw)
  state.balanceMinor = drawn.balanceMinor
  let payoutMinor = earned
  for (const l of drawn.lines) {
    lines.push(l)
    payoutMinor += l.amountMinor
  }
  return ended === undefined
    ? { lines, outcomes, warnings, commissionPaid, payoutMinor }
    : { lines, outcomes, warnings, commissionPaid, payoutMinor, coaching: ended }
}

function evaluate(
  program: CelProgram,
  context: Record<string, unknown>,
): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: program.evaluate(context) }
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error)
    return { ok: false, error: (text.split('\n')[0] ?? text).trim() }
  }
}

/** The CEL variables of a rule's `when` (plan-language.md, "What a when can read"). */
function ruleContext(input: RepPeriodInput): Record<string, unknown> {
  const value: Record<string, number> = {}
  const quota: Record<string, number> = {}
  const attainment: Record<string, number> = {}
  const hits: Record<string, bigint> = {}
  const misses: Record<string, bigint> = {}
  const rank: Record<string, bigint> = {}
  const ranked: Record<string, bigint> = {}
  for (const m of input.metrics) {
    value[m.id] = toNumber(m.value)
    if (m.quota !== null) quota[m.id] = toNumber(m.quota)
    if (m.attainment !== null) attainment[m.id] = toNumber(m.attainment)
    hits[m.id] = BigInt(input.state.hits.get(m.id) ?? 0)
    misses[m.id] = BigInt(input.state.misses.get(m.id) ?? 0)
    const r = input.rank.get(m.id)
    if (r !== undefined) rank[m.id] = BigInt(r)
    ranked[m.id] = BigInt(input.ranked.get(m.id) ?? 0)
  }
  const context: Record<string, unknown> = {
    value,
    quota,
    attainment,
    hits,
    misses,
    rank,
    ranked,
    coaching: { active: false, passed: false, failed: false },
    rep: input.repFields,
  }
  if (input.tenure !== null) context.tenure = BigInt(input.tenure)
  return context
}
