import { writeFile } from 'node:fs/promises'
import { formatMoney, formatMoneyForPeople, getCurrency } from '../../core/money/money.ts'
import { formatFixed, mul, parseDecimal, ratio } from '../../core/money/rational.ts'
import { approvePayouts, payrollFor, statementFor } from '../../app/payouts/payouts.ts'
import type { Io } from './main.ts'
import { actor, type DbOptions, type OpenDb, withDb } from './with-db.ts'
import { bigintsAsText, statementNoteLines } from './disputes-command.ts'
import { renderStatementPdf } from '../pdf/statement-pdf.ts'
import { statementPdfInput } from '../pdf/statement-pdf-input.ts'

const csvCell = (text: string): string => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text)

/** `followthrough export payroll PERIOD [--lines]`: CSV for finance on stdout. */
export async function exportPayrollCommand(
  period: string,
  opts: DbOptions & { lines?: boolean },
  io: Io,
  openDb: OpenDb,
): Promise<number> {
  return withDb(opts, io, openDb, async (db, orgId) => {
    const payroll = await payrollFor(db, { orgId, period, lines: opts.lines === true })
    const header = [
      'rep',
      'email',
      'period',
      'currency',
      'amount',
      ...(opts.lines === true ? ['kind', 'rule', 'deal'] : []),
      'approved',
      'ledger_head',
    ]
    const approved =
      payroll.approval !== null
        ? `yes (${payroll.approval.by} ${payroll.approval.at})`
        : payroll.staleApproval !== null
          ? `no (an earlier close was approved by ${payroll.staleApproval.by} ${payroll.staleApproval.at}; reopened and closed again since)`
          : 'no'
    const out = [header.join(',')]
    for (const row of payroll.rows) {
      const digits = getCurrency(row.currency)?.digits ?? 2
      const cells = [row.rep, row.email, row.period, row.currency, formatMoney(row.amountMinor, digits)]
      if (opts.lines === true) cells.push(row.kind ?? '', row.rule ?? '', row.deal ?? '')
      cells.push(approved, payroll.head.hash)
      out.push(cells.map(csvCell).join(','))
    }
    io.stdout(out.join('\n') + '\n')
    if (payroll.approval === null)
      io.stderr(
        payroll.staleApproval !== null
          ? `Note: the payouts of ${period} are not approved: the approval of ${payroll.staleApproval.at} was for an earlier close, reopened since (followthrough payouts approve ${period}).\n`
          : `Note: the payouts of ${period} are not approved yet (followthrough payouts approve ${period}).\n`,
      )
    return 0
  })
}

/** `followthrough payouts approve PERIOD`. */
export async function approvePayoutsCommand(
  period: string,
  opts: DbOptions,
  io: Io,
  openDb: OpenDb,
): Promise<number> {
  return withDb(opts, io, openDb, async (db, orgId) => {
    await approvePayouts(db, { orgId, period, actor: actor(), now: new Date() })
    io.stdout(`Approved the payouts of ${period}.\n`)
    return 0
  })
}

/** `followthrough statement REP PERIOD [--format table|json] [--pdf FILE]`. */
export async function statementCommand(
  rep: string,
  period: string,
  opts: DbOptions & { format?: string; pdf?: string },
  io: Io,
  openDb: OpenDb,
): Promise<number> {
  return withDb(opts, io, openDb, async (db, orgId) => {
    if (opts.pdf !== undefined) {
      await writeFile(opts.pdf, await renderStatementPdf(await statementPdfInput(db, { orgId, rep, period })))
      io.stderr(`Wrote the statement of ${rep} for ${period} to ${opts.pdf}.\n`)
    }
    const s = await statementFor(db, { orgId, rep, period })
    if (opts.format === 'json') {
      io.stdout(
        JSON.stringify(
          {
            rep,
            period,
            ...s,
            yearToDateMinor: undefined,
            yearToDate: Number(s.yearToDateMinor),
            head: { seq: String(s.head.seq), hash: s.head.hash },
          },
          bigintsAsText,
          2,
        ) + '\n',
      )
      return 0
    }
    const [org] = await db.query<{ currency: string }>('select currency from organizations where id = $1', [
      orgId,
    ])
    const currency = getCurrency(org?.currency ?? 'USD') ?? { code: 'USD', digits: 2 }
    const money = (minor: number | bigint) => formatMoneyForPeople(BigInt(minor), currency)
    const lines = [`Statement for ${rep}, ${period} (closed ${s.closedAt})`]
    if (s.result === null) lines.push('  Nothing was computed for this rep in this period.')
    else {
      for (const [id, m] of Object.entries(s.result.metrics)) {
        const show = (v: number) => (s.moneyMetrics.includes(id) ? money(v) : String(v))
        const goal = m.quota === null ? '' : ` of ${show(m.quota)}`
        const pct = m.attainment === null ? '' : ` (${formatPercent(m.attainment)})`
        lines.push(`  ${id}: ${show(m.value)}${goal}${pct}`)
      }
      for (const l of s.result.lines) {
        const name = l.kind === 'adjustment' ? 'prior-period adjustment' : l.kind
        lines.push(
          `  ${name}${l.rule === undefined ? '' : ' ' + l.rule}${l.deal === undefined ? '' : ' ' + l.deal}: ${money(l.amount)}${l.forfeited === 0 ? '' : `, forfeited ${money(l.forfeited)}`}${l.capped === 0 ? '' : `, capped ${money(l.capped)}`}`,
        )
        if (l.kind === 'adjustment') lines.push(...s.adjustments.flatMap((ref) => adjustmentText(ref, money)))
      }
      for (const o of s.result.outcomes) lines.push(`  ${o.rule}: ${JSON.stringify(o.effects)}`)
      lines.push(`  payout ${money(s.result.payout)}, balance owed ${money(s.result.balance)}`)
      for (const w of s.result.warnings) lines.push(`  note: ${w}`)
    }
    lines.push(...statementNoteLines(s.notes, currency))
    lines.push(`  year to date ${money(s.yearToDateMinor)}`, `  ledger head ${s.head.seq}: ${s.head.hash}`)
    io.stdout(lines.join('\n') + '\n')
    return 0
  })
}

/** The closed periods and deals behind a prior-period adjustment, one line per period. */
function adjustmentText(ref: Record<string, unknown>, money: (minor: bigint) => string): string[] {
  const periods = Array.isArray(ref.periods) ? (ref.periods as Record<string, unknown>[]) : []
  return periods.map((p) => {
    const deals = (['added', 'changed', 'removed'] as const)
      .map((k) => {
        const ids = Array.isArray(p[k]) ? (p[k] as string[]) : []
        const count = typeof p[`${k}Count`] === 'number' ? (p[`${k}Count`] as number) : ids.length
        return ids.length === 0
          ? ''
          : `${k} ${ids.join(', ')}${count > ids.length ? ` and ${count - ids.length} more` : ''}`
      })
      .filter((t) => t !== '')
    const amount = (v: unknown) => money(BigInt(typeof v === 'string' ? v : '0'))
    return `    for ${String(p.period)} (closed ${String(p.closedAt)}): ${amount(p.beforeMinor)} then, ${amount(p.afterMinor)} now${deals.length === 0 ? '' : `; deals ${deals.join('; ')}`}`
  })
}

/** A 6-place attainment string as a percentage with one decimal, from its text ("1.310750" → "131.1%"). */
function formatPercent(attainment: string): string {
  const parsed = parseDecimal(attainment)
  return parsed === null ? attainment : `${formatFixed(mul(parsed, ratio(100n)), 1)}%`
}
