import { parseDecimal, ratio, roundHalfAwayFromZero, mul, type Rational } from '../money/rational.ts'
import { formatMoneyForPeople } from '../money/money.ts'
import { formatNumber, formatPercent, listWords } from './format-for-people.ts'
import type { Plan } from './plan.ts'

/** One condition in words: `lead` opens a sentence ("At 120% or more of …"), `clause` follows "and" or "if". */
export interface ConditionWords {
  readonly lead: string
  readonly clause: string
}

const REF = String.raw`([a-z]+)(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[\s*"([^"]+)"\s*\]|\[\s*'([^']+)'\s*\])`
const NUMBER = String.raw`(-?\d+(?:\.\d+)?)`
const COMPARISON = new RegExp(String.raw`^${REF}\s*(>=|<=|==|>|<)\s*${NUMBER}$`)
const FLIPPED = new RegExp(String.raw`^${NUMBER}\s*(>=|<=|==|>|<)\s*${REF}$`)
const FLIP: Readonly<Record<string, string>> = { '>=': '<=', '<=': '>=', '>': '<', '<': '>', '==': '==' }

/**
 * A `when` or `pass` in plain words when it is a conjunction of simple comparisons (attainment,
 * streaks, values, rank, tenure, coaching); otherwise the CEL text quoted.
 */
export function describeCondition(source: string, plan: Plan): ConditionWords {
  const parts = splitConjuncts(source.trim())
  const words = parts?.map((part) => describeOne(part, plan)) ?? null
  if (words === null || words === undefined || words.some((w) => w === null) || words.length === 0) {
    return { lead: `When \`${source.trim()}\``, clause: `\`${source.trim()}\` is true` }
  }
  const known = words as ConditionWords[]
  const [first, ...rest] = known
  const clauses = known.map((w) => w.clause)
  const tail = rest.map((w) => w.clause)
  return { lead: listWords([first?.lead ?? '', ...tail]), clause: listWords(clauses) }
}

/** The operands of top-level `&&`; null when the expression has `||`, parentheses or `?` outside strings. */
function splitConjuncts(source: string): string[] | null {
  const parts: string[] = []
  let quote: string | null = null
  let start = 0
  for (let i = 0; i < source.length; i++) {
    const c = source[i]
    if (quote !== null) {
      if (c === '\\') i++
      else if (c === quote) quote = null
    } else if (c === '"' || c === "'") {
      quote = c
    } else if (c === '(' || c === ')' || c === '?' || c === '|') {
      return null
    } else if (c === '&' && source[i + 1] === '&') {
      parts.push(source.slice(start, i).trim())
      start = i + 2
      i++
    }
  }
  parts.push(source.slice(start).trim())
  return parts
}

function describeOne(part: string, plan: Plan): ConditionWords | null {
  const coaching = describeCoaching(part)
  if (coaching !== null) return coaching
  const tenure = /^tenure\s*(>=|<=|==|>|<)\s*(\d+)$/.exec(part)
  if (tenure !== null) return describeTenure(tenure[1] ?? '', Number(tenure[2]), plan)
  let m = COMPARISON.exec(part)
  let variable: string, key: string, op: string, literal: string
  if (m !== null) {
    ;[variable, key, op, literal] = [m[1] ?? '', m[2] ?? m[3] ?? m[4] ?? '', m[5] ?? '', m[6] ?? '']
  } else {
    m = FLIPPED.exec(part)
    if (m === null) return null
    ;[literal, op, variable, key] = [
      m[1] ?? '',
      FLIP[m[2] ?? ''] ?? '',
      m[3] ?? '',
      m[4] ?? m[5] ?? m[6] ?? '',
    ]
  }
  const number = parseDecimal(literal)
  if (number === null || !plan.metrics.some((metric) => metric.id === key)) return null
  if (variable === 'attainment') return describeAttainment(op, number, key)
  if (variable === 'misses' || variable === 'hits') return describeStreak(variable, op, number, key)
  if (variable === 'value') return describeValue(op, number, key, plan)
  if (variable === 'rank') return describeRank(op, number, key)
  return null
}

