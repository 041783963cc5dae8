import { civilOf, epochDayOf } from '../../src/core/calendar/civil.ts'
import { monthBounds } from './dates.ts'
import { emailLocalPart, personName } from './names.ts'
import type { Prng } from './prng.ts'

export type Role = 'director' | 'manager' | 'ae'

/** Plan ids the generated reps are assigned to (examples/plan.yaml and examples/manager-plan.yaml). */
export const AE_PLAN = 'msp-ae'
export const MANAGER_PLAN = 'msp-mgr'

/** What the generator assumes of the AE plan to aim attainment: the example plan's quota and ramp. */
export const AE_QUOTA_MRR_CENTS = 400_000
export const AE_RAMP = [0.25, 0.5, 0.75] as const

export interface Person {
  readonly index: number
  readonly id: string
  readonly name: string
  readonly email: string
  readonly role: Role
  /** Index of the manager, -1 for none. */
  readonly manager: number
  readonly team: string
  /** The team an AE or manager belongs to, -1 for a director. */
  readonly teamIndex: number
  readonly plan: string
  /** Epoch days, inclusive. */
  readonly hiredOn: number
  readonly leftOn: number | null
}

export interface QuotaRow {
  readonly rep: string
  readonly period: string
  readonly metric: string
  readonly amount: string
}

/** A deal the example profile fixes in advance, so that the example tells its story. */
export interface ScriptedCancellation {
  readonly rep: string
  /** 1–12: the first managed deal of the rep in this month is cancelled … */
  readonly month: number
  /** … on this local date. */
  readonly cancelledOn: string
}

/** A deal the example profile closes late on a month's last day, written in UTC (the next day's date). */
export interface ScriptedLateClose {
  readonly rep: string
  /** 1–12: the rep's first managed deal of this month. */
  readonly month: number
}

export interface Company {
  readonly year: number
  /** The time zone the company works in: local times of date-times are chosen in it. */
  readonly zone: string
  readonly people: readonly Person[]
  /** AE indexes of each team. */
  readonly teams: readonly (readonly number[])[]
  /** The attainment of new MRR aimed at, per person and month: index person × 12 + month (0–11). */
  readonly form: Float64Array
  /** How busy a person is with calls, meetings and leads, per person and month, 1 = average. */
  readonly activity: Float64Array
  readonly quotas: readonly QuotaRow[]
  readonly cancellations: readonly ScriptedCancellation[]
  readonly lateCloses: readonly ScriptedLateClose[]
}

/** The share of a month (0–1) a person is employed in, by days. */
export function employedShare(person: Person, year: number, month: number): number {
  const [first, last] = monthBounds(year, month)
  const from = Math.max(first, person.hiredOn)
  const to = Math.min(last, person.leftOn ?? last)
  return to < from ? 0 : (to - from + 1) / (last - first + 1)
}

/** The AE plan's ramp factor for a month: 1 in the month of hiring is `AE_RAMP[0]`. */
export function rampFactor(person: Person, year: number, month: number): number {
  const [hy, hm] = civilOf(person.hiredOn)
  const tenure = (year - hy) * 12 + (month - hm) + 1
  return tenure >= 1 && tenure <= AE_RAMP.length ? (AE_RAMP[tenure - 1] as number) : 1
}

/**
 * A company of `size` people: about one director per 90, teams of about eight AEs under a manager,
 * managers under directors. Most were hired in earlier years; some are hired during `year`, a
 * few leave during it, and a few had already left.
 */
