import type { RowReader } from '../records/header.ts'
import type { IssueCollector } from '../records/issues.ts'
import { bindMapping, type BoundMapping, type Mapping } from './mapping.ts'
import { NO_REPS, type RepDirectory } from './rep-directory.ts'

/** A row reader fed an export: it counts the rows a filter left out. */
export interface MappedRowReader<T> extends RowReader<T> {
  /** Rows a `where` filter left out. */
  readonly skipped: number
}

interface SplitGroup {
  readonly line: number
  readonly cells: string[]
  readonly shares: string[]
}

/**
 * Feeds an export through a mapping into a canonical row reader: the header once (missing
 * columns reported at its line), each row mapped (its problems reported at its line, the row then
 * withheld from `inner`), filtered rows counted. With `splits`, rows of one id become one deal whose
 * `rep` is `r1:60;r2:40` (rows in file order, 0% rows dropped), passed on at `finish` at the line
 * of the first row; a later row disagreeing with the first on another column is an issue. Split
 * mappings hold every deal until `finish`: memory grows with the file.
 */
export function mapRows<T>(
  mapping: Mapping,
  inner: RowReader<T>,
  file: string,
  issues: IssueCollector,
  reps: RepDirectory = NO_REPS,
): MappedRowReader<T> {
  let bound: BoundMapping | null = null
  let skipped = 0
  const groups = new Map<string, SplitGroup>()
  const idAt = mapping.columns.findIndex((c) => c.to === 'id')
  const repAt = mapping.columns.findIndex((c) => c.to === 'rep')

  const split = (cells: string[], percentText: string, line: number): void => {
    const report = (message: string): void => issues.add(file, line, message)
    const id = cells[idAt] ?? ''
    const percent = readPercent(percentText)
    if (percent === null)
      return report(`${mapping.splits?.percent} ${JSON.stringify(percentText)} is not a percent`)
    const share = `${cells[repAt] ?? ''}:${percent}`
    const group = groups.get(id)
    if (group === undefined) {
      groups.set(id, { line, cells, shares: percent === '0' ? [] : [share] })
      return
    }
    mapping.columns.forEach((rule, i) => {
      if (i === repAt || cells[i] === group.cells[i]) return
      const what = rule.from?.[0] ?? rule.to
      report(
        `${what} ${JSON.stringify(cells[i])} differs from ${JSON.stringify(group.cells[i])} on line ${group.line}, a split of the same deal`,
      )
    })
    if (percent !== '0') group.shares.push(share)
  }

  return {
    get skipped() {
      return skipped
    },

    header(cells, line) {
      const b = bindMapping(mapping, cells, reps)
      for (const message of b.issues) issues.add(file, line, message)
      bound = b.issues.length === 0 ? b : null
      inner.header(b.header, line)
    },

    row(cells, line) {
      if (bound === null) return
      const mapped = bound.apply(cells)
      if (mapped.ok) {
        if (mapping.splits === null) inner.row(mapped.cells, line)
        else split(mapped.cells, mapped.percent ?? '', line)
      } else if (mapped.skipped) skipped++
      else for (const message of mapped.issues) issues.add(file, line, message)
    },

    finish() {
      for (const group of groups.values()) {
        if (group.shares.length === 0) {
          issues.add(file, group.line, 'every split of this deal is 0%')
          continue
        }
        const cells = [...group.cells]
        cells[repAt] = group.shares.join(';')
        inner.row(cells, group.line)
      }
      groups.clear()
      return inner.finish()
    },
  }
}

/** "60.00%", "60 %", "60,5" as "60", "60", "60.5"; null when it is not a number ≥ 0. */
function readPercent(text: string): string | null {
  let t = text.replace(/%/g, '').trim()
  if (!t.includes('.')) t = t.replace(',', '.')
  const m = /^(\d+)(?:\.(\d+))?$/.exec(t)
  if (m === null) return null
  const whole = (m[1] ?? '').replace(/^0+(?=\d)/, '')
  const frac = (m[2] ?? '').replace(/0+$/, '')
  return frac === '' ? whole : `${whole}.${frac}`
}
