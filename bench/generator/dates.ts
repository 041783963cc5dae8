import { Temporal } from 'temporal-polyfill'
import { civilOf, epochDayOf, formatLocalDate } from '../../src/core/calendar/civil.ts'

/** Epoch days of the first and last day of a month (1–12), inclusive. */
export function monthBounds(year: number, month: number): [number, number] {
  const first = epochDayOf(year, month, 1)
  const next = month === 12 ? epochDayOf(year + 1, 1, 1) : epochDayOf(year, month + 1, 1)
  return [first, next - 1]
}

/** 0 = Monday … 6 = Sunday. */
export function weekday(epochDay: number): number {
  return (((epochDay + 3) % 7) + 7) % 7
}

/** The day of the month (1–31) of an epoch day. */
export function dayOfMonth(epochDay: number): number {
  return civilOf(epochDay)[2]
}

/** Formats dates and date-times, caching what repeats (a few hundred distinct days). */
export class DateFormatter {
  private readonly days = new Map<number, string>()
  private readonly offsets = new Map<number, number>()

  constructor(private readonly zone: string) {}

  /** 'YYYY-MM-DD'. */
  date(epochDay: number): string {
    let text = this.days.get(epochDay)
    if (text === undefined) {
      text = formatLocalDate(epochDay)
      this.days.set(epochDay, text)
    }
    return text
  }

  /** The zone's UTC offset in minutes at midday of a local date (times used are never near a transition). */
  offsetMinutes(epochDay: number): number {
    let offset = this.offsets.get(epochDay)
    if (offset === undefined) {
      const zoned = Temporal.PlainDate.from(this.date(epochDay)).toZonedDateTime({
        timeZone: this.zone,
        plainTime: '12:00',
      })
      offset = zoned.offsetNanoseconds / 60e9
      this.offsets.set(epochDay, offset)
    }
    return offset
  }

  /**
   * The instant of `localMinutes` after midnight of a local date in the zone, written as an ISO
   * 8601 date-time with the offset `shownOffset` (minutes; null writes `Z`). The text's own date
   * may differ from the local date: that is the point of offsets.
   */
  dateTime(epochDay: number, localMinutes: number, shownOffset: number | null): string {
    const utcMinutes = epochDay * 1440 + localMinutes - this.offsetMinutes(epochDay)
    const shown = utcMinutes + (shownOffset ?? 0)
    const day = Math.floor(shown / 1440)
    const minutes = shown - day * 1440
    const time = `${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}:00`
    return `${this.date(day)}T${time}${shownOffset === null ? 'Z' : formatOffset(shownOffset)}`
  }
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+'
  const abs = Math.abs(minutes)
  return `${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n)
}

/** Minor units (cents) as a decimal: 123450 → "1234.50". */
export function formatCents(cents: number): string {
  const whole = Math.floor(cents / 100)
  const rest = cents - whole * 100
  return `${whole}.${rest < 10 ? '0' : ''}${rest}`
}
