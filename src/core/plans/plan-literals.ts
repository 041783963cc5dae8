import { isScalar, type Node } from 'yaml'
import { parseLocalDate } from '../calendar/civil.ts'
import { parseMoney } from '../money/money.ts'
import { cmp, decimalPlaces, mul, parseDecimal, ratio, type Rational } from '../money/rational.ts'
import type { PlanReader } from './plan-reader.ts'

// Numbers are read from the text the plan wrote (a plain scalar's source, a quoted string's value),
// never through a JS number: `1234.500` keeps its third digit and `0.075` stays exact.

const DECIMAL = /^[+-]?\d+(?:\.\d+)?$/
const PERCENT = /^([+-]?\d+(?:\.\d+)?)%$/

type Sign = 'any' | 'non-negative' | 'positive'

/** The literal text of a scalar number or string; null with an issue for anything else. */
function numberText(r: PlanReader, node: Node | null, what: string, example: string): string | null {
  if (node === null) return null
  if (!isScalar(node) || (typeof node.value !== 'number' && typeof node.value !== 'string')) {
    r.report(node, `${what} must be ${example}`)
    return null
  }
  return r.literal(node).trim()
}

function checkSign(
  r: PlanReader,
  node: Node,
  what: string,
  value: Rational,
  sign: Sign,
  text: string,
): boolean {
  if (sign === 'non-negative' && value.n < 0n) {
    r.report(node, `${what} must not be negative, not ${text}`)
    return false
  }
  if (sign === 'positive' && value.n <= 0n) {
    r.report(node, `${what} must be above zero, not ${text}`)
    return false
  }
  return true
}

/** Text of a factor: a plain decimal ("0.05") or a percentage ("5%"); null when it is neither. */
export function parseFactorText(text: string): Rational | null {
  const percent = PERCENT.exec(text)
  if (percent !== null) {
    const value = parseDecimal(percent[1] ?? '')
    return value === null ? null : mul(value, ratio(1n, 100n))
  }
  return DECIMAL.test(text) ? parseDecimal(text) : null
}

/** A factor (rate, bound, gate, ramp, boost): `0.05` or `"5%"`, exact. */
export function readFactor(r: PlanReader, node: Node | null, what: string, sign: Sign): Rational | null {
  const example = 'a number such as 0.05 or a percentage such as 5%'
  const text = numberText(r, node, what, example)
  if (text === null || node === null) return null
  const value = parseFactorText(text)
  if (value === null) {
    r.report(node, `${what} must be ${example}, not "${text}"`)
    return null
  }
  return checkSign(r, node, what, value, sign, text) ? value : null
}

/** A plain decimal such as `250` or `0.5`, exact (a quota of a metric that is not money, pto_days). */
export function readDecimal(r: PlanReader, node: Node | null, what: string, sign: Sign): Rational | null {
  const text = numberText(r, node, what, 'a number such as 250 or 0.5')
  if (text === null || node === null) return null
  const value = DECIMAL.test(text) ? parseDecimal(text) : null
  if (value === null) {
    r.report(node, `${what} must be a number such as 250 or 0.5, not "${text}"`)
    return null
  }
  return checkSign(r, node, what, value, sign, text) ? value : null
}

/**
 * A money amount in the plan's currency units (`1234.50`), as minor units; more decimal places
 * than the currency has is an error as written. Without a known currency only the form is checked.
 */
export function readMoney(r: PlanReader, node: Node | null, what: string, sign: Sign): bigint | null {
  const code = r.currency?.code ?? "the plan's currency"
  const example = `an amount in ${code} such as 1234.50`
  const text = numberText(r, node, what, example)
  if (text === null || node === null) return null
  if (!DECIMAL.test(text)) {
    r.report(node, `${what} must be ${example}, not "${text}"`)
    return null
  }
  const exact = parseDecimal(text)
  if (exact === null || !checkSign(r, node, what, exact, sign, text)) return null
  const currency = r.currency
  if (currency === null) return null
  const places = decimalPlaces(text)
  if (places > currency.digits) {
    const trimmed = text.slice(0, text.length - (places - currency.digits)).replace(/\.$/, '')
    const exactWhenTrimmed = cmp(parseDecimal(trimmed) ?? exact, exact) === 0
    const fix = exactWhenTrimmed ? `write ${trimmed}` : `round it to ${currency.digits} decimal places`
    r.report(
      node,
      `${what} is ${text}, which has more decimal places than ${currency.code} allows (${currency.digits}); ${fix}`,
    )
    return null
  }
  return parseMoney(text.replace(/^\+/, ''), currency.digits)
}

/** A whole number at least `min` (days, periods), read from its text. */
export function readWholeNumber(r: PlanReader, node: Node | null, what: string, min: 0 | 1): number | null {
  const kind = min === 0 ? 'a whole number, 0 or more' : 'a whole number, 1 or more'
  const text = numberText(r, node, what, kind)
  if (text === null || node === null) return null
  const value = /^\+?\d+$/.test(text) ? Number(text.replace(/^\+/, '')) : NaN
  if (!Number.isSafeInteger(value) || value < min) {
    r.report(node, `${what} must be ${kind}, not ${JSON.stringify(text)}`)
    return null
  }
  return value
}

/** A local date 'YYYY-MM-DD' with its epoch day. */
export function readDate(
  r: PlanReader,
  node: Node | null,
  what: string,
): { text: string; day: number } | null {
  if (node === null) return null
  const text = isScalar(node) && typeof node.value !== 'object' ? r.literal(node).trim() : null
  const day = text === null ? null : parseLocalDate(text)
  if (text === null || day === null) {
    const shown = text === null ? '' : `, not "${text}"`
    r.report(node, `${what} must be a date written YYYY-MM-DD, such as 2026-01-01${shown}`)
    return null
  }
  return { text, day }
}
