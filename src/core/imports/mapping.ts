import { cleanMoney, type MoneyRule } from './clean-money.ts'
import { applyDateFormat, type DateFormat, type DateZone } from './date-format.ts'
import { NO_REPS, type RepDirectory, type RepMatch } from './rep-directory.ts'

export type { MoneyRule } from './clean-money.ts'
export type { RepMatch } from './rep-directory.ts'

/** The canonical files an import reads (data-formats spec). */
export type ImportKind = 'reps' | 'deals' | 'activities' | 'quotas'
export const IMPORT_KINDS: readonly ImportKind[] = ['reps', 'deals', 'activities', 'quotas']

/** The canonical columns of each kind, the required ones first. */
export const CANONICAL_COLUMNS: Readonly<
  Record<ImportKind, { all: readonly string[]; required: readonly string[] }>
> = {
  reps: { all: ['id', 'name', 'email', 'manager', 'team', 'plan', 'hired_on', 'left_on'], required: ['id'] },
  deals: {
    all: ['id', 'rep', 'closed_on', 'amount', 'mrr', 'type', 'customer', 'term_months', 'cancelled_on'],
    required: ['id', 'rep', 'closed_on'],
  },
  activities: { all: ['id', 'rep', 'kind', 'occurred_on'], required: ['id', 'rep', 'kind', 'occurred_on'] },
  quotas: { all: ['rep', 'period', 'metric', 'amount'], required: ['rep', 'period', 'metric', 'amount'] },
}

/** A date cell's formats and what a time without an offset means. */
export interface DateRule extends DateZone {
  readonly formats: readonly DateFormat[]
}

/** How one canonical column is made from an export. */
export interface ColumnRule {
  /** The canonical column (or extra field) written. */
  readonly to: string
  /**
   * The export's column read, matched like canonical headers (trimmed, ignoring case); several
   * names are tried in order (an export renamed a column); null for a constant.
   */
  readonly from: readonly string[] | null
  /** An export without the column is no problem: the cell is then empty. */
  readonly optional: boolean
  /** The constant written when `from` is null. */
  readonly value: string | null
  /** Written when the cell is empty. */
  readonly default: string | null
  /** Value map by trimmed, lower-cased cell text. */
  readonly values: ReadonlyMap<string, string> | null
  /** What a cell missing from `values` becomes: itself, or an issue. */
  readonly unmapped: 'keep' | 'error'
  readonly date: DateRule | null
  readonly money: MoneyRule | null
  /** Owner to rep id: the ways to recognize a rep, tried in order. */
  readonly rep: readonly RepMatch[] | null
  /** Put before every non-empty value (ids of two exports that could collide). */
  readonly prefix: string
}

/** A row is imported only when every filter holds (cells compared trimmed, ignoring case). */
export interface RowFilter {
  readonly column: readonly string[]
  /** An export without the column is not filtered on it. */
  readonly optional: boolean
  readonly in: readonly string[] | null
  readonly notIn: readonly string[] | null
}

/** Rows sharing an `id` are one deal, each row crediting its `rep` with the percent in `percent`. */
export interface SplitRule {
  readonly percent: string
}

/** A declarative translation of an export into one kind of canonical file. */
export interface Mapping {
  readonly name: string
  readonly kind: ImportKind
  readonly description: string
  readonly where: readonly RowFilter[]
  readonly columns: readonly ColumnRule[]
  readonly splits: SplitRule | null
}

/** One export row mapped: canonical cells in the order of `BoundMapping.header`, or why not. */
export type MappedRow =
  | { readonly ok: true; readonly cells: string[]; readonly percent: string | null }
  | { readonly ok: false; readonly skipped: true }
  | { readonly ok: false; readonly skipped: false; readonly issues: string[] }

/** A mapping matched to an export's header row. */
export interface BoundMapping {
  /** The canonical header the mapped rows follow. */
  readonly header: readonly string[]
  /** Problems of the header (missing columns); rows cannot be mapped when there is any. */
  readonly issues: readonly string[]
  apply(cells: readonly string[]): MappedRow
}

const quote = (text: string): string => JSON.stringify(text)
const normalizeHeader = (text: string): string =>
  text
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
const MATCH_WORDS: Record<RepMatch, string> = { id: 'id', email: 'email', name: 'name' }

