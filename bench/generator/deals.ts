import { parseLocalDate } from '../../src/core/calendar/civil.ts'
import { type Company, type Person, employedShare, rampFactor } from './company.ts'
import type { CsvFile } from './csv-file.ts'
import { DEAL_TYPES, DealBuffer, HARDWARE, MANAGED, NONE, PROJECT, SHARE_PATTERNS } from './deal-buffer.ts'
import { type DateFormatter, formatCents, monthBounds, weekday } from './dates.ts'
import { customerName } from './names.ts'
import { sizeManagedDeals } from './size-managed.ts'
import type { Prng } from './prng.ts'

export const DEAL_HEADER = [
  'id',
  'rep',
  'closed_on',
  'type',
  'customer',
  'mrr',
  'term_months',
  'amount',
  'cancelled_on',
]

/** How a date-time's offset is written: the company zone's, US Eastern (one hour on), `Z` (null), or fixed minutes. */
const SHOWN_AS: readonly ('local' | 'eastern' | number | null)[] = ['local', 'eastern', null, 330, -420]
const SHOWN_WEIGHTS = [0.45, 0.2, 0.25, 0.05, 0.05]

export interface DealProfile {
  readonly count: number
  /** Share of deals whose closed_on is a date-time with an offset (five times that on a month's last day). */
  readonly dateTimeShare: number
}

/** What was written: deals and credits (one per rep share). */
export interface DealCounts {
  deals: number
  credits: number
}

/**
 * Writes deals.csv month by month. The deals of the year are spread over AE-months in proportion
 * to how much each AE is expected to sell (exact total by cumulative rounding); each AE-month's
 * managed MRR is then sized so that the AE's own credited MRR lands on the aimed attainment.
 */
export async function writeDeals(
  company: Company,
  prng: Prng,
  profile: DealProfile,
  out: CsvFile,
  dates: DateFormatter,
): Promise<DealCounts> {
  const { people, year } = company
  const weights = new Float64Array(people.length * 12)
  let total = 0
  let active = 0
  for (const p of people) {
    if (p.role !== 'ae') continue
    for (let m = 0; m < 12; m++) {
      const share = employedShare(p, year, m + 1)
      const form = company.form[p.index * 12 + m] as number
      const w = share === 0 || form === 0 ? 0 : share * Math.sqrt(rampFactor(p, year, m + 1) * form)
      weights[p.index * 12 + m] = w
      total += w
      if (w > 0) active++
    }
  }
  // Every AE-month with an aim gets one deal first (when there are enough), the rest by weight.
  const base = profile.count >= active ? 1 : 0
  const spread = profile.count - base * active
  const overrides = new Map<string, number>()
  for (const q of company.quotas) {
    if (q.metric === 'new_mrr')
      overrides.set(`${q.rep}|${Number(q.period.slice(5))}`, Math.round(Number(q.amount) * 100))
  }
  const counts: DealCounts = { deals: 0, credits: 0 }
  const buffer = new DealBuffer()
  const width = String(profile.count).length
  let cumulative = 0
  let allocated = 0
  for (let m = 0; m < 12; m++) {
    buffer.clear()
    const [first, last] = monthBounds(year, m + 1)
    const dayWeights = monthDayWeights(first, last)
    for (const p of people) {
      const w = weights[p.index * 12 + m] as number
      if (w === 0 || total === 0) continue
      cumulative += w
      const upTo = Math.round((cumulative / total) * spread)
      const n = base + upTo - allocated
      allocated = upTo
      if (n > 0) addRepMonth(company, prng, profile, buffer, p, m, n, first, last, dayWeights)
    }
    sizeManagedDeals(company, prng, buffer, m, last, overrides)
    const order = buffer.orderByDay(first, last - first + 1)
    let previousDay = first
    for (const i of order) {
      const day = buffer.day[i] as number
      if (day !== previousDay) {
        await out.drained()
        previousDay = day
      }
      counts.deals++
      counts.credits += SHARE_PATTERNS[buffer.pattern[i] as number]?.length ?? 1
      out.row(dealRow(company, prng, buffer, i, `D${String(counts.deals).padStart(width, '0')}`, dates))
    }
    await out.drained()
  }
  return counts
}

