import { weekdayOf } from '../../core/calendar/business-days.ts'
import { localDayOf } from '../../core/calendar/business-days.ts'
import { formatLocalDate } from '../../core/calendar/civil.ts'

/** The week of an instant in a time zone, named by its Monday: 'week-2026-01-12'. */
export function weekOf(now: Date, timeZone: string): string {
  const day = localDayOf(now.getTime(), timeZone)
  return `week-${formatLocalDate(day - weekdayOf(day))}`
}

/** Day of the week of an instant in a time zone: 0 = Monday … 6 = Sunday. */
export function weekdayAt(now: Date, timeZone: string): number {
  return weekdayOf(localDayOf(now.getTime(), timeZone))
}
