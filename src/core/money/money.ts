import { formatFixed, ratio } from './rational.ts'

/** Reads "1234.50" as minor units of a currency with `digits` minor digits; null when it is not an amount. */
export function parseMoney(text: string, digits: number): bigint | null {
  const m = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(text)
  if (m === null) return null
  const frac = m[3] ?? ''
  if (frac.length > digits) return null
  const minor = BigInt((m[2] ?? '') + frac.padEnd(digits, '0'))
  return m[1] === '-' ? -minor : minor
}

/** Minor units as a plain decimal in currency units ("-1234.50"), for CSV and JSON-adjacent text. */
export function formatMoney(minor: bigint, digits: number): string {
  // The digits of minor with the point set `digits` places from the right: what
  // formatFixed(minor / 10^digits, digits) gives, without the rational (ADR 0008).
  if (!Number.isInteger(digits) || digits < 0) return formatFixed(ratio(minor, 10n ** BigInt(digits)), digits)
  const neg = minor < 0n
  const text = (neg ? -minor : minor).toString().padStart(digits + 1, '0')
  const cut = text.length - digits
  return (neg ? '-' : '') + (digits === 0 ? text : text.slice(0, cut) + '.' + text.slice(cut))
}

/** Minor units for people: grouped thousands, the currency's digits, and its code ("1,234.50 USD"). */
export function formatMoneyForPeople(minor: bigint, currency: Currency): string {
  const plain = formatMoney(minor < 0n ? -minor : minor, currency.digits)
  const [whole = '', frac] = plain.split('.')
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${minor < 0n ? '-' : ''}${grouped}${frac === undefined ? '' : '.' + frac} ${currency.code}`
}

/** A currency: its ISO 4217 code and the number of digits of its minor unit. */
export interface Currency {
  readonly code: string
  readonly digits: number
}

let known: Set<string> | null = null

/** The ISO 4217 currency with this code, from the runtime's Unicode data; null when unknown. */
export function getCurrency(code: string): Currency | null {
  if (!/^[A-Z]{3}$/.test(code)) return null
  known ??= new Set(Intl.supportedValuesOf('currency'))
  if (!known.has(code)) return null
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions()
    .maximumFractionDigits
  return { code, digits: digits ?? 2 }
}