/** Weekdays weigh 1, weekends little; the last three days of a month weigh more (the month-end push). */
function monthDayWeights(first: number, last: number): Float64Array {
  const w = new Float64Array(last - first + 1)
  for (let d = first; d <= last; d++) {
    const wd = weekday(d)
    w[d - first] = (wd >= 5 ? 0.06 : 1) * (last - d < 3 ? 1.6 : 1)
  }
  return w
}

function pickDay(prng: Prng, weights: Float64Array, first: number, from: number, to: number): number {
  let sum = 0
  for (let d = from; d <= to; d++) sum += weights[d - first] as number
  let x = prng.float() * sum
  for (let d = from; d <= to; d++) {
    x -= weights[d - first] as number
    if (x < 0) return d
  }
  return to
}

function employedOn(p: Person, day: number): boolean {
  return p.hiredOn <= day && (p.leftOn === null || p.leftOn >= day)
}

function addRepMonth(
  company: Company,
  prng: Prng,
  profile: DealProfile,
  buffer: DealBuffer,
  p: Person,
  m: number,
  n: number,
  first: number,
  last: number,
  dayWeights: Float64Array,
): void {
  const from = Math.max(first, p.hiredOn)
  const to = Math.min(last, p.leftOn ?? last)
  const start = buffer.length
  for (let k = 0; k < n; k++) {
    const day = pickDay(prng, dayWeights, first, from, to)
    const roll = prng.float()
    const i = buffer.push(p.index, day, roll < 0.5 ? MANAGED : roll < 0.78 ? PROJECT : HARDWARE)
    shapeDeal(company, prng, profile, buffer, i, p, last)
  }
  // The aim is met with managed deals: make sure one stays credited (not cancelled this month).
  const keptInMonth = (i: number): boolean =>
    (buffer.cancelDay[i] as number) === NONE || (buffer.cancelDay[i] as number) > last
  let hasManaged = false
  for (let i = start; i < buffer.length; i++)
    if (buffer.type[i] === MANAGED && keptInMonth(i)) hasManaged = true
  if (!hasManaged) {
    buffer.type[start] = MANAGED
    buffer.amountCents[start] = 0
    if (!keptInMonth(start)) buffer.cancelDay[start] = NONE
  }
  const late = company.lateCloses.find((c) => c.rep === p.id && c.month === m + 1)
  if (late !== undefined && to === last) {
    for (let i = start; i < buffer.length; i++) {
      if (buffer.type[i] !== MANAGED) continue
      buffer.day[i] = last
      buffer.minutes[i] = 21 * 60 + 40
      buffer.shownAs[i] = SHOWN_AS.indexOf(null)
      buffer.cancelDay[i] = NONE
      break
    }
  }
  const scripted = company.cancellations.find((c) => c.rep === p.id && c.month === m + 1)
  if (scripted !== undefined) {
    for (let i = start; i < buffer.length; i++) {
      if (buffer.type[i] !== MANAGED) continue
      buffer.cancelDay[i] = parseLocalDate(scripted.cancelledOn) ?? NONE
      break
    }
  }
  for (let i = start; i < buffer.length; i++) {
    if (buffer.type[i] !== MANAGED) continue
    buffer.weight[i] = 0.35 + prng.exponential()
    buffer.termMonths[i] = prng.pick([12, 12, 12, 12, 24, 24, 24, 36, 36, 36, 36])
    if (prng.chance(0.3)) buffer.amountCents[i] = prng.between(1, 3) * 50000
  }
}

