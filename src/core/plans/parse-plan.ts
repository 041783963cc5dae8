import { isScalar, LineCounter, parseDocument, type Node, type YAMLError } from 'yaml'
import { formatLocalDate } from '../calendar/civil.ts'
import { isTimeZone } from '../calendar/instant.ts'
import { periodEnd, periodIndexOf, periodStart, type PeriodKind } from '../calendar/period.ts'
import { getCurrency, type Currency } from '../money/money.ts'
import type { Rational } from '../money/rational.ts'
import { didYouMeanClause } from './did-you-mean.ts'
import { readCommissions, readSpiffs } from './parse-commissions.ts'
import { metricIds, readMetrics, readQuotas } from './parse-metrics.ts'
import { readRules } from './parse-rules.ts'
import type { Draw, Plan } from './plan.ts'
import { PlanIds } from './plan-ids.ts'
import { readDate, readFactor, readMoney } from './plan-literals.ts'
import { PlanReader, type PlanIssue } from './plan-reader.ts'
import { DRAW_KEYS, EFFECTIVE_KEYS, PLAN_KEYS } from './plan-schema-keys.ts'

export type { PlanIssue } from './plan-reader.ts'

/**
 * Reads a plan written in YAML 1.2 (core schema) or JSON and checks it whole: every problem is an
 * issue with its 1-based line and column. Literals are exact (read from their text); `plan` is null
 * when there is any issue.
 */
export function parsePlan(fileText: string, file: string): { plan: Plan | null; issues: PlanIssue[] } {
  // A byte-order mark is not part of the first line: columns count from the first real character.
  const text = fileText.replace(/^\uFEFF/, '')
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, {
    lineCounter,
    keepSourceTokens: true,
    version: '1.2',
    schema: 'core',
    prettyErrors: false,
    uniqueKeys: true,
  })
  const r = new PlanReader(text, file, lineCounter, doc)
  for (const error of doc.errors) r.reportAt(error.pos[0], yamlMessage(error, text))
  // Past a syntax error the tree is a guess; a repeated key leaves it whole, so checking goes on.
  const plan = doc.errors.every((e) => e.code === 'DUPLICATE_KEY')
    ? readPlan(r, r.resolve(doc.contents))
    : null
  const issues = r.issues
    .map((issue, index) => ({ issue, index }))
    .sort((a, b) => a.issue.line - b.issue.line || a.issue.column - b.issue.column || a.index - b.index)
    .map(({ issue }) => issue)
  return { plan: issues.length === 0 ? plan : null, issues }
}

/** An issue as the command line prints it: `FILE:LINE:COL: message`. */
export function formatPlanIssue(issue: PlanIssue): string {
  return `${issue.file}:${issue.line}:${issue.column}: ${issue.message}`
}

function yamlMessage(error: YAMLError, text: string): string {
  if (error.code === 'DUPLICATE_KEY') {
    const key = /^(?:"(?:[^"\\]|\\.)*"|'[^']*'|[^:\s,{}[\]]+)/.exec(text.slice(error.pos[0]))?.[0] ?? ''
    return `key "${key.replace(/^["']|["']$/g, '')}" is written twice in the same map; each key (and each metric id) may appear once`
  }
  const first = error.message.split('\n')[0] ?? error.message
  return `invalid ${text.trimStart().startsWith('{') ? 'JSON' : 'YAML'}: ${first.replace(/ at line \d+, column \d+:?$/, '')}`
}

function readPlan(r: PlanReader, node: Node | null): Plan | null {
  if (node === null) {
    r.reportAt(0, 'the plan is empty: it needs at least version, id, currency, period and metrics')
    return null
  }
  const map = r.map(node, 'the plan', 'a map of keys such as version, id, currency, period and metrics')
  if (map === null) return null
  const e = r.entries(map, 'the plan', PLAN_KEYS)
  readVersion(r, e.get('version'))
  const id = r.text(e.get('id'), '"id" of the plan')
  const name = e.has('name') ? r.text(e.get('name'), '"name" of the plan') : id
  const currency = readCurrency(r, e.get('currency'))
  r.currency = currency
  const period = r.oneOf(e.get('period'), '"period" of the plan', ['month', 'quarter', 'year'] as const)
  const timezone = e.has('timezone') ? readTimeZone(r, e.get('timezone')) : 'UTC'
  const effective = e.has('effective') ? readEffective(r, e.get('effective'), period) : {}

  const metricNames = metricIds(r, e.get('metrics'))
  const metrics = readMetrics(r, e.get('metrics'), metricNames)
  const quotas: ReadonlyMap<string, Rational> = readQuotas(r, e.get('quotas'), metrics, metricNames)
  const ramp = readRamp(r, e.get('ramp'))
  const prorate = e.has('prorate') ? r.bool(e.get('prorate'), '"prorate" of the plan') : false

  const ids = new PlanIds()
  ids.declare(r, e.get('commissions'), 'commission')
  ids.declare(r, e.get('spiffs'), 'spiff')
  ids.declare(r, e.get('rules'), 'rule')
  const commissions = readCommissions(r, e.get('commissions'), metricNames, ids)
  const spiffs = readSpiffs(r, e.get('spiffs'), ids)
  const draw = e.has('draw') ? readDraw(r, e.get('draw')) : null
  const rules = readRules(r, e.get('rules'), metricNames, ids)

  if (id === null || name === null || currency === null || period === null || timezone === null) return null
  if (effective === null || ramp === null || prorate === null) return null
  const file = r.file
  return {
    id,
    name,
    file,
    currency,
    period,
    timezone,
    effective,
    metrics,
    quotas,
    ramp,
    prorate,
    commissions,
    spiffs,
    draw,
    rules,
  }
}

