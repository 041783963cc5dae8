import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml'
import { isTimeZone } from '../calendar/instant.ts'
import { didYouMeanClause } from '../plans/did-you-mean.ts'
import { PlanReader, type PlanIssue } from '../plans/plan-reader.ts'
import type { MoneyRule } from './clean-money.ts'
import { compileDateFormat, type DateFormat } from './date-format.ts'
import {
  CANONICAL_COLUMNS,
  IMPORT_KINDS,
  type ColumnRule,
  type DateRule,
  type ImportKind,
  type Mapping,
  type RepMatch,
  type RowFilter,
  type SplitRule,
} from './mapping.ts'

/** A problem in a mapping file at a 1-based line and column. */
export type MappingIssue = PlanIssue

const TOP = {
  allowed: ['name', 'kind', 'description', 'where', 'columns', 'splits'],
  required: ['kind', 'columns'],
}
const FILTER = { allowed: ['column', 'in', 'not_in', 'optional'], required: ['column'] }
const RULE = {
  allowed: [
    'from',
    'optional',
    'value',
    'default',
    'values',
    'unmapped',
    'date',
    'timezone',
    'offset',
    'drop_time',
    'money',
    'rep',
    'prefix',
  ],
  required: [],
}
const MONEY = { allowed: ['symbols', 'thousands', 'decimal'], required: [] }
const SPLITS = { allowed: ['percent'], required: ['percent'] }
const TARGET = /^[a-z][a-z0-9_]*$/
const OFFSET = /^(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/

/**
 * Reads a mapping written in YAML and checks it whole: every problem with its line and column;
 * `mapping` is null when there is any. `name` is the mapping's name when the file gives none.
 */
export function parseMapping(
  fileText: string,
  file: string,
  name = file,
): { mapping: Mapping | null; issues: MappingIssue[] } {
  const text = fileText.replace(/^\uFEFF/, '')
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, {
    lineCounter,
    keepSourceTokens: true,
    prettyErrors: false,
    uniqueKeys: true,
  })
  const r = new PlanReader(text, file, lineCounter, doc)
  for (const e of doc.errors)
    r.reportAt(e.pos[0], `invalid YAML: ${e.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '')}`)
  const mapping = doc.errors.length === 0 ? readMapping(r, r.resolve(doc.contents), name) : null
  const issues = [...r.issues].sort((a, b) => a.line - b.line || a.column - b.column)
  return { mapping: issues.length === 0 ? mapping : null, issues }
}

function readMapping(r: PlanReader, node: Node | null, fallbackName: string): Mapping | null {
  if (node === null) {
    r.reportAt(0, 'the mapping is empty: it needs at least kind and columns')
    return null
  }
  const map = r.map(node, 'the mapping', 'a map of keys such as kind and columns')
  if (map === null) return null
  const e = r.entries(map, 'the mapping', TOP)
  const kind = r.oneOf(e.get('kind'), '"kind" of the mapping', IMPORT_KINDS)
  const name = e.has('name') ? r.text(e.get('name'), '"name" of the mapping') : fallbackName
  const description = e.has('description') ? (r.text(e.get('description'), '"description"') ?? '') : ''
  const where = readFilters(r, e.get('where'))
  const columns = readColumns(r, e.get('columns'), kind)
  const splits = e.has('splits') ? readSplits(r, e.get('splits'), kind, columns, e.keyNode('splits')) : null
  if (kind === null || name === null || columns === null) return null
  return { name, kind, description, where, columns, splits }
}

function readFilters(r: PlanReader, node: Node | null): RowFilter[] {
  const seq = r.seq(node, '"where"', 'a list of filters such as - { column: Stage, in: [Closed Won] }')
  if (seq === null) return []
  return seq.items.flatMap((item) => {
    const map = r.map(r.resolve(item), 'a filter', 'a map such as { column: Stage, in: [Closed Won] }')
    if (map === null) return []
    const e = r.entries(map, 'a filter', FILTER)
    const column = texts(r, e.get('column'), '"column" of a filter')
    const optional = e.has('optional')
      ? (r.bool(e.get('optional'), '"optional" of a filter') ?? false)
      : false
    const within = e.has('in') ? texts(r, e.get('in'), '"in" of a filter') : null
    const notIn = e.has('not_in') ? texts(r, e.get('not_in'), '"not_in" of a filter') : null
    if (within === null && notIn === null)
      r.report(map, 'a filter needs "in" or "not_in": the values a row must have, or must not have')
    return column === null || column.length === 0 ? [] : [{ column, optional, in: within, notIn }]
  })
}

