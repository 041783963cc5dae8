import { isScalar, isSeq, type Node } from 'yaml'
import type { Rational } from '../money/rational.ts'
import { listEntries } from './parse-commissions.ts'
import type { EffectKey, Effects, Rule } from './plan.ts'
import { readCel } from './plan-cel.ts'
import type { PlanIds } from './plan-ids.ts'
import { readDecimal, readFactor, readMoney, readWholeNumber } from './plan-literals.ts'
import type { PlanReader } from './plan-reader.ts'
import { BOOST_KEYS, COACHING_KEYS, EFFECT_KEYS, RULE_KEYS, THEN_KEYS } from './plan-schema-keys.ts'

type MutableEffects = { -readonly [K in keyof Effects]: Effects[K] }

/** `rules`: each a `when` (a CEL bool) and the effects in `then`, kept in the order written. */
export function readRules(
  r: PlanReader,
  node: Node | null,
  metricIds: ReadonlySet<string>,
  ids: PlanIds,
): Rule[] {
  const rules: Rule[] = []
  for (const { entries, context, id } of listEntries(r, node, 'rule', RULE_KEYS, ids)) {
    const when = readCel(r, entries.get('when'), `"when" of ${context}`, 'when', metricIds)
    const then = readThen(r, entries.get('then'), context, metricIds, ids)
    if (id !== null && when !== null && then !== null) rules.push({ id, when, then })
  }
  return rules
}

function readThen(
  r: PlanReader,
  node: Node | null,
  context: string,
  metricIds: ReadonlySet<string>,
  ids: PlanIds,
): Effects | null {
  const where = `"then" of ${context}`
  const map = r.map(node, where, `a map of effects (${EFFECT_KEYS.join(', ')})`)
  if (map === null) return null
  const entries = r.entries(map, where, THEN_KEYS)
  if (entries.keys.length === 0 && map.items.length === 0) {
    r.report(map, `${where} has no effects: write at least one of ${EFFECT_KEYS.join(', ')}`)
    return null
  }
  const effects: MutableEffects = { order: entries.keys as EffectKey[] }
  let ok = true
  const got = <T>(value: T | null): value is T => {
    if (value === null) ok = false
    return value !== null
  }
  const field = (key: string): string => `"${key}" of ${context}`
  for (const key of entries.keys as EffectKey[]) {
    const value = entries.get(key)
    if (key === 'bonus') {
      const bonus = readMoney(r, value, field(key), 'non-negative')
      if (got(bonus)) effects.bonusMinor = bonus
    } else if (key === 'forfeit') {
      const forfeit = readForfeit(r, value, field(key), ids)
      if (got(forfeit)) effects.forfeit = forfeit
    } else if (key === 'boost') {
      const boost = readBoost(r, value, context, ids)
      if (got(boost)) effects.boost = boost
    } else if (key === 'pto_days') {
      const days = readPtoDays(r, value, field(key))
      if (got(days)) effects.ptoDays = days
    } else if (key === 'raise') {
      const raise = readFactor(r, value, field(key), 'non-negative')
      if (got(raise)) effects.raise = raise
    } else if (key === 'warning') {
      const warning = r.text(value, field(key))
      if (got(warning)) effects.warning = warning
    } else if (key === 'termination_review') {
      const review = r.text(value, field(key))
      if (got(review)) effects.terminationReview = review
    } else {
      const coaching = readCoaching(r, value, context, metricIds)
      if (got(coaching)) effects.coaching = coaching
    }
  }
  return ok && entries.keys.length > 0 ? effects : null
}

/** `forfeit`: a list of commission, spiff or rule ids, or the word `all`. */
function readForfeit(
  r: PlanReader,
  node: Node | null,
  what: string,
  ids: PlanIds,
): readonly string[] | 'all' | null {
  if (node === null) return null
  const shape = 'a list of commission, spiff or rule ids such as [projects], or the word all'
  if (isScalar(node) && node.value === 'all') return 'all'
  if (!isSeq(node)) {
    const text = isScalar(node) ? ` (write [${String(node.value)}] for one id)` : ''
    r.report(node, `${what} must be ${shape}${text}`)
    return null
  }
  if (node.items.length === 0) {
    r.report(node, `${what} is an empty list: name at least one commission, spiff or rule, or write all`)
    return null
  }
  const forfeit: string[] = []
  let ok = true
  for (const item of node.items) {
    const itemNode = r.resolve(item)
    const id = r.text(itemNode, `an id in ${what}`)
    if (id === null || !ids.check(r, itemNode, id, what, ['commission', 'spiff', 'rule'])) ok = false
    else forfeit.push(id)
  }
  return ok ? forfeit : null
}

/** `boost: { rule, by, periods }`: `rule` names a commission; `periods` defaults to 1. */
function readBoost(r: PlanReader, node: Node | null, context: string, ids: PlanIds): Effects['boost'] | null {
  const where = `"boost" of ${context}`
  const map = r.map(node, where, 'a map such as { rule: mrr, by: 25%, periods: 1 }')
  if (map === null) return null
  const entries = r.entries(map, where, BOOST_KEYS)
  const rule = r.text(entries.get('rule'), `"rule" of ${where}`)
  const named = rule !== null && ids.check(r, entries.get('rule'), rule, `"rule" of ${where}`, ['commission'])
  const by = readFactor(r, entries.get('by'), `"by" of ${where}`, 'non-negative')
  const periods = entries.has('periods')
    ? readWholeNumber(r, entries.get('periods'), `"periods" of ${where}`, 1)
    : 1
  return rule !== null && named && by !== null && periods !== null ? { rule, by, periods } : null
}

/** `coaching: { periods, pass, program }`: `pass` a CEL bool; `periods` defaults to 1. */
function readCoaching(
  r: PlanReader,
  node: Node | null,
  context: string,
  metricIds: ReadonlySet<string>,
): Effects['coaching'] | null {
  const where = `"coaching" of ${context}`
  const map = r.map(
    node,
    where,
    'a map such as { periods: 2, pass: attainment.new_mrr >= 0.9, program: TEXT }',
  )
  if (map === null) return null
  const entries = r.entries(map, where, COACHING_KEYS)
  const periods = entries.has('periods')
    ? readWholeNumber(r, entries.get('periods'), `"periods" of ${where}`, 1)
    : 1
  const pass = readCel(r, entries.get('pass'), `"pass" of ${where}`, 'when', metricIds)
  const program = entries.has('program') ? r.text(entries.get('program'), `"program" of ${where}`) : undefined
  if (periods === null || pass === null || program === null) return null
  return program === undefined ? { periods, pass } : { periods, pass, program }
}

/** `pto_days`: a number of days, whole or half (0.5, 1, 1.5, ...). */
function readPtoDays(r: PlanReader, node: Node | null, what: string): Rational | null {
  const days = readDecimal(r, node, what, 'positive')
  if (days === null) return null
  if (days.d !== 1n && days.d !== 2n) {
    r.report(node, `${what} must be whole or half days (such as 1 or 1.5)`)
    return null
  }
  return days
}
