import { formatMoneyForPeople, getCurrency } from '../../core/money/money.ts'
import type { ResultJson } from '../../core/engine/result-json.ts'
import { closePeriod } from '../../app/close/close-period.ts'
import { reopenPeriod } from '../../app/close/reopen-period.ts'
import { verifyLedger } from '../../app/ledger/ledger.ts'
import type { Io } from './main.ts'
import { actor, type DbOptions, type OpenDb, withDb } from './with-db.ts'

/** `followthrough close PERIOD [--dry-run] [--format table|json]`. */
export async function closeCommand(
  period: string,
  opts: DbOptions & { dryRun?: boolean; format?: string },
  io: Io,
  openDb: OpenDb,
): Promise<number> {
  return withDb(opts, io, openDb, async (db, orgId) => {
    const out = await closePeriod(db, {
      orgId,
      period,
      actor: actor(),
      now: new Date(),
      dryRun: opts.dryRun === true,
    })
    if (opts.format === 'json') {
      io.stdout(JSON.stringify(out.result, null, 2) + '\n')
      return 0
    }
    io.stdout(formatCloseTable(out.result))
    if (out.dryRun) {
      io.stdout(`\nDry run of ${period}: nothing was stored.\n`)
      for (const change of out.changes) io.stdout(`  ${change}\n`)
    } else {
      io.stdout(`\nClosed ${period}. Ledger head ${out.head?.seq ?? 0n}: ${out.head?.hash ?? ''}\n`)
    }
    return 0
  })
}

/** `followthrough close reopen PERIOD --reason TEXT`. */
export async function reopenCommand(
  period: string,
  opts: DbOptions & { reason: string },
  io: Io,
  openDb: OpenDb,
): Promise<number> {
  return withDb(opts, io, openDb, async (db, orgId) => {
    const out = await reopenPeriod(db, {
      orgId,
      period,
      reason: opts.reason,
      actor: actor(),
      now: new Date(),
    })
    io.stdout(
      `Reopened ${period}: ${out.reversed} ledger entries reversed. Ledger head ${out.head.seq}: ${out.head.hash}\n`,
    )
    return 0
  })
}

/** `followthrough ledger verify`. */
export async function ledgerVerifyCommand(opts: DbOptions, io: Io, openDb: OpenDb): Promise<number> {
  return withDb(opts, io, openDb, async (db, orgId) => {
    const check = await verifyLedger(db, orgId)
    if (check.ok) {
      io.stdout(`The ledger holds: ${check.entries} entries, head ${check.head}\n`)
      return 0
    }
    io.stderr(
      `The ledger is broken at entry ${check.brokenAt}: ${check.reason} (${check.entries} entries verified before it)\n`,
    )
    return 1
  })
}

/** One row per rep: payout, balance, and the lines in brief. */
export function formatCloseTable(result: ResultJson): string {
  const out: string[] = []
  for (const plan of result.plans) {
    const currency = getCurrency(plan.currency) ?? { code: plan.currency, digits: 2 }
    const money = (minor: number) => formatMoneyForPeople(BigInt(minor), currency)
    for (const period of plan.periods) {
      out.push(`${plan.id} ${period.period} (${period.start} to ${period.end})`)
      const rows = period.reps.map((r) => [
        r.rep,
        money(r.payout),
        money(r.balance),
        r.lines
          .map(
            (l) =>
              `${l.kind === 'adjustment' ? 'prior-period adjustment' : l.kind}${l.rule === undefined ? '' : ' ' + l.rule} ${money(l.amount)}${l.forfeited !== 0 ? ` (forfeited ${money(l.forfeited)})` : ''}`,
          )
          .join('; '),
      ])
      const header = ['rep', 'payout', 'balance', 'lines']
      const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
      const line = (cells: string[]) =>
        '  ' +
        cells
          .map((c, i) =>
            i === 1 || i === 2 ? c.padStart(widths[i] ?? 0) : c.padEnd(i === 3 ? 0 : (widths[i] ?? 0)),
          )
          .join('  ')
      out.push(line(header), ...rows.map(line))
      const total = period.reps.reduce((s, r) => s + BigInt(r.payout), 0n)
      out.push(`  total ${formatMoneyForPeople(total, currency)} to ${period.reps.length} reps`, '')
    }
  }
  return out.join('\n') + '\n'
}
