import { parsePeriodKey, type PeriodKind } from '../calendar/period.ts'
import { parseDecimal } from '../money/rational.ts'
import type { Plan } from '../plans/plan.ts'
import { checkNonNegativeDecimal, parseMoneyCell, quote } from './cells.ts'
import { cellAt, matchHeader, reportEmptyFile, type Header, type RowReader } from './header.ts'
import type { IssueCollector } from './issues.ts'
import type { QuotaOverride, Rep } from './records.ts'

const KNOWN = ['rep', 'period', 'metric', 'amount']
const REQUIRED = KNOWN
const KIND_NOUN: Record<PeriodKind, string> = { month: 'a month', quarter: 'a quarter', year: 'a year' }
const PLAN_ADJECTIVE: Record<PeriodKind, string> = { month: 'monthly', quarter: 'quarterly', year: 'yearly' }

/** What quotas are checked against: the reps read before, and the plans of the run. */
export interface QuotaContext {
  readonly reps: readonly Rep[]
  readonly repIndex: ReadonlyMap<string, number>
  readonly plans: readonly Plan[]
}

/**
 * Reads quotas.csv: for a known rep on a plan of the run, a period key of that plan's kind, a
 * metric the plan defines, at most one row per (rep, period, metric), and an amount ≥ 0 (money
 * with the currency's digits for money metrics). Rows of reps whose plan is not in the run are
 * skipped without a word; an unknown rep is an issue.
 */
export function readQuotas(
  file: string,
  issues: IssueCollector,
  context: QuotaContext,
): RowReader<QuotaOverride[]> {
  let header: Header | null = null
  const quotas: QuotaOverride[] = []
  const lineOf = new Map<string, number>()
  const planById = new Map(context.plans.map((p) => [p.id, p]))

  return {
    header(cells, line) {
      header = matchHeader(cells, line, KNOWN, REQUIRED, file, issues)
    },

    row(cells, line) {
      const columns = header?.columns
      // Without every column a row cannot be checked; the header's issues say why.
      if (columns === undefined || columns.size < REQUIRED.length) return
      const report = (message: string): void => issues.add(file, line, message)
      const cell = (name: string): string => cellAt(cells, columns.get(name) ?? -1)

      const repId = cell('rep')
      const rep = repId === '' ? undefined : context.repIndex.get(repId)
      if (rep === undefined) return report(repId === '' ? 'rep is empty' : `unknown rep ${quote(repId)}`)
      const planId = context.reps[rep]?.plan
      const plan = planId === null || planId === undefined ? undefined : planById.get(planId)
      if (plan === undefined) return

      let ok = true
      const fail = (message: string): void => {
        report(message)
        ok = false
      }
      const periodText = cell('period')
      const period = parsePeriodKey(periodText)
      if (period === null) {
        fail(`period ${quote(periodText)} is not a period key (2026-01, 2026-Q1 or 2026)`)
      } else if (period.kind !== plan.period) {
        fail(
          `period ${periodText} is ${KIND_NOUN[period.kind]}, but plan ${plan.id} is ${PLAN_ADJECTIVE[plan.period]}`,
        )
      }
      const metricId = cell('metric')
      const metric = plan.metrics.find((m) => m.id === metricId)
      if (metric === undefined) {
        fail(metricId === '' ? 'metric is empty' : `plan ${plan.id} has no metric ${quote(metricId)}`)
      }

      const amountText = cell('amount')
      const problem =
        amountText === ''
          ? 'amount is empty'
          : metric?.money === true
            ? parseMoneyCell('amount', amountText, { digits: plan.currency.digits, code: plan.currency.code })
            : checkNonNegativeDecimal('amount', amountText)
      if (typeof problem === 'string') fail(problem)

      if (period === null || period.kind !== plan.period || metric === undefined) return
      const key = `${rep}\u0000${periodText}\u0000${metricId}`
      const first = lineOf.get(key)
      if (first !== undefined) {
        return report(`duplicate quota for ${repId}, ${periodText}, ${metricId} (also on line ${first})`)
      }
      lineOf.set(key, line)
      if (!ok) return
      const amount = parseDecimal(amountText)
      if (amount !== null) quotas.push({ rep, period, metric: metricId, amount })
    },

    finish() {
      if (header === null) reportEmptyFile(file, REQUIRED, issues)
      return quotas
    },
  }
}
