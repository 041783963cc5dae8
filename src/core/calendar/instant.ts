import { Temporal } from 'temporal-polyfill'
import { parseLocalDate } from './civil.ts'

const MS_PER_DAY = 86_400_000
const EPOCH = Temporal.PlainDate.from({ year: 1970, month: 1, day: 1 })

/** A date cell: a local date (epoch day), or an instant (epoch milliseconds) from a date-time with an offset. */
export type DateOrInstant =
  { readonly day: number; readonly ms?: undefined } | { readonly ms: number; readonly day?: undefined }

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)$/

/**
 * Reads 'YYYY-MM-DD' as a local date, or an ISO 8601 date-time with an offset ('Z' counts) as an
 * instant; null for anything else, including a date-time without an offset.
 */
export function parseDateOrInstant(text: string): DateOrInstant | null {
  if (text.length === 10) {
    const day = parseLocalDate(text)
    return day === null ? null : { day }
  }
  const m = DATE_TIME.exec(text)
  if (m === null) return null
  const day = parseLocalDate(`${m[1]}-${m[2]}-${m[3]}`)
  const hour = Number(m[4])
  const minute = Number(m[5])
  const second = m[6] === undefined ? 0 : Number(m[6])
  if (day === null || hour > 23 || minute > 59 || second > 59) return null
  const millis = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000)
  let offsetMinutes = 0
  const off = m[8] ?? 'Z'
  if (off !== 'Z' && off !== 'z') {
    const digits = off.slice(1).replace(':', '')
    const oh = Number(digits.slice(0, 2))
    const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0
    if (oh > 23 || om > 59) return null
    offsetMinutes = (off[0] === '-' ? -1 : 1) * (oh * 60 + om)
  }
  return { ms: day * MS_PER_DAY + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 + millis }
}

/** Whether the runtime knows this IANA time zone name. */
export function isTimeZone(name: string): boolean {
  try {
    new Temporal.ZonedDateTime(0n, name)
    return true
  } catch {
    return false
  }
}

/**
 * Converts between instants and local dates in one IANA time zone through Temporal, caching the
 * offset per UTC day (a zone changes its offset at most once a day).
 */
export class ZoneCalendar {
  private readonly offsetByUtcDay = new Map<number, number | null>()

  constructor(readonly timeZone: string) {}

  private offsetMsAt(ms: number): number {
    return (
      Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(this.timeZone).offsetNanoseconds /
      1_000_000
    )
  }

  /** The local date (epoch day) of an instant in this zone. */
  localDay(ms: number): number {
    const utcDay = Math.floor(ms / MS_PER_DAY)
    let offset = this.offsetByUtcDay.get(utcDay)
    if (offset === undefined) {
      const a = this.offsetMsAt(utcDay * MS_PER_DAY)
      const b = this.offsetMsAt((utcDay + 1) * MS_PER_DAY - 1)
      offset = a === b ? a : null
      this.offsetByUtcDay.set(utcDay, offset)
    }
    if (offset === null) offset = this.offsetMsAt(ms)
    return Math.floor((ms + offset) / MS_PER_DAY)
  }

  /** The local date of a date cell: a date as is, an instant converted into this zone. */
  dayOf(value: DateOrInstant): number {
    return value.ms === undefined ? value.day : this.localDay(value.ms)
  }

  /** The instant (epoch ms) of a date cell: an instant as is, a date at 00:00 in this zone. */
  instantOf(value: DateOrInstant): number {
    if (value.ms !== undefined) return value.ms
    return this.startOfDay(value.day)
  }

  /** The instant at which a local date starts in this zone. */
  startOfDay(epochDay: number): number {
    return EPOCH.add({ days: epochDay }).toZonedDateTime({ timeZone: this.timeZone }).epochMilliseconds
  }
}