function describeCoaching(part: string): ConditionWords | null {
  const m = /^(!?)\s*coaching\.(active|passed|failed)$/.exec(part)
  if (m === null) return null
  const negated = m[1] === '!'
  if (m[2] === 'active') {
    return negated
      ? { lead: 'When no coaching plan is open', clause: 'no coaching plan is open' }
      : { lead: 'While a coaching plan is open', clause: 'a coaching plan is open' }
  }
  if (negated) return null
  const verb = m[2] === 'passed' ? 'passes' : 'fails'
  return { lead: `When a coaching plan ${verb}`, clause: `a coaching plan ${verb}` }
}

function describeAttainment(op: string, factor: Rational, metric: string): ConditionWords | null {
  const level = formatPercent(factor)
  const goal = `of the ${metric} goal`
  const phrase: Readonly<Record<string, string>> = {
    '>=': `at ${level} or more ${goal}`,
    '>': `above ${level} ${goal}`,
    '<': `below ${level} ${goal}`,
    '<=': `at ${level} or less ${goal}`,
    '==': `at exactly ${level} ${goal}`,
  }
  const words = phrase[op]
  return words === undefined ? null : { lead: capitalize(words), clause: `you are ${words}` }
}

function describeStreak(
  variable: string,
  op: string,
  count: Rational,
  metric: string,
): ConditionWords | null {
  if (count.d !== 1n) return null
  const n = op === '>' ? count.n + 1n : count.n
  if (op !== '>=' && op !== '>' && op !== '==') return null
  const amount = op === '==' ? `exactly ${n}` : `${n} or more`
  if (variable === 'misses') {
    return {
      lead: `After ${amount} missed ${metric} goals in a row`,
      clause: `you have missed ${amount} ${metric} goals in a row`,
    }
  }
  return {
    lead: `After ${amount} ${metric} goals hit in a row`,
    clause: `you have hit ${amount} ${metric} goals in a row`,
  }
}

function describeValue(op: string, value: Rational, metric: string, plan: Plan): ConditionWords | null {
  const money = plan.metrics.find((m) => m.id === metric)?.money === true
  const scale = ratio(10n ** BigInt(plan.currency.digits))
  const scaled = mul(value, scale)
  const shown =
    money && scaled.d === 1n
      ? formatMoneyForPeople(roundHalfAwayFromZero(scaled), plan.currency)
      : formatNumber(value)
  const phrase: Readonly<Record<string, [string, string]>> = {
    '>=': [`at ${shown} or more`, `${shown} or more`],
    '>': [`above ${shown}`, `above ${shown}`],
    '<': [`below ${shown}`, `below ${shown}`],
    '<=': [`at ${shown} or less`, `${shown} or less`],
    '==': [`at exactly ${shown}`, `exactly ${shown}`],
  }
  const words = phrase[op]
  return words === undefined
    ? null
    : { lead: `With ${metric} ${words[0]}`, clause: `${metric} is ${words[1]}` }
}

function describeRank(op: string, rank: Rational, metric: string): ConditionWords | null {
  if (rank.d !== 1n) return null
  const top = op === '<' ? rank.n - 1n : rank.n
  if (op === '==' || ((op === '<=' || op === '<') && top === 1n)) {
    const place = ordinal(Number(op === '==' ? rank.n : top))
    return { lead: `When you rank ${place} on ${metric}`, clause: `you rank ${place} on ${metric}` }
  }
  if (op !== '<=' && op !== '<') return null
  return {
    lead: `When you rank in the top ${top} on ${metric}`,
    clause: `you rank in the top ${top} on ${metric}`,
  }
}

function describeTenure(op: string, n: number, plan: Plan): ConditionWords | null {
  const p = plan.period
  const at = op === '>' ? n + 1 : op === '<' ? n - 1 : n
  if (op === '>=' || op === '>') {
    return {
      lead: `From your ${ordinal(at)} ${p} on`,
      clause: `you are in your ${ordinal(at)} ${p} or later`,
    }
  }
  if (op === '<=' || op === '<') {
    return { lead: `In your first ${at} ${p}s`, clause: `you are in your first ${at} ${p}s` }
  }
  return { lead: `In your ${ordinal(at)} ${p}`, clause: `you are in your ${ordinal(at)} ${p}` }
}

/** 1 → "1st", 2 → "2nd", 11 → "11th", 23 → "23rd". */
export function ordinal(n: number): string {
  const tens = n % 100
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th')
  return `${n}${suffix}`
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
