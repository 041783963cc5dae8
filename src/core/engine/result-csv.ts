import { formatMoney } from '../money/money.ts'
import type { RunResult } from './result.ts'

const HEADER = ['plan', 'period', 'rep', 'kind', 'rule', 'deal', 'amount', 'forfeited', 'capped'] as const

/** A field quoted as RFC 4180 asks when it holds a comma, a quote or a line break. */
function field(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/**
 * One row per line of every rep, period and plan, in result order; money in decimal currency
 * units ("1234.50"), exact from minor units. Rows end with "\n", the last one included.
 */
export function formatResultCsv(result: RunResult): string {
  const rows: string[] = [HEADER.join(',')]
  for (const plan of result.plans) {
    const digits = plan.currency.digits
    for (const period of plan.periods) {
      // Money never needs quotes; the texts are quoted once per plan, period and rep.
      const prefix = `${field(plan.id)},${field(period.period)},`
      for (const rep of period.reps) {
        const repPrefix = `${prefix}${field(rep.rep)},`
        for (const line of rep.lines) {
          rows.push(
            `${repPrefix}${line.kind},${field(line.rule ?? '')},${field(line.deal ?? '')},` +
              `${formatMoney(line.amountMinor, digits)},${formatMoney(line.forfeitedMinor, digits)},` +
              formatMoney(line.cappedMinor, digits),
          )
        }
      }
    }
  }
  return rows.join('\n') + '\n'
}
