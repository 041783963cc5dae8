import { formatMoneyForPeople } from '../money/money.ts'
import { mul, ratio, roundHalfAwayFromZero, type Rational } from '../money/rational.ts'
import type { CelProgram } from './cel.ts'
import { describeCondition, ordinal } from './describe-condition.ts'
import { describeEffects } from './describe-effects.ts'
import { describeFilter } from './describe-filter.ts'
import { formatNumber, formatPercent } from './format-for-people.ts'
import type { Commission, Effects, Metric, Plan, Rule, Spiff } from './plan.ts'
import { summarizePlan } from './summarize-plan.ts'

/**
 * What changed in meaning from plan `a` to plan `b`, one plain-language sentence per change, in the
 * order of the summary (plan, metrics, goals, commissions, spiffs, draw, rules), elements matched by
 * id. Empty when both mean the same: comments, key order, spacing, YAML or JSON, `1.2` or `120%`.
 * Money is compared as shown in each plan's currency. Pure.
 */
export function diffPlans(a: Plan, b: Plan): string[] {
  return [
    ...planChanges(a, b),
    ...byId(a.metrics, b.metrics, {
      changed: (x, y) => metricChanges(x, y, a, b),
      added: (y) => `New metric ${y.id}: ${sentencesOf(b, { metrics: [y] })[0] ?? ''}`,
      removed: (x) => `Metric ${x.id} is removed.`,
    }),
    ...goalChanges(a, b),
    ...byId(a.commissions, b.commissions, {
      changed: (x, y) => commissionChanges(x, y, a, b),
      added: (y) => `New commission ${y.id}: ${sentencesOf(b, { commissions: [y] }).join(' ')}`,
      removed: (x) => `Commission ${x.id} is removed.`,
    }),
    ...byId(a.spiffs, b.spiffs, {
      changed: (x, y) => spiffChanges(x, y, a, b),
      added: (y) => `New spiff ${y.id}: ${sentencesOf(b, { spiffs: [y] })[0] ?? ''}`,
      removed: (x) => `Spiff ${x.id} is removed.`,
    }),
    ...drawChanges(a, b),
    ...byId(a.rules, b.rules, {
      changed: (x, y) => ruleChanges(x, y, a, b),
      added: (y) => `New rule ${y.id}: ${sentencesOf(b, { rules: [y] })[0] ?? ''}`,
      removed: (x) => `Rule ${x.id} is removed.`,
    }),
    ...ruleOrderChanges(a, b),
  ]
}

/** Elements of `after` in order (changed or new), then those of `before` that are gone. */
function byId<T extends { readonly id: string }>(
  before: readonly T[],
  after: readonly T[],
  say: { changed: (x: T, y: T) => string[]; added: (y: T) => string; removed: (x: T) => string },
): string[] {
  const kept = after.flatMap((y) => {
    const x = before.find((e) => e.id === y.id)
    return x === undefined ? [say.added(y)] : say.changed(x, y)
  })
  const gone = before.filter((x) => !after.some((y) => y.id === x.id)).map(say.removed)
  return [...kept, ...gone]
}

type Part = Partial<Pick<Plan, 'metrics' | 'commissions' | 'spiffs' | 'draw' | 'rules'>>

/** summarizePlan's own sentences for some elements only (the plan's metrics kept for the wording, unless given). */
function sentencesOf(plan: Plan, part: Part): string[] {
  const bare: Plan = {
    ...plan,
    effective: {},
    quotas: new Map(),
    ramp: [],
    prorate: false,
    commissions: [],
    spiffs: [],
    draw: null,
    rules: [],
    ...part,
  }
  return part.metrics === undefined ? summarizePlan(bare).slice(plan.metrics.length) : summarizePlan(bare)
}

const money = (minor: bigint, plan: Plan): string => formatMoneyForPeople(minor, plan.currency)
const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1)
const unstop = (sentence: string): string => sentence.replace(/\.$/, '')
const NTH = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth']
const nth = (index: number): string => NTH[index] ?? ordinal(index + 1)
const rationalKey = (r: Rational | undefined): string | null => {
  if (r === undefined) return null
  const reduced = ratio(r.n, r.d)
  return `${reduced.n}/${reduced.d}`
}

