/** The states of an outcome's lifecycle as stored. */
export type OutcomeState = 'due' | 'applied' | 'waived' | 'overdue'

/** Where an outcome stands on a given date (see `statusOn`). */
export type OutcomeStatus = 'applied_on_time' | 'applied_late' | 'waived' | 'overdue' | 'pending'

/** One stated incentive or consequence, as the follow-through figures read it. */
export interface OutcomeItem {
  readonly id: string
  /** Period key ('2026-01') of the close that opened it, and the period's last local date. */
  readonly period: string
  readonly periodEnd: string
  readonly rep: string
  /** The outcome's owner (the rep's manager when the close opened it); null without one. */
  readonly manager: string | null
  readonly team: string
  readonly rule: string
  /** Effect keys as the plan writes them (`warning`, `forfeit`, …). */
  readonly effects: readonly string[]
  readonly state: OutcomeState
  /** Local dates 'YYYY-MM-DD'; null when not set. */
  readonly dueOn: string | null
  readonly appliedOn: string | null
  readonly waivedOn: string | null
  /** Money the plan stated for this outcome (a bonus, or what a forfeit took) and what was applied, minor units. */
  readonly moneyStatedMinor: bigint
  readonly moneyAppliedMinor: bigint
}

/** Effects that are consequences of a miss; an outcome with one of them records a miss. */
export const CONSEQUENCE_EFFECTS: readonly string[] = ['forfeit', 'warning', 'coaching', 'termination_review']

/** Effects the close applies itself (money and boosts): counted in money, not in the follow-through counts. */
export const MONEY_EFFECTS: readonly string[] = ['bonus', 'forfeit', 'boost']

/** Whether someone has to carry the outcome out: it has an effect the close does not apply itself. */
export function needsFollowThrough(item: Pick<OutcomeItem, 'effects'>): boolean {
  return item.effects.some((e) => !MONEY_EFFECTS.includes(e))
}

/** Whether the outcome records a miss: its rule fired with at least one consequence effect. */
export function isMiss(item: Pick<OutcomeItem, 'effects'>): boolean {
  return item.effects.some((e) => CONSEQUENCE_EFFECTS.includes(e))
}

/**
 * Where an outcome stood at the end of `asOf` (a local date): applied (on time when applied on
 * or before its due date) or waived on or before `asOf`; otherwise overdue once its due date has
 * passed, else pending. Dates compare as 'YYYY-MM-DD' text.
 */
export function statusOn(item: OutcomeItem, asOf: string): OutcomeStatus {
  if (item.state === 'applied' && item.appliedOn !== null && item.appliedOn <= asOf) {
    return item.dueOn === null || item.appliedOn <= item.dueOn ? 'applied_on_time' : 'applied_late'
  }
  if (item.state === 'waived' && item.waivedOn !== null && item.waivedOn <= asOf) return 'waived'
  if (item.dueOn !== null && item.dueOn < asOf) return 'overdue'
  if (item.state === 'overdue' && item.dueOn === null) return 'overdue'
  return 'pending'
}
