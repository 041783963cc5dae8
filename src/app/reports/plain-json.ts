import { formatFixed, type Rational } from '../../core/money/rational.ts'

const MAX = BigInt(Number.MAX_SAFE_INTEGER)

const isRational = (v: unknown): v is Rational =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as Rational).n === 'bigint' &&
  typeof (v as Rational).d === 'bigint' &&
  Object.keys(v).length === 2

/**
 * A report as plain JSON data: bigint minor units as integers (refused beyond the safe range),
 * exact rationals as decimal text with 6 places, maps as objects.
 */
export function toPlainJson(value: unknown): unknown {
  if (typeof value === 'bigint') {
    if (value > MAX || value < -MAX)
      throw new RangeError(`${value} is beyond the range JSON numbers carry exactly`)
    return Number(value)
  }
  if (isRational(value)) return formatFixed(value, 6)
  if (Array.isArray(value)) return value.map(toPlainJson)
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), toPlainJson(v)]))
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPlainJson(v)]))
  }
  return value
}
