import { parsePeriodKey } from '../calendar/period.ts'
import { checkNonNegativeDecimal, quote } from '../records/cells.ts'
import type { RowReader } from '../records/header.ts'
import type { IssueCollector } from '../records/issues.ts'
import type { QuotaContext } from '../records/read-quotas.ts'

/**
 * Checks the quota rows `readQuotas` passes over without a word, those of reps whose plan is not
 * among the plans (none published yet), as far as they can be without a plan: a period key, a
 * metric, an amount ≥ 0, one row per (rep, period, metric). Stored, such rows must still be sound.
 */
export function checkUnplannedQuotas(
  file: string,
  issues: IssueCollector,
  context: QuotaContext,
): RowReader<void> {
  const planned = new Set(context.plans.map((p) => p.id))
  const at = new Map<string, number>()
  const lineOf = new Map<string, number>()
  return {
    header(cells) {
      cells.forEach((c, i) => {
        const name = c
          .replace(/^\uFEFF/, '')
          .trim()
          .toLowerCase()
        if (!at.has(name)) at.set(name, i)
      })
    },
    row(cells, line) {
      if (!['rep', 'period', 'metric', 'amount'].every((c) => at.has(c))) return
      const cell = (name: string): string => (cells[at.get(name) ?? -1] ?? '').trim()
      const rep = context.repIndex.get(cell('rep'))
      if (rep === undefined) return
      const plan = context.reps[rep]?.plan ?? null
      if (plan !== null && planned.has(plan)) return
      const report = (message: string): void => issues.add(file, line, message)
      const period = cell('period')
      if (parsePeriodKey(period) === null)
        report(`period ${quote(period)} is not a period key (2026-01, 2026-Q1 or 2026)`)
      const metric = cell('metric')
      if (metric === '') report('metric is empty')
      const amount = cell('amount')
      const problem = amount === '' ? 'amount is empty' : checkNonNegativeDecimal('amount', amount)
      if (problem !== null) report(problem)
      const key = `${cell('rep')}\u0000${period}\u0000${metric}`
      const first = lineOf.get(key)
      if (first !== undefined)
        report(`duplicate quota for ${cell('rep')}, ${period}, ${metric} (also on line ${first})`)
      else lineOf.set(key, line)
    },
    finish() {},
  }
}