/** "X moves from A to B", "X is removed", or the sentence of a new setting; nothing when equal. */
function setting(name: string, before: string | null, after: string | null, added: () => string): string[] {
  if (before === after) return []
  if (before === null) return [added()]
  if (after === null) return [`${capitalize(name)} is removed.`]
  return [`${capitalize(name)} moves from ${before} to ${after}.`]
}

function dateChanges(subject: string, which: string, before: string | null, after: string | null): string[] {
  if (before === after) return []
  if (before === null) return [`${capitalize(subject)} now has a ${which}: ${after ?? ''}.`]
  if (after === null) return [`${capitalize(subject)} no longer has a ${which} (it was ${before}).`]
  return [`${capitalize(subject)}'s ${which} goes from ${before} to ${after}.`]
}

/** A CEL text with spacing and quote style normalized, so `a>=1` and `a >= 1` compare equal. */
function celKey(source: string): string {
  const tokens = source.match(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\s+|[^\s"']+|["']/g) ?? []
  return tokens
    .map((token, i) => {
      if (/^\s/.test(token))
        return /\w$/.test(tokens[i - 1] ?? '') && /^\w/.test(tokens[i + 1] ?? '') ? ' ' : ''
      return /^'[^"\\]*'$/.test(token) ? `"${token.slice(1, -1)}"` : token
    })
    .join('')
}

/** Two expressions mean the same when their words do (words are exact) or their normalized text does. */
function sameCel(x: CelProgram | null, y: CelProgram | null, words: (source: string) => string): boolean {
  if (x === null || y === null) return x === y
  return celKey(x.source) === celKey(y.source) || words(x.source) === words(y.source)
}

function planChanges(a: Plan, b: Plan): string[] {
  const out: string[] = []
  if (a.id !== b.id) out.push(`The plan's id goes from ${a.id} to ${b.id}.`)
  if (a.name !== b.name) out.push(`The plan's name goes from “${a.name}” to “${b.name}”.`)
  if (a.currency.code !== b.currency.code)
    out.push(`The currency goes from ${a.currency.code} to ${b.currency.code}.`)
  if (a.period !== b.period) out.push(`The period goes from ${a.period} to ${b.period}.`)
  if (a.timezone !== b.timezone) out.push(`The time zone goes from ${a.timezone} to ${b.timezone}.`)
  out.push(...dateChanges('the plan', 'first day', a.effective.from ?? null, b.effective.from ?? null))
  out.push(...dateChanges('the plan', 'last day', a.effective.to ?? null, b.effective.to ?? null))
  return out
}

function metricChanges(x: Metric, y: Metric, a: Plan, b: Plan): string[] {
  const noun = y.source.kind === 'count' ? y.source.of : 'deals'
  const same =
    JSON.stringify(x.source) === JSON.stringify(y.source) &&
    x.of === y.of &&
    sameCel(x.where, y.where, (source) => describeFilter(source, noun))
  if (same) return []
  const [before, after] = [
    sentencesOf(a, { metrics: [x] })[0] ?? '',
    sentencesOf(b, { metrics: [y] })[0] ?? '',
  ]
  return [`Metric ${y.id} changes: ${unstop(after)} (before: ${unstop(before)}).`]
}

function goalText(plan: Plan, id: string, quota: Rational): string {
  if (plan.metrics.find((m) => m.id === id)?.money !== true) return formatNumber(quota)
  return money(roundHalfAwayFromZero(mul(quota, ratio(10n ** BigInt(plan.currency.digits)))), plan)
}

function goalChanges(a: Plan, b: Plan): string[] {
  const goal = (plan: Plan, id: string): string | null => {
    const quota = plan.quotas.get(id)
    return quota === undefined ? null : goalText(plan, id, quota)
  }
  const ids = [...new Set([...b.quotas.keys(), ...a.quotas.keys()])]
  const out = ids.flatMap((id) => {
    const [before, after] = [goal(a, id), goal(b, id)]
    if (before === after) return []
    if (before === null) return [`New ${id} goal: ${after ?? ''} a ${b.period}.`]
    if (after === null) return [`The ${id} goal is removed.`]
    return [`The ${id} goal goes from ${before} to ${after}.`]
  })
  const ramp = (plan: Plan): string | null =>
    plan.ramp.length === 0 ? null : plan.ramp.map(formatPercent).join(' / ')
  const [rampA, rampB] = [ramp(a), ramp(b)]
  if (rampA !== rampB) {
    const first = b.ramp.length === 1 ? b.period : `${b.ramp.length} ${b.period}s`
    if (rampA === null)
      out.push(`New ramp: the goal is ${rampB ?? ''} of the full goal in your first ${first}.`)
    else if (rampB === null)
      out.push(`The ramp is removed: the full goal applies from your first ${b.period}.`)
    else out.push(`The ramp goes from ${rampA} to ${rampB} of the full goal in your first ${b.period}s.`)
  }
  if (a.prorate !== b.prorate) {
    out.push(`The goal is ${b.prorate ? 'now' : 'no longer'} prorated by the days you are employed.`)
  }
  return out
}

/** A commission rate as the summary shows it: a percentage, or an amount per unit of a count metric. */
function rateText(rate: Rational, commission: Commission, plan: Plan): string {
  const metric = plan.metrics.find((m) => m.id === commission.on)
  return metric?.money === false ? `${formatNumber(rate)} ${plan.currency.code} each` : formatPercent(rate)
}

function commissionChanges(x: Commission, y: Commission, a: Plan, b: Plan): string[] {
  const id = y.id
  const out: string[] = []
  if (x.on !== y.on) out.push(`The ${id} commission now pays on ${y.on} instead of ${x.on}.`)
  out.push(...rateChanges(x, y, a, b))
  const only = (key: 'gate' | 'capMinor' | 'clawbackDays') => () => {
    const part = { ...y, gate: null, capMinor: null, clawbackDays: null, [key]: y[key] }
    return `New ${key === 'capMinor' ? 'cap' : key === 'gate' ? 'gate' : 'clawback'} on ${id}: ${sentencesOf(b, { commissions: [part] })[1] ?? ''}`
  }
  const gate = (c: Commission) => (c.gate === null ? null : formatPercent(c.gate))
  const cap = (c: Commission, plan: Plan) => (c.capMinor === null ? null : money(c.capMinor, plan))
  const days = (c: Commission) =>
    c.clawbackDays === null ? null : `${c.clawbackDays} ${c.clawbackDays === 1 ? 'day' : 'days'}`
  out.push(...setting(`the gate on ${id}`, gate(x), gate(y), only('gate')))
  out.push(...setting(`the cap on ${id}`, cap(x, a), cap(y, b), only('capMinor')))
  out.push(...setting(`the clawback window on ${id}`, days(x), days(y), only('clawbackDays')))
  return out
}

function rateChanges(x: Commission, y: Commission, a: Plan, b: Plan): string[] {
  const id = y.id
  if (x.rate !== null && y.rate !== null) {
    const [before, after] = [rateText(x.rate, x, a), rateText(y.rate, y, b)]
    return before === after ? [] : [`The ${id} commission's rate goes from ${before} to ${after}.`]
  }
  if (x.tiers !== null && y.tiers !== null && x.tiers.length === y.tiers.length) {
    const out: string[] = []
    const how = (c: Commission) =>
      c.tiered === 'marginal'
        ? 'each slice at its own rate'
        : 'the whole value at the rate of the tier reached'
    if (x.tiered !== y.tiered) out.push(`The ${id} commission now pays ${how(y)}, instead of ${how(x)}.`)
    y.tiers.forEach((tierB, i) => {
      const tierA = x.tiers?.[i]
      if (tierA === undefined) return
      const [rateA, rateB] = [rateText(tierA.rate, x, a), rateText(tierB.rate, y, b)]
      if (rateA !== rateB)
        out.push(`The ${id} commission's ${nth(i)} tier rate goes from ${rateA} to ${rateB}.`)
      const [toA, toB] = [tierA.to, tierB.to].map((to) => (to === null ? null : formatPercent(to)))
      if (toA !== toB)
        out.push(
          `The ${id} commission's ${nth(i)} tier now ends at ${toB ?? ''} of goal instead of ${toA ?? ''}.`,
        )
    })
    return out
  }
  const rates = (c: Commission, plan: Plan) => {
    const head = sentencesOf(plan, {
      commissions: [{ ...c, gate: null, capMinor: null, clawbackDays: null }],
    })[0]
    return unstop((head ?? '').replace(`${c.id} commission on ${c.on}: `, ''))
  }
  return [`The ${id} commission's rates change to ${rates(y, b)} (before: ${rates(x, a)}).`]
}

function spiffChanges(x: Spiff, y: Spiff, a: Plan, b: Plan): string[] {
  const id = y.id
  const out: string[] = []
  const deals = (s: Spiff) => describeFilter(s.where?.source ?? null, 'deals')
  if (!sameCel(x.where, y.where, (source) => describeFilter(source, 'deals')))
    out.push(`The ${id} spiff now pays for ${deals(y)} instead of ${deals(x)}.`)
  const [before, after] = [money(x.amountMinor, a), money(y.amountMinor, b)]
  if (before !== after) out.push(`The ${id} spiff's amount goes from ${before} to ${after} a deal.`)
  out.push(...dateChanges(`the ${id} spiff`, 'first day', x.from, y.from))
  out.push(...dateChanges(`the ${id} spiff`, 'last day', x.to, y.to))
  return out
}

function drawChanges(a: Plan, b: Plan): string[] {
  const [x, y] = [a.draw, b.draw]
  if (x === null && y === null) return []
  if (x === null) return [`New draw: ${sentencesOf(b, { draw: y })[0] ?? ''}`]
  if (y === null) return ['The draw is removed.']
  const [before, after] = [money(x.amountMinor, a), money(y.amountMinor, b)]
  const kind = (recoverable: boolean) => (recoverable ? 'recoverable' : 'not recoverable')
  if (x.recoverable === y.recoverable) {
    return before === after
      ? []
      : [`The draw goes from ${before} to ${after} (still ${kind(y.recoverable)}).`]
  }
  if (before === after) return [`The draw of ${after} is now ${kind(y.recoverable)}.`]
  return [`The draw goes from ${before}, ${kind(x.recoverable)}, to ${after}, ${kind(y.recoverable)}.`]
}

/** The effects' meaning, whatever order the plan wrote them in. */
function effectsKey(e: Effects, plan: Plan): string {
  return JSON.stringify([
    e.bonusMinor === undefined ? null : money(e.bonusMinor, plan),
    e.forfeit === undefined || e.forfeit === 'all' ? (e.forfeit ?? null) : [...e.forfeit].sort(),
    e.boost === undefined ? null : [e.boost.rule, rationalKey(e.boost.by), e.boost.periods],
    rationalKey(e.ptoDays),
    rationalKey(e.raise),
    e.warning ?? null,
    e.coaching === undefined ? null : [e.coaching.periods, e.coaching.program ?? null],
    e.terminationReview ?? null,
  ])
}

function ruleChanges(x: Rule, y: Rule, a: Plan, b: Plan): string[] {
  const id = y.id
  const when = (plan: Plan) => (source: string) => describeCondition(source, plan).clause
  const sameWhen = sameCel(x.when, y.when, when(b)) || when(a)(x.when.source) === when(b)(y.when.source)
  const passOf = (r: Rule) => r.then.coaching?.pass ?? null
  const samePass = sameCel(passOf(x), passOf(y), when(b))
  const sameThen = samePass && effectsKey(x.then, a) === effectsKey(y.then, b)
  if (sameWhen && sameThen) return []
  if (sameThen) {
    const [before, after] = [when(a)(x.when.source), when(b)(y.when.source)]
    return [`Rule ${id} now applies when ${after} (before: when ${before}).`]
  }
  if (sameWhen) {
    const [before, after] = [describeEffects(x.then, a), describeEffects(y.then, b)]
    return [`Rule ${id} now results in: ${after} (before: ${before}).`]
  }
  const [before, after] = [sentencesOf(a, { rules: [x] })[0] ?? '', sentencesOf(b, { rules: [y] })[0] ?? '']
  return [`Rule ${id} changes: ${unstop(after)} (before: ${unstop(before)}).`]
}

/** Rules run in file order (the first coaching rule to fire wins), so a new order of kept rules is a change. */
function ruleOrderChanges(a: Plan, b: Plan): string[] {
  const kept = (plan: Plan, other: Plan) =>
    plan.rules.filter((r) => other.rules.some((o) => o.id === r.id)).map((r) => r.id)
  const [before, after] = [kept(a, b), kept(b, a)]
  if (before.join('\n') === after.join('\n')) return []
  return [`The rules are now evaluated in this order: ${b.rules.map((r) => r.id).join(', ')}.`]
}
