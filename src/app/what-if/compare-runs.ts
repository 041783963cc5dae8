import type { RepJson } from '../../core/engine/result-json.ts'
import type { RepResult } from '../../core/engine/result.ts'

/**
 * What the comparison reads of a rep's result in a period: the payout, the lines and the rules
 * that fired with the keys of their effects (minor units, exact). Metrics are not read.
 */
export interface RepRun {
  readonly rep: string
  readonly payoutMinor: bigint
  readonly lines: readonly { kind: string; rule: string | null; amountMinor: bigint }[]
  readonly outcomes: readonly { rule: string; effects: readonly string[] }[]
}

/** A stored result (the data-formats JSON, amounts in minor units) as the comparison reads it. */
export function repRunOfJson(rep: Pick<RepJson, 'rep' | 'payout' | 'lines' | 'outcomes'>): RepRun {
  return {
    rep: rep.rep,
    payoutMinor: BigInt(rep.payout),
    lines: rep.lines.map((l) => ({ kind: l.kind, rule: l.rule ?? null, amountMinor: BigInt(l.amount) })),
    outcomes: rep.outcomes.map((o) => ({ rule: o.rule, effects: Object.keys(o.effects) })),
  }
}

/** An engine result as the comparison reads it (the same fields as its JSON, without formatting metrics). */
export function repRunOfResult(rep: RepResult): RepRun {
  return {
    rep: rep.rep,
    payoutMinor: rep.payoutMinor,
    lines: rep.lines.map((l) => ({ kind: l.kind, rule: l.rule ?? null, amountMinor: l.amountMinor })),
    outcomes: rep.outcomes.map((o) => ({ rule: o.rule, effects: o.effects.order })),
  }
}

/** One rep in one period: payouts in minor units and the rules that fired, actually and in the what-if. */
export interface RepPeriodComparison {
  readonly period: string
  readonly actualMinor: bigint
  readonly whatIfMinor: bigint
  readonly actualRules: readonly string[]
  readonly whatIfRules: readonly string[]
}

/** A line of the statement summed over the window: a commission, spiff or rule, or a kind (draw, carry…). */
export interface LineComparison {
  readonly kind: string
  readonly rule: string | null
  readonly actualMinor: bigint
  readonly whatIfMinor: bigint
}

export interface RepComparison {
  readonly repId: string
  readonly name: string
  readonly actualMinor: bigint
  readonly whatIfMinor: bigint
  readonly differenceMinor: bigint
  readonly lines: readonly LineComparison[]
  readonly periods: readonly RepPeriodComparison[]
}

/** A rule (incentive or consequence): how many times it came due, actually and in the what-if. */
export interface RuleComparison {
  readonly rule: string
  /** The effects it states (bonus, pto_days, forfeit, warning…), from either run. */
  readonly effects: readonly string[]
  readonly kind: 'incentive' | 'consequence' | 'both'
  readonly actual: number
  readonly whatIf: number
}

export interface WhatIfComparison {
  readonly planId: string
  readonly replaces: string
  readonly currency: string
  readonly periods: readonly string[]
  readonly reps: readonly RepComparison[]
  readonly totals: {
    readonly actualMinor: bigint
    readonly whatIfMinor: bigint
    readonly differenceMinor: bigint
  }
  readonly rules: readonly RuleComparison[]
}

const INCENTIVES = new Set(['bonus', 'pto_days', 'raise', 'boost'])

/** Compares two runs (per period, the rep entries of the calc result) rep by rep, period by period. */
export function compareRuns(args: {
  planId: string
  replaces: string
  currency: string
  periods: readonly string[]
  names: ReadonlyMap<string, string>
  actual: ReadonlyMap<string, readonly RepRun[]>
  whatIf: ReadonlyMap<string, readonly RepRun[]>
}): WhatIfComparison {
  // Per period, each rep's run (the last one listed when a rep is listed twice).
  const index = (runs: ReadonlyMap<string, readonly RepRun[]>) =>
    args.periods.map((period) => {
      const out = new Map<string, RepRun>()
      for (const rep of runs.get(period) ?? []) out.set(rep.rep, rep)
      return out
    })
  const actual = index(args.actual)
  const whatIf = index(args.whatIf)
  const repIds = new Set<string>()
  for (const byRep of [...actual, ...whatIf]) for (const repId of byRep.keys()) repIds.add(repId)
  const rules = new Map<string, { effects: Set<string>; actual: number; whatIf: number }>()
  const countRules = (rep: RepRun | undefined, side: 'actual' | 'whatIf') => {
    for (const outcome of rep?.outcomes ?? []) {
      const entry = rules.get(outcome.rule) ?? { effects: new Set<string>(), actual: 0, whatIf: 0 }
      for (const key of outcome.effects) entry.effects.add(key)
      entry[side] += 1
      rules.set(outcome.rule, entry)
    }
  }

  const reps: RepComparison[] = []
  let actualTotal = 0n
  let whatIfTotal = 0n
  for (const repId of [...repIds].sort()) {
    const lines = new Map<
      string,
      { kind: string; rule: string | null; actualMinor: bigint; whatIfMinor: bigint }
    >()
    const addLines = (rep: RepRun | undefined, side: 'actualMinor' | 'whatIfMinor') => {
      for (const line of rep?.lines ?? []) {
        const key = `${line.kind}\u0000${line.rule ?? ''}`
        const entry = lines.get(key) ?? {
          kind: line.kind,
          rule: line.rule,
          actualMinor: 0n,
          whatIfMinor: 0n,
        }
        entry[side] += line.amountMinor
        lines.set(key, entry)
      }
    }
    const periods: RepPeriodComparison[] = []
    let repActual = 0n
    let repWhatIf = 0n
    for (let i = 0; i < args.periods.length; i++) {
      const period = args.periods[i] as string
      const a = actual[i]?.get(repId)
      const w = whatIf[i]?.get(repId)
      if (a === undefined && w === undefined) continue
      countRules(a, 'actual')
      countRules(w, 'whatIf')
      addLines(a, 'actualMinor')
      addLines(w, 'whatIfMinor')
      const actualMinor = a?.payoutMinor ?? 0n
      const whatIfMinor = w?.payoutMinor ?? 0n
      repActual += actualMinor
      repWhatIf += whatIfMinor
      periods.push({
        period,
        actualMinor,
        whatIfMinor,
        actualRules: (a?.outcomes ?? []).map((o) => o.rule),
        whatIfRules: (w?.outcomes ?? []).map((o) => o.rule),
      })
    }
    actualTotal += repActual
    whatIfTotal += repWhatIf
    reps.push({
      repId,
      name: args.names.get(repId) ?? repId,
      actualMinor: repActual,
      whatIfMinor: repWhatIf,
      differenceMinor: repWhatIf - repActual,
      lines: [...lines.values()],
      periods,
    })
  }
  return {
    planId: args.planId,
    replaces: args.replaces,
    currency: args.currency,
    periods: [...args.periods],
    reps,
    totals: {
      actualMinor: actualTotal,
      whatIfMinor: whatIfTotal,
      differenceMinor: whatIfTotal - actualTotal,
    },
    rules: [...rules]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([rule, e]) => {
        const effects = [...e.effects].sort()
        const incentive = effects.some((k) => INCENTIVES.has(k))
        const consequence = effects.some((k) => !INCENTIVES.has(k))
        return {
          rule,
          effects,
          kind: incentive && consequence ? 'both' : incentive ? 'incentive' : 'consequence',
          actual: e.actual,
          whatIf: e.whatIf,
        }
      }),
  }
}
