import { Temporal } from 'temporal-polyfill'
import { daysInMonth } from '../calendar/civil.ts'

// Date formats of exports, written with the tokens people know from spreadsheets and moment.js:
// YYYY YY MMM MM M DD D HH H hh h mm ss SSS a Z; any other character stands for itself, a space
// for any run of spaces. MM and M (DD and D, HH and H, hh and h) both accept one or two digits.

const TOKENS = ['YYYY', 'YY', 'MMM', 'MM', 'M', 'DD', 'D', 'HH', 'H', 'hh', 'h', 'mm', 'ss', 'SSS', 'a', 'Z']
const PATTERN: Record<string, string> = {
  YYYY: '(\\d{4})',
  YY: '(\\d{2})',
  MMM: '([A-Za-z]{3,9})',
  MM: '(\\d{1,2})',
  M: '(\\d{1,2})',
  DD: '(\\d{1,2})',
  D: '(\\d{1,2})',
  HH: '(\\d{1,2})',
  H: '(\\d{1,2})',
  hh: '(\\d{1,2})',
  h: '(\\d{1,2})',
  mm: '(\\d{2})',
  ss: '(\\d{2})',
  SSS: '(\\d{1,9})',
  a: '([AaPp]\\.?[Mm]\\.?)',
  Z: '(Z|z|[+-]\\d{2}:?\\d{2})',
}
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']

/** A compiled date format. */
export interface DateFormat {
  readonly source: string
  readonly regex: RegExp
  readonly tokens: readonly string[]
  /** Whether the format reads a time of day. */
  readonly hasTime: boolean
  /** Whether the format reads an offset (Z). */
  readonly hasOffset: boolean
}

/** Compiles a format; a message when it has no year, month and day, or mixes 12- and 24-hour clocks. */
export function compileDateFormat(source: string): DateFormat | string {
  let regex = '^'
  const tokens: string[] = []
  for (let i = 0; i < source.length;) {
    const token = TOKENS.find((t) => source.startsWith(t, i))
    if (token !== undefined) {
      regex += PATTERN[token]
      tokens.push(token)
      i += token.length
    } else if (source[i] === ' ') {
      regex += '\\s+'
      while (source[i] === ' ') i++
    } else {
      regex += (source[i] ?? '').replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')
      i++
    }
  }
  const has = (...names: string[]): boolean => names.some((n) => tokens.includes(n))
  if (!has('YYYY', 'YY') || !has('MMM', 'MM', 'M') || !has('DD', 'D')) {
    return `date format "${source}" needs a year (YYYY), a month (MM or M) and a day (DD or D)`
  }
  if (has('hh', 'h') !== has('a')) {
    return `date format "${source}": a 12-hour clock (h, hh) goes with AM/PM (a), a 24-hour clock is H or HH`
  }
  if (new Set(tokens).size !== tokens.length) return `date format "${source}" reads the same part twice`
  return {
    source,
    regex: new RegExp(`${regex}$`),
    tokens,
    hasTime: has('HH', 'H', 'hh', 'h'),
    hasOffset: has('Z'),
  }
}

/** How a date-time without an offset in the text becomes an instant, or a date. */
export interface DateZone {
  /** An IANA zone the local time is in. */
  readonly timezone: string | null
  /** A fixed offset such as "-05:00". */
  readonly offset: string | null
  /** Keep only the date of a date-time. */
  readonly dropTime: boolean
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0')

/**
 * Reads `text` with the first format that matches: 'YYYY-MM-DD' for a date (or a date-time with
 * dropTime), else an ISO 8601 date-time with its offset ('2026-01-15T14:30:00-05:00'), the offset
 * of an IANA zone being the one in force at that local time (Temporal: the earlier of a repeated
 * hour; a time skipped by summer time moves forward by the gap). Null when no format matches, or
 * the date or time does not exist (a format with a time and no offset needs a zone or dropTime).
 */
export function applyDateFormat(text: string, formats: readonly DateFormat[], zone: DateZone): string | null {
  for (const format of formats) {
    const m = format.regex.exec(text)
    if (m === null) continue
    return readParts(format, m, zone)
  }
  return null
}

function readParts(format: DateFormat, m: RegExpExecArray, zone: DateZone): string | null {
  let year = 0
  let month = 0
  let day = 0
  let hour = 0
  let minute = 0
  let second = 0
  let fraction = ''
  let pm: boolean | null = null
  let offset: string | null = null
  format.tokens.forEach((token, k) => {
    const part = m[k + 1] ?? ''
    const n = Number(part)
    if (token === 'YYYY') year = n
    else if (token === 'YY') year = 2000 + n
    else if (token === 'MMM') month = MONTHS.indexOf(part.slice(0, 3).toLowerCase()) + 1
    else if (token === 'MM' || token === 'M') month = n
    else if (token === 'DD' || token === 'D') day = n
    else if (token === 'HH' || token === 'H' || token === 'hh' || token === 'h') hour = n
    else if (token === 'mm') minute = n
    else if (token === 'ss') second = n
    else if (token === 'SSS') fraction = part
    else if (token === 'a') pm = part[0] === 'p' || part[0] === 'P'
    else if (token === 'Z')
      offset = part === 'Z' || part === 'z' ? 'Z' : `${part.slice(0, 3)}:${part.slice(-2)}`
  })
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null
  if (pm !== null) {
    if (hour < 1 || hour > 12) return null
    hour = (hour % 12) + (pm ? 12 : 0)
  }
  if (hour > 23 || minute > 59 || second > 59) return null
  const date = `${pad(year, 4)}-${pad(month)}-${pad(day)}`
  if (!format.hasTime || zone.dropTime) return date
  const time = `${pad(hour)}:${pad(minute)}:${pad(second)}${fraction === '' ? '' : `.${fraction}`}`
  const stated = offset ?? zone.offset
  if (stated !== null) return `${date}T${time}${stated}`
  if (zone.timezone === null) return null
  // A time skipped by a change to summer time moves forward by the gap, as clocks did.
  const local = Temporal.PlainDateTime.from(`${date}T${time}`)
  const zoned = local.toZonedDateTime(zone.timezone, { disambiguation: 'compatible' })
  return zoned.toString({ timeZoneName: 'never' })
}
