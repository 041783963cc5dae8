import { formatMoney, formatMoneyForPeople, getCurrency } from '../../core/money/money.ts'
import { formatFixed, mul, parseDecimal, ratio } from '../../core/money/rational.ts'
import { approvePayouts, payrollFor, statementFor } from '../../app/payouts/payouts.ts'
import type { Io } from './main.ts'
import { actor, type DbOptions, type OpenDb, withDb } from './with-db.ts'

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
    const approved = payroll.approval === null ? 'no' : `yes (${payroll.approval.by} ${payroll.approval.at})`
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
        `Note: the payouts of ${period} are not approved yet (followthrough payouts approve ${period}).\n`,
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

/** `followthrough statement REP PERIOD [--format table|json]`. */
export async function statementCommand(
  rep: string,
  period: string,
  opts: DbOptions & { format?: string },
  io: Io,
  openDb: OpenDb,
): Promise<number> {
  return withDb(opts, io, openDb, async (db, orgId) => {
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
          null,
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
      }
      for (const o of s.result.outcomes) lines.push(`  ${o.rule}: ${JSON.stringify(o.effects)}`)
      lines.push(`  payout ${money(s.result.payout)}, balance owed ${money(s.result.balance)}`)
      for (const w of s.result.warnings) lines.push(`  note: ${w}`)
    }
    lines.push(`  year to date ${money(s.yearToDateMinor)}`, `  ledger head ${s.head.seq}: ${s.head.hash}`)
    io.stdout(lines.join('\n') + '\n')
    return 0
  })
}

/** A 6-place attainment string as a percentage with one decimal, from its text ("1.310750" → "131.1%"). */
function formatPercent(attainment: string): string {
  const parsed = parseDecimal(attainment)
  return parsed === null ? attainment : `${formatFixed(mul(parsed, ratio(100n)), 1)}%`
}
