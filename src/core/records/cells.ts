import { parseLocalDate } from '../calendar/civil.ts'
import { parseDateOrInstant, type DateOrInstant } from '../calendar/instant.ts'
import type { Plan } from '../plans/plan.ts'

// Cell readers shared by the files: each returns the value, or a message saying what is wrong
// with the cell (a string), for the caller to report at the row's line.

/** A cell's text in a message: quoted and escaped. */
export const quote = (text: string): string => JSON.stringify(text)

/** The run's currency as the readers need it: minor digits, and the code for messages. */
export interface CurrencyDigits {
  readonly digits: number
  readonly code: string | null
}

/** The run's currency: all plans share one; 2 digits when there is no plan. */
export function currencyOf(plans: readonly Plan[]): CurrencyDigits {
  const first = plans[0]
  return first === undefined
    ? { digits: 2, code: null }
    : { digits: first.currency.digits, code: first.currency.code }
}

const MONEY = /^([+-]?)(\d+)(?:\.(\d+))?$/

/**
 * A money cell in currency units as minor units: a safe integer ≥ 0, read from the text without
 * floating point; the message when it is malformed, negative, too precise or too large.
 */
export function parseMoneyCell(column: string, text: string, currency: CurrencyDigits): number | string {
  const m = MONEY.exec(text)
  if (m === null) return `${column} ${quote(text)} is not an amount`
  const frac = m[3] ?? ''
  const whole = m[2] ?? ''
  if (m[1] === '-' && /[1-9]/.test(whole + frac)) return `${column} ${text} is negative`
  if (frac.length > currency.digits) {
    const code = currency.code === null ? '' : ` of ${currency.code}`
    return `${column} ${quote(text)} has more than the ${currency.digits} decimals${code}`
  }
  const minor = Number(whole + frac.padEnd(currency.digits, '0'))
  if (!Number.isSafeInteger(minor)) return `${column} ${quote(text)} is too large`
  return minor
}

/** A decimal number cell ≥ 0 (a quota of a count metric), or the message. */
export function checkNonNegativeDecimal(column: string, text: string): string | null {
  const m = MONEY.exec(text)
  if (m === null) return `${column} ${quote(text)} is not a number`
  if (m[1] === '-' && /[1-9]/.test((m[2] ?? '') + (m[3] ?? ''))) return `${column} ${text} is negative`
  return null
}

const DATE_TIME_WITHOUT_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?$/

/** A date cell: 'YYYY-MM-DD' as a local date, or an ISO date-time with an offset as an instant. */
export function parseDateCell(column: string, text: string): DateOrInstant | string {
  const value = parseDateOrInstant(text)
  if (value !== null) return value
  if (DATE_TIME_WITHOUT_OFFSET.test(text)) return `${column} ${quote(text)} is a date-time without an offset`
  return `${column} ${quote(text)} is not a date (YYYY-MM-DD) or a date-time with an offset`
}

/** A cell that must be a local date 'YYYY-MM-DD', as an epoch day. */
export function parseDayCell(column: string, text: string): number | string {
  return parseLocalDate(text) ?? `${column} ${quote(text)} is not a date (YYYY-MM-DD)`
}

/** A whole number ≥ 0 (term_months). */
export function parseWholeCell(column: string, text: string): number | string {
  if (!/^\d{1,15}$/.test(text)) return `${column} ${quote(text)} is not a whole number`
  return Number(text)
}

/** One `REP:PERCENT` of a rep cell, the percentage in millionths of the deal. */
export function parseShare(part: string, text: string): { rep: string; micro: number } | string {
  if (part === '') return `empty share in ${quote(text)}`
  const colon = part.indexOf(':')
  const rep = (colon < 0 ? part : part.slice(0, colon)).trim()
  const percent = colon < 0 ? null : /^(\d{1,9})(?:\.(\d+))?$/.exec(part.slice(colon + 1).trim())
  if (rep === '' || percent === null) return `share ${quote(part)} is not REP:PERCENT`
  const frac = percent[2] ?? ''
  if (frac.length > 4) return `share ${quote(part)} has more than 4 decimals`
  const micro = Number(percent[1]) * 10_000 + Number(frac.padEnd(4, '0'))
  return micro === 0 ? `share ${quote(part)} is 0` : { rep, micro }
}