function readColumns(r: PlanReader, node: Node | null, kind: ImportKind | null): ColumnRule[] | null {
  const map = r.map(node, '"columns"', 'a map of canonical columns to export columns, such as id: Deal ID')
  if (map === null) return null
  const rules: ColumnRule[] = []
  const written: string[] = []
  for (const pair of map.items) {
    const to = r.keyText(pair.key, '"columns"')
    if (to === null) continue
    written.push(to)
    const keyNode = pair.key as Node
    if (!TARGET.test(to)) {
      r.report(keyNode, `column "${to}" must be a lower-case name such as closed_on or region`)
      continue
    }
    const rule = readRule(r, r.resolve(pair.value), to, keyNode)
    if (rule !== null) rules.push(rule)
  }
  if (kind !== null) {
    for (const required of CANONICAL_COLUMNS[kind].required) {
      if (!written.includes(required))
        r.report(map, `the columns of a ${kind} mapping must include ${required}`)
    }
  }
  return rules
}

function readRule(r: PlanReader, node: Node | null, to: string, keyNode: Node): ColumnRule | null {
  const base = {
    to,
    from: null,
    optional: false,
    value: null,
    default: null,
    values: null,
    unmapped: 'keep' as const,
    date: null,
    money: null,
    rep: null,
    prefix: '',
  }
  if (node === null) {
    r.report(keyNode, `column ${to} has no value: write the export's column, such as ${to}: Deal ID`)
    return null
  }
  if (isScalar(node) || isSeq(node)) {
    const from = texts(r, node, `the export column of ${to}`) ?? []
    return from.length === 0 ? null : { ...base, from }
  }
  const map = r.map(node, `column ${to}`, 'an export column name, or a map with from: or value:')
  if (map === null) return null
  const what = `column ${to}`
  const e = r.entries(map, what, RULE)
  const from = e.has('from') ? texts(r, e.get('from'), `"from" of ${what}`) : null
  const value = e.has('value') ? scalar(r, e.get('value'), `"value" of ${what}`) : null
  if (e.has('from') === e.has('value'))
    r.report(
      map,
      `${what} needs either "from" (an export column) or "value" (a constant), not ${e.has('from') ? 'both' : 'neither'}`,
    )
  const unmapped = e.has('unmapped')
    ? r.oneOf(e.get('unmapped'), `"unmapped" of ${what}`, ['keep', 'error'] as const)
    : 'keep'
  return {
    ...base,
    from: from === null || from.length === 0 ? null : from,
    optional: e.has('optional') ? (r.bool(e.get('optional'), `"optional" of ${what}`) ?? false) : false,
    value,
    default: e.has('default') ? scalar(r, e.get('default'), `"default" of ${what}`) : null,
    values: e.has('values') ? readValues(r, e.get('values'), what) : null,
    unmapped: unmapped ?? 'keep',
    date: readDate(r, e, what, map),
    money: e.has('money') ? readMoney(r, e.get('money'), what) : null,
    rep: e.has('rep') ? readRepMatch(r, e.get('rep'), what) : null,
    prefix: e.has('prefix') ? (r.text(e.get('prefix'), `"prefix" of ${what}`) ?? '') : '',
  }
}

type Entries = ReturnType<PlanReader['entries']>

function readDate(r: PlanReader, e: Entries, what: string, map: YAMLMap): DateRule | null {
  const zoneKeys = ['timezone', 'offset', 'drop_time'].filter((k) => e.has(k))
  if (!e.has('date')) {
    for (const k of zoneKeys)
      r.report(e.keyNode(k), `"${k}" of ${what} goes with "date": the format of the export's dates`)
    return null
  }
  const formats: DateFormat[] = []
  for (const { node, text } of textNodes(r, e.get('date'), `"date" of ${what}`)) {
    const format = compileDateFormat(text)
    if (typeof format === 'string') r.report(node, format)
    else formats.push(format)
  }
  const timezone = e.has('timezone') ? r.text(e.get('timezone'), `"timezone" of ${what}`) : null
  if (timezone !== null && !isTimeZone(timezone)) {
    const hint = didYouMeanClause(timezone, Intl.supportedValuesOf('timeZone'))
    r.report(
      e.get('timezone'),
      `unknown time zone "${timezone}": write an IANA name such as America/Chicago or UTC${hint}`,
    )
  }
  const offset = e.has('offset') ? r.text(e.get('offset'), `"offset" of ${what}`) : null
  if (offset !== null && !OFFSET.test(offset))
    r.report(e.get('offset'), `offset "${offset}" of ${what} must be like -05:00, +01:00 or Z`)
  const dropTime = e.has('drop_time')
    ? (r.bool(e.get('drop_time'), `"drop_time" of ${what}`) ?? false)
    : false
  if (zoneKeys.length > 1) r.report(map, `${what} takes one of timezone, offset and drop_time`)
  const timed = formats.find((f) => f.hasTime && !f.hasOffset)
  if (timed !== undefined && timezone === null && offset === null && !dropTime) {
    r.report(
      e.get('date'),
      `date format "${timed.source}" of ${what} reads a time without an offset: say which zone it is in (timezone: America/Chicago, or offset: -05:00), or drop_time: true to keep the date only`,
    )
  }
  return { formats, timezone, offset, dropTime }
}