function readVersion(r: PlanReader, node: Node | null): void {
  if (node === null) return
  if (isScalar(node) && node.value === 1) return
  const written = isScalar(node) ? ` not ${r.literal(node)}` : ''
  r.report(node, `"version" of the plan must be 1 (the plan language version this engine reads),${written}`)
}

function readCurrency(r: PlanReader, node: Node | null): Currency | null {
  const code = r.text(node, '"currency" of the plan')
  if (code === null) return null
  const currency = getCurrency(code)
  if (currency === null) {
    const hint = didYouMeanClause(code, Intl.supportedValuesOf('currency'))
    r.report(node, `unknown currency "${code}": write an ISO 4217 code such as USD, EUR or GBP${hint}`)
  }
  return currency
}

function readTimeZone(r: PlanReader, node: Node | null): string | null {
  const zone = r.text(node, '"timezone" of the plan')
  if (zone === null) return null
  if (isTimeZone(zone)) return zone
  const hint = didYouMeanClause(zone, Intl.supportedValuesOf('timeZone'))
  r.report(node, `unknown time zone "${zone}": write an IANA name such as America/Chicago or UTC${hint}`)
  return null
}

/** `effective: { from, to }`: `from` the first day of a period, `to` the last day of one. */
function readEffective(
  r: PlanReader,
  node: Node | null,
  period: PeriodKind | null,
): Plan['effective'] | null {
  const map = r.map(node, '"effective" of the plan', 'a map such as { from: 2026-01-01, to: 2026-12-31 }')
  if (map === null) return null
  const e = r.entries(map, '"effective" of the plan', EFFECTIVE_KEYS)
  const from = readDate(r, e.get('from'), '"from" of "effective"')
  const to = readDate(r, e.get('to'), '"to" of "effective"')
  let ok = (from !== null || !e.has('from')) && (to !== null || !e.has('to'))
  if (period !== null && from !== null) {
    const first = periodStart(period, periodIndexOf(period, from.day))
    if (first !== from.day) {
      r.report(
        e.get('from'),
        `"from" of "effective" (${from.text}) must be the first day of a ${period}; did you mean ${formatLocalDate(first)}?`,
      )
      ok = false
    }
  }
  if (period !== null && to !== null) {
    const last = periodEnd(period, periodIndexOf(period, to.day))
    if (last !== to.day) {
      r.report(
        e.get('to'),
        `"to" of "effective" (${to.text}) must be the last day of a ${period}; did you mean ${formatLocalDate(last)}?`,
      )
      ok = false
    }
  }
  if (from !== null && to !== null && to.day < from.day) {
    r.report(e.get('to'), `"to" of "effective" (${to.text}) is before its "from" (${from.text})`)
    ok = false
  }
  if (!ok) return null
  return { ...(from === null ? {} : { from: from.text }), ...(to === null ? {} : { to: to.text }) }
}

function readRamp(r: PlanReader, node: Node | null): Rational[] | null {
  if (node === null) return []
  const list = r.seq(node, '"ramp" of the plan', 'a list of factors such as [25%, 50%, 75%]')
  if (list === null) return null
  const ramp = list.items.map((item, index) =>
    readFactor(r, r.resolve(item), `factor ${index + 1} of "ramp"`, 'non-negative'),
  )
  return ramp.every((factor) => factor !== null) ? ramp : null
}

function readDraw(r: PlanReader, node: Node | null): Draw | null {
  const map = r.map(node, '"draw" of the plan', 'a map such as { amount: 1500, recoverable: true }')
  if (map === null) return null
  const e = r.entries(map, '"draw" of the plan', DRAW_KEYS)
  const amountMinor = readMoney(r, e.get('amount'), '"amount" of "draw"', 'non-negative')
  const recoverable = e.has('recoverable') ? r.bool(e.get('recoverable'), '"recoverable" of "draw"') : true
  return amountMinor === null || recoverable === null ? null : { amountMinor, recoverable }
}
