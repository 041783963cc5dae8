import type { Node } from 'yaml'
import { cmp, type Rational } from '../money/rational.ts'
import { formatPercent } from './format-for-people.ts'
import { didYouMeanClause } from './did-you-mean.ts'
import type { Commission, Spiff, Tier } from './plan.ts'
import { readCel } from './plan-cel.ts'
import type { PlanIds } from './plan-ids.ts'
import { readDate, readFactor, readMoney, readWholeNumber } from './plan-literals.ts'
import type { Entries, PlanReader } from './plan-reader.ts'
import { COMMISSION_KEYS, SPIFF_KEYS, TIER_KEYS, type MapSchema } from './plan-schema-keys.ts'

/** The entries of a list of commissions, spiffs or rules, each a map with its context name and id. */
export function* listEntries(
  r: PlanReader,
  node: Node | null,
  kind: 'commission' | 'spiff' | 'rule',
  schema: MapSchema,
  ids: PlanIds,
): Generator<{ entries: Entries; context: string; id: string | null; node: Node }> {
  const list = r.seq(node, `"${kind}s" of the plan`, `a list of ${kind}s, each starting with "- id:"`)
  if (list === null) return
  for (const [index, item] of list.items.entries()) {
    const entry = r.map(r.resolve(item), `${kind} #${index + 1}`, 'a map starting with "id:"')
    if (entry === null) continue
    const idNode = r.resolve(entry.get('id', true))
    const id = idNode === null ? null : r.text(idNode, `the id of ${kind} #${index + 1}`)
    const context = id === null ? `${kind} #${index + 1}` : `${kind} "${id}"`
    if (id !== null) ids.claim(r, idNode, id, kind)
    yield { entries: r.entries(entry, context, schema), context, id, node: entry }
  }
}

/** `commissions`: each on a defined metric, with exactly one of `rate` and `tiers`. */
export function readCommissions(
  r: PlanReader,
  node: Node | null,
  metricIds: ReadonlySet<string>,
  ids: PlanIds,
): Commission[] {
  const commissions: Commission[] = []
  for (const { entries, context, id, node: entry } of listEntries(
    r,
    node,
    'commission',
    COMMISSION_KEYS,
    ids,
  )) {
    const on = r.text(entries.get('on'), `"on" of ${context}`)
    if (on !== null && !metricIds.has(on)) {
      const known = metricIds.size === 0 ? 'none' : [...metricIds].join(', ')
      const hint = didYouMeanClause(on, metricIds)
      r.report(
        entries.get('on'),
        `${context} pays on metric "${on}", which the plan does not define${hint} (metrics: ${known})`,
      )
    }
    let rate: Rational | null = null
    let tiers: Tier[] | null = null
    if (entries.has('rate') && entries.has('tiers')) {
      r.report(entries.keyNode('tiers'), `${context} has both "rate" and "tiers"; keep one`)
    } else if (entries.has('rate')) {
      rate = readFactor(r, entries.get('rate'), `"rate" of ${context}`, 'non-negative')
    } else if (entries.has('tiers')) {
      tiers = readTiers(r, entries.get('tiers'), context)
    } else {
      r.report(entry, `${context} needs "rate" (such as 5%) or "tiers" (a list of { to, rate })`)
    }
    let tiered: Commission['tiered'] | null = 'marginal'
    if (entries.has('tiered')) {
      tiered = r.oneOf(entries.get('tiered'), `"tiered" of ${context}`, ['marginal', 'retroactive'] as const)
      if (!entries.has('tiers')) r.report(entries.keyNode('tiered'), `"tiered" in ${context} needs "tiers"`)
    }
    const gate = entries.has('gate')
      ? readFactor(r, entries.get('gate'), `"gate" of ${context}`, 'non-negative')
      : null
    const capMinor = entries.has('cap')
      ? readMoney(r, entries.get('cap'), `"cap" of ${context}`, 'non-negative')
      : null
    const clawbackDays = entries.has('clawback')
      ? readWholeNumber(r, entries.get('clawback'), `"clawback" of ${context} (days)`, 0)
      : null
    if (id === null || on === null || tiered === null || (rate === null && tiers === null)) continue
    commissions.push({ id, on, rate, tiers, tiered, gate, capMinor, clawbackDays })
  }
  return commissions
}

/** Tiers with strictly increasing `to` bounds, every tier but the last bounded, the last open. */
function readTiers(r: PlanReader, node: Node | null, context: string): Tier[] | null {
  const list = r.seq(node, `"tiers" of ${context}`, 'a list of { to: BOUND, rate: F }, the last without "to"')
  if (list === null) return null
  if (list.items.length === 0) {
    r.report(node, `"tiers" of ${context} must list at least one tier`)
    return null
  }
  const tiers: Tier[] = []
  let ok = true
  let previous: { bound: Rational; index: number } | null = null
  for (const [index, item] of list.items.entries()) {
    const where = `tier ${index + 1} of ${context}`
    const last = index === list.items.length - 1
    const body = r.map(r.resolve(item), where, 'a map such as { to: 100%, rate: 5% }')
    if (body === null) {
      ok = false
      continue
    }
    const entries = r.entries(body, where, TIER_KEYS)
    const rate = readFactor(r, entries.get('rate'), `"rate" of ${where}`, 'non-negative')
    let to: Rational | null = null
    if (last && entries.has('to')) {
      r.report(
        entries.keyNode('to'),
        `the last tier of ${context} must not have "to": it pays everything above the bound before it`,
      )
      ok = false
    } else if (!last && !entries.has('to')) {
      r.report(body, `${where} needs "to": only the last tier is open-ended`)
      ok = false
    } else if (!last) {
      to = readFactor(r, entries.get('to'), `"to" of ${where}`, 'positive')
      if (to !== null && previous !== null && cmp(to, previous.bound) <= 0) {
        r.report(
          entries.get('to'),
          `tiers of ${context} are out of order: "to" of tier ${index + 1} (${formatPercent(to)}) must be above ` +
            `"to" of tier ${previous.index} (${formatPercent(previous.bound)})`,
        )
        ok = false
      }
      if (to !== null) previous = { bound: to, index: index + 1 }
    }
    if (rate === null || (!last && to === null)) ok = false
    else tiers.push({ to, rate })
  }
  return ok ? tiers : null
}

/** `spiffs`: an amount per matching credited deal closed within optional `from`…`to`. */
export function readSpiffs(r: PlanReader, node: Node | null, ids: PlanIds): Spiff[] {
  const spiffs: Spiff[] = []
  for (const { entries, context, id } of listEntries(r, node, 'spiff', SPIFF_KEYS, ids)) {
    const where = readCel(r, entries.get('where'), `"where" of ${context}`, 'deal-where', new Set())
    const amountMinor = readMoney(r, entries.get('amount'), `"amount" of ${context}`, 'non-negative')
    const from = readDate(r, entries.get('from'), `"from" of ${context}`)
    const to = readDate(r, entries.get('to'), `"to" of ${context}`)
    if (from !== null && to !== null && to.day < from.day) {
      r.report(entries.get('to'), `"to" of ${context} (${to.text}) is before its "from" (${from.text})`)
      continue
    }
    if (id === null || amountMinor === null || (entries.has('where') && where === null)) continue
    spiffs.push({ id, where, amountMinor, from: from?.text ?? null, to: to?.text ?? null })
  }
  return spiffs
}
