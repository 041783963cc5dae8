import { type Company, employedShare } from './company.ts'
import type { CsvFile } from './csv-file.ts'
import { type DateFormatter, monthBounds, weekday } from './dates.ts'
import type { Prng } from './prng.ts'

export const ACTIVITY_HEADER = ['id', 'rep', 'kind', 'occurred_on']
const KINDS = ['call', 'meeting', 'lead'] as const
const KIND_WEIGHTS = [0.8, 0.12, 0.08]
/** Meetings come from calendars (often date-times), leads sometimes from web forms, calls never. */
const DATE_TIME_SHARE = [0, 0.4, 0.15]

/**
 * Writes activities.csv month by month, ordered by day: each AE-month gets about
 * `perRepMonth` × (share of the month employed) × the AE's activity factor.
 */
export async function writeActivities(
  company: Company,
  prng: Prng,
  perRepMonth: number,
  out: CsvFile,
  dates: DateFormatter,
): Promise<number> {
  let written = 0
  let rep = new Int32Array(1024)
  let day = new Int32Array(1024)
  let kind = new Uint8Array(1024)
  let minutes = new Int16Array(1024)
  const estimate = Math.max(1, perRepMonth * company.people.length * 12)
  const width = String(Math.ceil(estimate * 1.2)).length
  for (let m = 0; m < 12; m++) {
    const [first, last] = monthBounds(company.year, m + 1)
    let n = 0
    for (const p of company.people) {
      if (p.role !== 'ae') continue
      const share = employedShare(p, company.year, m + 1)
      if (share === 0) continue
      const from = Math.max(first, p.hiredOn)
      const to = Math.min(last, p.leftOn ?? last)
      const count = prng.count(perRepMonth * share * (company.activity[p.index * 12 + m] as number))
      if (n + count > rep.length) {
        const size = Math.max(rep.length * 2, n + count)
        rep = grown(rep, size, (c) => new Int32Array(c))
        day = grown(day, size, (c) => new Int32Array(c))
        kind = grown(kind, size, (c) => new Uint8Array(c))
        minutes = grown(minutes, size, (c) => new Int16Array(c))
      }
      for (let k = 0; k < count; k++) {
        let d = prng.between(from, to)
        // Work happens on weekdays: re-draw a weekend day most of the time.
        for (let tries = 0; tries < 4 && weekday(d) >= 5 && prng.chance(0.95); tries++)
          d = prng.between(from, to)
        const kd = prng.weighted(KIND_WEIGHTS)
        rep[n] = p.index
        day[n] = d
        kind[n] = kd
        minutes[n] = prng.chance(DATE_TIME_SHARE[kd] as number) ? prng.between(8 * 60, 18 * 60 - 1) : -1
        n++
      }
    }
    // Counting sort by day, stable.
    const days = last - first + 1
    const starts = new Int32Array(days + 1)
    for (let i = 0; i < n; i++) (starts[(day[i] as number) - first + 1] as number)++
    for (let d = 1; d <= days; d++) starts[d] = (starts[d] as number) + (starts[d - 1] as number)
    const order = new Int32Array(n)
    for (let i = 0; i < n; i++) {
      const slot = (day[i] as number) - first
      order[starts[slot] as number] = i
      starts[slot] = (starts[slot] as number) + 1
    }
    for (let j = 0; j < n; j++) {
      const i = order[j] as number
      written++
      const d = day[i] as number
      const t = minutes[i] as number
      const local = t < 0 ? 0 : dates.offsetMinutes(d)
      const occurredOn = t < 0 ? dates.date(d) : dates.dateTime(d, t, prng.chance(0.5) ? local : null)
      const id = `A${String(written).padStart(width, '0')}`
      out.line(`${id},${company.people[rep[i] as number]?.id},${KINDS[kind[i] as number]},${occurredOn}`)
      if ((j & 0x3fff) === 0) await out.drained()
    }
    await out.drained()
  }
  return written
}

function grown<T extends Int32Array | Uint8Array | Int16Array>(
  a: T,
  size: number,
  make: (c: number) => T,
): T {
  const b = make(size)
  b.set(a as never)
  return b
}