/** Type-specific amount, split, time of day and cancellation of one deal. */
function shapeDeal(
  company: Company,
  prng: Prng,
  profile: DealProfile,
  buffer: DealBuffer,
  i: number,
  p: Person,
  last: number,
): void {
  const day = buffer.day[i] as number
  const type = buffer.type[i] as number
  if (type === PROJECT) buffer.amountCents[i] = Math.round((6000 * Math.exp(0.7 * prng.normal())) / 50) * 5000
  if (type === HARDWARE)
    buffer.amountCents[i] = Math.max(9900, Math.round(350000 * Math.exp(0.8 * prng.normal())))
  if (prng.chance(0.1)) split(company, prng, buffer, i, p, day)
  const monthEnd = day === last
  if (prng.chance(monthEnd ? Math.min(1, profile.dateTimeShare * 5) : profile.dateTimeShare)) {
    buffer.minutes[i] =
      monthEnd && prng.chance(0.6) ? prng.between(19 * 60, 22 * 60 - 1) : prng.between(8 * 60, 18 * 60 - 1)
    buffer.shownAs[i] = prng.weighted(SHOWN_WEIGHTS)
  }
  const cancelRate = type === MANAGED ? 0.04 : type === PROJECT ? 0.025 : 0.015
  if (!prng.chance(cancelRate)) return
  // A date-time close is cancelled two days later at the earliest: a bare date is midnight in the
  // plan's zone, and the cancellation must not come before the close in any zone.
  const earliest = (buffer.minutes[i] as number) === NONE ? 0 : 2
  const kind = prng.float()
  if (kind < 0.35 && day + earliest <= last) buffer.cancelDay[i] = prng.between(day + earliest, last)
  else if (kind < 0.75) buffer.cancelDay[i] = prng.between(Math.max(last + 1, day + earliest), day + 90)
  else buffer.cancelDay[i] = prng.between(day + 91, day + 270)
}

/** Shares the deal with one or two teammates employed that day; stays unsplit when none are. */
function split(company: Company, prng: Prng, buffer: DealBuffer, i: number, p: Person, day: number): void {
  const team = company.teams[p.teamIndex] ?? []
  const partner = (not: number): number => {
    for (let tries = 0; tries < 8; tries++) {
      const q = team[prng.int(team.length)] as number
      if (q !== p.index && q !== not && employedOn(company.people[q] as Person, day)) return q
    }
    return NONE
  }
  const p1 = partner(NONE)
  if (p1 === NONE) return
  const threeWay = prng.chance(0.3)
  const p2 = threeWay ? partner(p1) : NONE
  if (p2 === NONE) {
    buffer.pattern[i] = prng.between(1, 4)
  } else {
    buffer.pattern[i] = prng.weighted([0, 0, 0, 0, 0, 0.4, 0.3, 0.2, 0.1])
    buffer.partner2[i] = p2
  }
  buffer.partner1[i] = p1
}

function dealRow(
  company: Company,
  prng: Prng,
  buffer: DealBuffer,
  i: number,
  id: string,
  dates: DateFormatter,
): string[] {
  const people = company.people
  const shares = SHARE_PATTERNS[buffer.pattern[i] as number] as readonly string[]
  const repOf = (k: number): string => (people[k] as Person).id
  let rep = repOf(buffer.rep[i] as number)
  if (shares.length > 1) {
    rep = `${rep}:${shares[0]};${repOf(buffer.partner1[i] as number)}:${shares[1]}`
    if (shares.length > 2) rep += `;${repOf(buffer.partner2[i] as number)}:${shares[2]}`
  }
  const day = buffer.day[i] as number
  const minutes = buffer.minutes[i] as number
  let closedOn = dates.date(day)
  if (minutes !== NONE) {
    const shown = SHOWN_AS[buffer.shownAs[i] as number]
    const local = dates.offsetMinutes(day)
    closedOn = dates.dateTime(
      day,
      minutes,
      shown === 'local' ? local : shown === 'eastern' ? local + 60 : (shown ?? null),
    )
  }
  const type = buffer.type[i] as number
  const cancelled = buffer.cancelDay[i] as number
  return [
    id,
    rep,
    closedOn,
    DEAL_TYPES[type] as string,
    customerName(prng),
    type === MANAGED ? formatCents(buffer.mrrCents[i] as number) : '',
    type === MANAGED ? String(buffer.termMonths[i]) : '',
    (buffer.amountCents[i] as number) > 0 ? formatCents(buffer.amountCents[i] as number) : '',
    cancelled === NONE ? '' : dates.date(cancelled),
  ]
}
