import type { PeriodKind } from '../calendar/period.ts'
import {
  formatExact,
  formatFixed,
  mul,
  ratio,
  roundHalfAwayFromZero,
  type Rational,
} from '../money/rational.ts'
import type { Effects } from '../plans/plan.ts'
import type { Line, MetricResult, RepResult, RunResult } from './result.ts'

/** The JSON result of `calc`, exactly as data-formats.md defines it. */
export interface ResultJson {
  plans: PlanJson[]
}

export interface PlanJson {
  id: string
  currency: string
  period: PeriodKind
  periods: PeriodJson[]
}

export interface PeriodJson {
  period: string
  start: string
  end: string
  reps: RepJson[]
}

export interface RepJson {
  rep: string
  metrics: Record<string, MetricJson>
  lines: LineJson[]
  outcomes: OutcomeJson[]
  payout: number
  balance: number
  warnings: string[]
}

export interface MetricJson {
  /** Minor units for a money metric; otherwise exact, or rounded to 6 places. */
  value: number
  quota: number | null
  /** Six decimal places, half away from zero. */
  attainment: string | null
}

export interface LineJson {
  kind: Line['kind']
  rule?: string
  deal?: string
  amount: number
  forfeited: number
  capped: number
}

export interface OutcomeJson {
  rule: string
  effects: EffectsJson
}

/** A fired rule's effects under the plan's own keys, in the order the plan wrote them. */
export interface EffectsJson {
  bonus?: number
  forfeit?: string[] | 'all'
  boost?: { rule: string; by: string; periods: number }
  pto_days?: number
  raise?: string
  warning?: string
  coaching?: { periods: number; pass: string; program?: string }
  termination_review?: string
}

/** A result that JSON numbers cannot carry exactly (an amount beyond ±2^53 − 1 minor units). */
export class ResultRangeError extends Error {
  readonly code = 'result.out_of_range'
  constructor(
    message: string,
    readonly details: {
      readonly plan: string
      readonly period: string
      readonly rep: string
      readonly field: string
    },
  ) {
    super(message)
    this.name = 'ResultRangeError'
  }
}

interface Where {
  readonly plan: string
  readonly period: string
  readonly rep: string
}

const MAX = BigInt(Number.MAX_SAFE_INTEGER)

function safeNumber(minor: bigint, at: Where, field: string): number {
  if (minor > MAX || minor < -MAX) {
    throw new ResultRangeError(
      `${field} of ${at.rep} in ${at.plan} ${at.period} is ${minor} minor units, beyond the range JSON numbers carry exactly`,
      { ...at, field },
    )
  }
  return Number(minor)
}

/** An exact number: its decimal when that ends, else rounded to 6 places (half away from zero). */
function plainNumber(value: Rational): number {
  return Number(formatExact(value) ?? formatFixed(value, 6))
}

/** The shortest decimal text of a factor, or 6 places when its decimal does not end. */
function factorText(value: Rational): string {
  return formatExact(value) ?? formatFixed(value, 6)
}

function metricJson(m: MetricResult, digits: number, at: Where): MetricJson {
  const scale = ratio(10n ** BigInt(digits))
  const number = (v: Rational, field: string): number =>
    m.money ? safeNumber(roundHalfAwayFromZero(mul(v, scale)), at, field) : plainNumber(v)
  return {
    value: number(m.value, `metric ${m.id} value`),
    quota: m.quota === null ? null : number(m.quota, `metric ${m.id} quota`),
    attainment: m.attainment === null ? null : formatFixed(m.attainment, 6),
  }
}

function lineJson(line: Line, at: Where): LineJson {
  const what = `${line.kind} line${line.rule === undefined ? '' : ` ${line.rule}`}`
  return {
    kind: line.kind,
    ...(line.rule === undefined ? {} : { rule: line.rule }),
    ...(line.deal === undefined ? {} : { deal: line.deal }),
    amount: safeNumber(line.amountMinor, at, `${what} amount`),
    forfeited: safeNumber(line.forfeitedMinor, at, `${what} forfeited`),
    capped: safeNumber(line.cappedMinor, at, `${what} capped`),
  }
}

/** The effects as written, in `effects.order`; money in minor units, factors as shortest decimals. */
function toEffectsJson(effects: Effects, at: Where & { readonly rule: string }): EffectsJson {
  const json: EffectsJson = {}
  for (const key of effects.order) {
    switch (key) {
      case 'bonus':
        if (effects.bonusMinor !== undefined)
          json.bonus = safeNumber(effects.bonusMinor, at, `bonus of ${at.rule}`)
        break
      case 'forfeit':
        if (effects.forfeit !== undefined)
          json.forfeit = effects.forfeit === 'all' ? 'all' : [...effects.forfeit]
        break
      case 'boost':
        if (effects.boost !== undefined) {
          const b = effects.boost
          json.boost = { rule: b.rule, by: factorText(b.by), periods: b.periods }
        }
        break
      case 'pto_days':
        if (effects.ptoDays !== undefined) json.pto_days = plainNumber(effects.ptoDays)
        break
      case 'raise':
        if (effects.raise !== undefined) json.raise = factorText(effects.raise)
        break
      case 'warning':
        if (effects.warning !== undefined) json.warning = effects.warning
        break
      case 'coaching':
        if (effects.coaching !== undefined) {
          const c = effects.coaching
          json.coaching = { periods: c.periods, pass: c.pass.source }
          if (c.program !== undefined) json.coaching.program = c.program
        }
        break
      case 'termination_review':
        if (effects.terminationReview !== undefined) json.termination_review = effects.terminationReview
        break
    }
  }
  return json
}

function repJson(r: RepResult, digits: number, at: Where): RepJson {
  // fromEntries defines own properties, so a metric named `__proto__` stays a plain key.
  const metrics: Record<string, MetricJson> = Object.fromEntries(
    r.computed ? r.metrics.map((m) => [m.id, metricJson(m, digits, at)]) : [],
  )
  return {
    rep: r.rep,
    metrics,
    lines: r.lines.map((l) => lineJson(l, at)),
    outcomes: r.outcomes.map((o) => ({
      rule: o.rule,
      effects: toEffectsJson(o.effects, { ...at, rule: o.rule }),
    })),
    payout: safeNumber(r.payoutMinor, at, 'payout'),
    balance: safeNumber(r.balanceMinor, at, 'balance'),
    warnings: [...r.warnings],
  }
}

/**
 * The run as the data-formats JSON contract: money in integer minor units (throws
 * ResultRangeError beyond the safe-integer range), attainment with 6 places, half away from zero.
 */
export function toResultJson(result: RunResult): ResultJson {
  return {
    plans: result.plans.map((p) => ({
      id: p.id,
      currency: p.currency.code,
      period: p.period,
      periods: p.periods.map((period) => ({
        period: period.period,
        start: period.start,
        end: period.end,
        reps: period.reps.map((r) =>
          repJson(r, p.currency.digits, { plan: p.id, period: period.period, rep: r.rep }),
        ),
      })),
    })),
  }
}

/** The JSON result as text, indented by two spaces (no trailing newline). */
export function formatResultJson(result: RunResult): string {
  return JSON.stringify(toResultJson(result), null, 2)
}
