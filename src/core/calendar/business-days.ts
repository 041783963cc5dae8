import { ZoneCalendar } from './instant.ts'

/** Day of the week of an epoch day: 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
export function weekdayOf(epochDay: number): number {
  return (((epochDay + 3) % 7) + 7) % 7
}

/** Business days (Monday to Friday) from `from` to `to`, both epoch days, inclusive; 0 when to < from. */
export function countBusinessDays(from: number, to: number): number {
  if (to < from) return 0
  const days = to - from + 1
  const weeks = Math.floor(days / 7)
  let count = weeks * 5
  for (let d = from + weeks * 7; d <= to; d++) if (weekdayOf(d) < 5) count++
  return count
}

/** Business days of a period [start, end] that have passed by the end of `asOf` (epoch days): elapsed ≤ total. */
export function businessDayProgress(
  start: number,
  end: number,
  asOf: number,
): { readonly elapsed: number; readonly total: number } {
  return {
    elapsed: countBusinessDays(start, Math.min(asOf, end)),
    total: countBusinessDays(start, end),
  }
}

/** The local date (epoch day) of an instant (epoch ms) in an IANA time zone, through Temporal. */
export function localDayOf(instantMs: number, timeZone: string): number {
  return new ZoneCalendar(timeZone).localDay(instantMs)
}
