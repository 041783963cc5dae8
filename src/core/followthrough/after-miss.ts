import { parsePeriodKey, periodKey } from '../calendar/period.ts'
import { isMiss, type OutcomeItem, statusOn } from './outcome-item.ts'
import { welchInterval, type WelchInterval } from './welch.ts'

/** A rep's attainment in a closed period (the plan's primary metric, as a factor: 1 = 100%). */
export interface RepAttainment {
  readonly rep: string
  readonly team: string
  readonly period: string
  readonly attainment: number
}

export interface AfterMissGroup {
  /** Team-periods in this group, and the other reps' attainments in each next period. */
  readonly periods: readonly string[]
  readonly attainments: readonly number[]
}

export interface AfterMissResult {
  /** A team name, or 'all teams'. */
  readonly team: string
  readonly unenforced: AfterMissGroup
  readonly enforced: AfterMissGroup
  /** Unenforced minus enforced mean attainment (factors), 95% Welch interval; null below the minimum. */
  readonly interval: WelchInterval | null
  readonly sentence: string
}

/** Fewer rep-periods than this in either group gives "not enough data yet". */
export const AFTER_MISS_MINIMUM = 5

/**
 * "Word spreads": for each team (and all teams together), the attainment in the next period of the
 * team's OTHER reps (not the reps who missed) after periods with an unenforced miss (a miss
 * waived or overdue at `asOf`) against periods whose misses were all applied. Team-periods
 * without misses, or with a miss still pending, are left out. Observations are rep-periods.
 */
export function analyseAfterMiss(
  outcomes: readonly OutcomeItem[],
  attainments: readonly RepAttainment[],
  asOf: string,
  minimum = AFTER_MISS_MINIMUM,
): AfterMissResult[] {
  const byTeamPeriod = new Map<
    string,
    { team: string; period: string; missed: Set<string>; statuses: string[] }
  >()
  for (const o of outcomes) {
    if (!isMiss(o)) continue
    const key = `${o.team}\u0000${o.period}`
    let entry = byTeamPeriod.get(key)
    if (entry === undefined) {
      entry = { team: o.team, period: o.period, missed: new Set(), statuses: [] }
      byTeamPeriod.set(key, entry)
    }
    entry.missed.add(o.rep)
    entry.statuses.push(statusOn(o, asOf))
  }
  const attained = new Map<string, RepAttainment[]>()
  for (const a of attainments) {
    const key = `${a.team}\u0000${a.period}`
    const list = attained.get(key)
    if (list === undefined) attained.set(key, [a])
    else list.push(a)
  }
  const teams = new Map<string, { unenforced: Mutable; enforced: Mutable }>()
  const all = { unenforced: empty(), enforced: empty() }
  for (const tp of byTeamPeriod.values()) {
    const unenforced = tp.statuses.some((s) => s === 'waived' || s === 'overdue')
    const enforced = tp.statuses.every((s) => s === 'applied_on_time' || s === 'applied_late')
    if (!unenforced && !enforced) continue
    const next = nextPeriod(tp.period)
    if (next === null) continue
    const others = (attained.get(`${tp.team}\u0000${next}`) ?? []).filter((a) => !tp.missed.has(a.rep))
    if (others.length === 0) continue
    let team = teams.get(tp.team)
    if (team === undefined) {
      team = { unenforced: empty(), enforced: empty() }
      teams.set(tp.team, team)
    }
    for (const target of [team, all]) {
      const group = unenforced ? target.unenforced : target.enforced
      group.periods.push(tp.period)
      for (const a of others) group.attainments.push(a.attainment)
    }
  }
  const out = [...teams.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((team) => result(team, teams.get(team) ?? { unenforced: empty(), enforced: empty() }, minimum))
  if (teams.size > 1) out.push(result('all teams', all, minimum))
  return out
}

interface Mutable {
  periods: string[]
  attainments: number[]
}

const empty = (): Mutable => ({ periods: [], attainments: [] })

function nextPeriod(key: string): string | null {
  const parsed = parsePeriodKey(key)
  return parsed === null ? null : periodKey(parsed.kind, parsed.index + 1)
}

function result(
  team: string,
  groups: { unenforced: Mutable; enforced: Mutable },
  minimum: number,
): AfterMissResult {
  const sort = (g: Mutable): AfterMissGroup => ({
    periods: [...g.periods].sort(),
    attainments: g.attainments,
  })
  const unenforced = sort(groups.unenforced)
  const enforced = sort(groups.enforced)
  const nU = unenforced.attainments.length
  const nE = enforced.attainments.length
  const least = Math.max(2, minimum)
  if (nU < least || nE < least) {
    return {
      team,
      unenforced,
      enforced,
      interval: null,
      sentence:
        `Not enough data yet for ${team}: ${nU} rep-period${nU === 1 ? '' : 's'} after unenforced misses and ` +
        `${nE} after misses that were all followed through; at least ${least} of each are needed.`,
    }
  }
  const interval = welchInterval(unenforced.attainments, enforced.attainments)
  return { team, unenforced, enforced, interval, sentence: sentenceOf(team, interval) }
}

const points = (factor: number): string => `${(factor * 100).toFixed(1)} points`

function sentenceOf(team: string, i: WelchInterval): string {
  const range = `95% interval ${(i.low * 100).toFixed(1)} to ${(i.high * 100).toFixed(1)} points; ${i.nA} vs ${i.nB} rep-periods`
  const who = team === 'all teams' ? 'the other reps of the same team' : `the other reps of ${team}`
  if (i.low > 0 || i.high < 0) {
    const direction = i.difference < 0 ? 'less' : 'more'
    return (
      `After an unenforced miss, ${who} reached ${points(Math.abs(i.difference))} ${direction} of their goal ` +
      `the next period than after misses that were followed through (${range}).`
    )
  }
  return (
    `No clear difference yet: after an unenforced miss, ${who} reached ${points(i.difference)} of goal ` +
    `against misses that were followed through, but the interval includes no difference (${range}).`
  )
}