export function buildCompany(prng: Prng, size: number, year: number): Company {
  const directors = Math.max(1, Math.round(size / 90))
  const managers = Math.max(1, Math.round((size - directors) / 9))
  const aes = Math.max(0, size - directors - managers)
  const people: Person[] = []
  const teams: number[][] = []
  const regions = ['Central', 'East', 'West', 'North', 'South', 'Mountain', 'Pacific', 'Gulf']
  const width = String(size).length
  const id = (prefix: string, n: number): string => `${prefix}${String(n).padStart(width, '0')}`
  const jan1 = epochDayOf(year, 1, 1)
  const dec31 = epochDayOf(year, 12, 31)
  const add = (
    role: Role,
    n: number,
    manager: number,
    team: string,
    teamIndex: number,
    hiredOn: number,
    leftOn: number | null,
  ): void => {
    const name = personName(prng)
    const index = people.length
    people.push({
      index,
      id: id(role === 'director' ? 'd' : role === 'manager' ? 'm' : 'r', n),
      name,
      email: `${emailLocalPart(name)}.${index + 1}@northwind-msp.example`,
      role,
      manager,
      team,
      teamIndex,
      plan: role === 'ae' ? AE_PLAN : role === 'manager' ? MANAGER_PLAN : '',
      hiredOn,
      leftOn,
    })
  }
  for (let d = 0; d < directors; d++) {
    add(
      'director',
      d + 1,
      -1,
      `${regions[d % regions.length]} Division`,
      -1,
      jan1 - prng.between(3 * 365, 12 * 365),
      null,
    )
  }
  for (let m = 0; m < managers; m++) {
    const region = regions[m % regions.length] as string
    const team = `${region} ${Math.floor(m / regions.length) + 1}`
    teams.push([])
    add('manager', m + 1, m % directors, team, m, jan1 - prng.between(365, 10 * 365), null)
  }
  for (let a = 0; a < aes; a++) {
    const teamIndex = a % managers
    const manager = directors + teamIndex
    const roll = prng.float()
    let hiredOn: number
    let leftOn: number | null = null
    if (roll < 0.12) hiredOn = prng.between(jan1 + 4, epochDayOf(year, 11, 30))
    else if (roll < 0.16) hiredOn = prng.between(epochDayOf(year - 1, 10, 1), jan1 - 1)
    else hiredOn = prng.between(jan1 - 6 * 365, jan1 - 92)
    const leave = prng.float()
    if (leave < 0.06) {
      const earliest = Math.max(epochDayOf(year, 2, 1), hiredOn + 60)
      const latest = epochDayOf(year, 12, 15)
      if (earliest <= latest) leftOn = prng.between(earliest, latest)
    } else if (leave < 0.07 && hiredOn < jan1 - 400) {
      leftOn = prng.between(jan1 - 300, jan1 - 1)
    }
    const team = people[manager]?.team ?? ''
    ;(teams[teamIndex] as number[]).push(people.length)
    add('ae', a + 1, manager, team, teamIndex, hiredOn, leftOn)
  }
  return {
    year,
    zone: 'America/Chicago',
    people,
    teams,
    form: formOf(prng, people),
    activity: activityOf(prng, people),
    quotas: quotaOverrides(prng, people, year, dec31),
    cancellations: [],
    lateCloses: [],
  }
}

/** Each AE's skill (log-normal) times a month-to-month form that drifts (AR(1) in log space). */
function formOf(prng: Prng, people: readonly Person[]): Float64Array {
  const form = new Float64Array(people.length * 12)
  for (const p of people) {
    if (p.role !== 'ae') continue
    const skill = 0.95 * Math.exp(0.28 * prng.normal())
    let drift = 0.3 * prng.normal()
    for (let m = 0; m < 12; m++) {
      form[p.index * 12 + m] = Math.min(3, skill * Math.exp(drift))
      drift = 0.45 * drift + Math.sqrt(1 - 0.45 * 0.45) * 0.3 * prng.normal()
    }
  }
  return form
}

function activityOf(prng: Prng, people: readonly Person[]): Float64Array {
  const activity = new Float64Array(people.length * 12)
  for (const p of people) {
    if (p.role !== 'ae') continue
    const discipline = Math.exp(0.15 * prng.normal())
    for (let m = 0; m < 12; m++) activity[p.index * 12 + m] = discipline * Math.exp(0.08 * prng.normal())
  }
  return activity
}

/** A few quota overrides: territory changes for some AEs and managers, a month of leave for others. */
function quotaOverrides(prng: Prng, people: readonly Person[], year: number, dec31: number): QuotaRow[] {
  const rows: QuotaRow[] = []
  const key = (m: number): string => `${year}-${String(m).padStart(2, '0')}`
  for (const p of people) {
    if (p.leftOn !== null && p.leftOn < dec31) continue
    if (p.role === 'ae' && prng.chance(0.03)) {
      const from = prng.between(1, 10)
      const amount = `${prng.between(6, 12) * 500}.00`
      for (let m = from; m < from + 3; m++)
        rows.push({ rep: p.id, period: key(m), metric: 'new_mrr', amount })
    } else if (p.role === 'ae' && prng.chance(0.02)) {
      rows.push({
        rep: p.id,
        period: key(prng.between(1, 12)),
        metric: 'calls',
        amount: String(prng.between(12, 20) * 10),
      })
    } else if (p.role === 'manager' && prng.chance(0.05)) {
      const amount = `${prng.between(40, 64) * 500}.00`
      rows.push({ rep: p.id, period: key(prng.between(1, 12)), metric: 'team_new_mrr', amount })
    }
  }
  return rows
}
