import { formatLocalDate, parseLocalDate } from '../../core/calendar/civil.ts'
import { localDayOf } from '../../core/calendar/business-days.ts'
import { DomainError } from '../../core/domain-error.ts'
import type { Queryable } from '../ports/sql.ts'

/** The organization's IANA time zone ('UTC' when unknown). */
export async function orgTimeZone(db: Queryable, orgId: string): Promise<string> {
  const [row] = await db.query<{ timezone: string }>('select timezone from organizations where id = $1', [
    orgId,
  ])
  return row?.timezone ?? 'UTC'
}

/** The as-of local date: the one given (checked), else today in the organization's time zone. */
export async function resolveAsOf(db: Queryable, orgId: string, now: Date, asOf?: string): Promise<string> {
  if (asOf !== undefined) {
    if (parseLocalDate(asOf) === null)
      throw new DomainError('report.bad_date', `"${asOf}" is not a date (YYYY-MM-DD).`, { asOf })
    return asOf
  }
  return formatLocalDate(localDayOf(now.getTime(), await orgTimeZone(db, orgId)))
}

/** An instant from the database (Date or text) as a local date in a time zone; null stays null. */
export function localDateOf(value: unknown, timeZone: string): string | null {
  if (value === null || value === undefined) return null
  const ms = value instanceof Date ? value.getTime() : Date.parse(String(value))
  return Number.isNaN(ms) ? null : formatLocalDate(localDayOf(ms, timeZone))
}