/** Matches a mapping to an export's header; `reps` resolves owner columns to rep ids. */
export function bindMapping(
  mapping: Mapping,
  headerCells: readonly string[],
  reps: RepDirectory = NO_REPS,
): BoundMapping {
  const positions = new Map<string, number>()
  headerCells.forEach((cell, i) => {
    const name = normalizeHeader(cell)
    if (name !== '' && !positions.has(name)) positions.set(name, i)
  })
  const issues: string[] = []
  const at = (names: readonly string[], why: string, optional = false): number => {
    for (const name of names) {
      const index = positions.get(normalizeHeader(name))
      if (index !== undefined) return index
    }
    if (!optional) {
      const written = names.map(quote).join(' or ')
      issues.push(`missing column ${written} (${why}, mapping ${mapping.name})`)
    }
    return -1
  }
  const rules = mapping.columns.map((rule) => ({
    rule,
    index: rule.from === null ? -1 : at(rule.from, `read into ${rule.to}`, rule.optional),
  }))
  const filters = mapping.where.map((filter) => ({
    filter,
    index: at(filter.column, 'filtered on', filter.optional),
    in: filter.in?.map((v) => v.trim().toLowerCase()) ?? null,
    notIn: filter.notIn?.map((v) => v.trim().toLowerCase()) ?? null,
  }))
  const percentAt = mapping.splits === null ? -1 : at([mapping.splits.percent], 'the split percent')

  return {
    header: mapping.columns.map((r) => r.to),
    issues,
    apply(cells) {
      const cell = (index: number): string => (index < 0 ? '' : (cells[index] ?? '').trim())
      for (const f of filters) {
        if (f.index < 0) continue
        const text = cell(f.index).toLowerCase()
        if ((f.in !== null && !f.in.includes(text)) || (f.notIn?.includes(text) ?? false)) {
          return { ok: false, skipped: true }
        }
      }
      const problems: string[] = []
      const out = rules.map(({ rule, index }) => {
        const text = rule.from === null ? (rule.value ?? '') : cell(index)
        const value = mapCell(rule, text, reps)
        if (value.ok) return value.text
        problems.push(value.problem)
        return ''
      })
      if (problems.length > 0) return { ok: false, skipped: false, issues: problems }
      return { ok: true, cells: out, percent: percentAt < 0 ? null : cell(percentAt) }
    },
  }
}

/** One export row through a mapping, for a single row; `bindMapping` once per file is the fast path. */
export function applyMapping(
  mapping: Mapping,
  header: readonly string[],
  row: readonly string[],
  reps: RepDirectory = NO_REPS,
): MappedRow {
  const bound = bindMapping(mapping, header, reps)
  if (bound.issues.length > 0) return { ok: false, skipped: false, issues: [...bound.issues] }
  return bound.apply(row)
}

type CellResult = { ok: true; text: string } | { ok: false; problem: string }

/** default, then the value map, then date, money or rep, then the prefix. */
function mapCell(rule: ColumnRule, cellText: string, reps: RepDirectory): CellResult {
  const what = rule.from?.[0] ?? rule.to
  let text = cellText === '' ? (rule.default ?? '') : cellText
  if (rule.values !== null) {
    const mapped = rule.values.get(text.toLowerCase())
    if (mapped !== undefined) text = mapped
    else if (rule.unmapped === 'error' && text !== '') {
      return { ok: false, problem: `${what} ${quote(text)} is not among the values the mapping lists` }
    }
  }
  if (text === '') return { ok: true, text }
  if (rule.date !== null) {
    const date = applyDateFormat(text, rule.date.formats, rule.date)
    if (date === null) {
      const formats = rule.date.formats.map((f) => f.source).join(' or ')
      return { ok: false, problem: `${what} ${quote(text)} is not a date in the format ${formats}` }
    }
    text = date
  }
  if (rule.money !== null) {
    const money = cleanMoney(text, rule.money)
    if (money === null) return { ok: false, problem: `${what} ${quote(text)} is not an amount` }
    text = money
  }
  if (rule.rep !== null) {
    const found = findRep(text, rule.rep, reps)
    if (typeof found !== 'string') return { ok: false, problem: `${what} ${quote(text)} ${found.problem}` }
    text = found
  }
  return { ok: true, text: rule.prefix + text }
}

/** The rep id of an owner: the first way that finds any rep, when it finds exactly one. */
function findRep(text: string, ways: readonly RepMatch[], reps: RepDirectory): string | { problem: string } {
  for (const by of ways) {
    const ids = reps.find(by, text)
    if (ids.length === 1) return ids[0] as string
    if (ids.length > 1) {
      return {
        problem: `is the ${MATCH_WORDS[by]} of several reps (${ids.join(', ')}): map it to one under values`,
      }
    }
  }
  return { problem: `matches no rep by ${ways.map((w) => MATCH_WORDS[w]).join(', ')}` }
}