function readMoney(r: PlanReader, node: Node | null, what: string): MoneyRule | null {
  const map = r.map(node, `"money" of ${what}`, 'a map such as { symbols: ["$"], thousands: "," }')
  if (map === null) return null
  const e = r.entries(map, `"money" of ${what}`, MONEY)
  const symbols = e.has('symbols') ? (texts(r, e.get('symbols'), `"symbols" of ${what}`) ?? []) : []
  const thousands = e.has('thousands') ? r.text(e.get('thousands'), `"thousands" of ${what}`) : null
  const decimal = e.has('decimal') ? (r.text(e.get('decimal'), `"decimal" of ${what}`) ?? '.') : '.'
  if (thousands !== null && thousands === decimal)
    r.report(map, `"thousands" and "decimal" of ${what} must differ`)
  return { symbols, thousands, decimal }
}

function readRepMatch(r: PlanReader, node: Node | null, what: string): RepMatch[] | null {
  const ways: RepMatch[] = []
  for (const { node: n, text } of textNodes(r, node, `"rep" of ${what}`)) {
    if (text === 'id' || text === 'email' || text === 'name') ways.push(text)
    else r.report(n, `"rep" of ${what} lists how to recognize a rep: id, email or name, not "${text}"`)
  }
  return ways.length === 0 ? null : ways
}

function readValues(r: PlanReader, node: Node | null, what: string): Map<string, string> | null {
  const map = r.map(node, `"values" of ${what}`, 'a map of export values to canonical values')
  if (map === null) return null
  const values = new Map<string, string>()
  for (const pair of map.items) {
    const key = r.keyText(pair.key, `"values" of ${what}`)
    const value = scalar(r, r.resolve(pair.value), `the value of "${key}"`) ?? ''
    if (key === null) continue
    const folded = key.trim().toLowerCase()
    if (values.has(folded))
      r.report(
        pair.key as Node,
        `"${key}" is listed twice in "values" of ${what} (values are matched ignoring case)`,
      )
    values.set(folded, value)
  }
  return values
}

function readSplits(
  r: PlanReader,
  node: Node | null,
  kind: ImportKind | null,
  columns: ColumnRule[] | null,
  key: Node | null,
): SplitRule | null {
  const map = r.map(node, '"splits"', 'a map such as { percent: Split Percent }')
  if (map === null) return null
  const percent = r.text(r.entries(map, '"splits"', SPLITS).get('percent'), '"percent" of splits')
  if (kind !== null && kind !== 'deals') r.report(key, `"splits" is for deals, not ${kind}`)
  for (const needed of ['id', 'rep']) {
    if (columns !== null && !columns.some((c) => c.to === needed && c.from !== null)) {
      r.report(
        key,
        `"splits" needs id and rep read from export columns (with from): rows are grouped by id, each crediting its rep`,
      )
      break
    }
  }
  return percent === null ? null : { percent }
}

/** A scalar's text as written, '' allowed. */
function scalar(r: PlanReader, node: Node | null, what: string): string | null {
  if (node === null) return ''
  if (!isScalar(node) || typeof node.value === 'object') {
    r.report(node, `${what} must be text`)
    return null
  }
  return typeof node.value === 'string' ? node.value : r.literal(node)
}

/** One text or a list of them, with their nodes. */
function textNodes(r: PlanReader, node: Node | null, what: string): { node: Node; text: string }[] {
  if (node === null) return []
  const items = isSeq(node) ? node.items.map((i) => r.resolve(i)) : [node]
  return items.flatMap((n) => {
    const text = n === null || isMap(n) || isSeq(n) ? null : r.text(n, what)
    if (text === null && n !== null && (isMap(n) || isSeq(n)))
      r.report(n, `${what} must be text or a list of texts`)
    return n === null || text === null ? [] : [{ node: n, text }]
  })
}

function texts(r: PlanReader, node: Node | null, what: string): string[] | null {
  if (node === null) return null
  return textNodes(r, node, what).map((t) => t.text)
}
