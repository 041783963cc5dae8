import { type Command, Option } from 'commander'
import type { Dispute } from '../../app/disputes/dispute.ts'
import { listDisputes } from '../../app/disputes/list-disputes.ts'
import { openDispute } from '../../app/disputes/open-dispute.ts'
import { resolveDispute } from '../../app/disputes/resolve-dispute.ts'
import { type StatementNotes, statementNotes } from '../../app/disputes/statement-notes.ts'
import type { Queryable } from '../../app/ports/sql.ts'
import { type Currency, formatMoneyForPeople, getCurrency, parseMoney } from '../../core/money/money.ts'
import { asOption, cliActor } from './acknowledge-command.ts'
import type { Io } from './main.ts'
import { dbOptions, type DbOptions, type OpenDb, withDb } from './with-db.ts'

const WRONG_USAGE = 2
const positive = (text: string): number | null => (/^[1-9]\d{0,14}$/.test(text) ? Number(text) : null)

async function currencyOf(db: Queryable, orgId: string): Promise<Currency> {
  const [org] = await db.query<{ currency: string }>('select currency from organizations where id = $1', [
    orgId,
  ])
  return getCurrency(org?.currency ?? 'USD') ?? { code: 'USD', digits: 2 }
}

/**
 * `followthrough disputes list|lines|open|accept|reject`: a rep disputes a statement line (named
 * by its ledger seq, see `disputes lines`); a manager accepts it with an adjustment booked in an
 * open period, or rejects it with a reason.
 */
export function disputesCommand(
  program: Command,
  io: Io,
  done: (status: number) => void,
  openDb: OpenDb,
): void {
  const disputes = program.command('disputes').description('Disputed statement lines and their answers')

  dbOptions(
    disputes
      .command('list')
      .description('Disputes, newest first, with their answers (a rep sees their own, a manager their reps)')
      .option('--rep <rep>')
      .option('--period <period>', "the disputed line's period")
      .addOption(new Option('--state <state>').choices(['open', 'accepted', 'rejected']))
      .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
      .addOption(asOption()),
  ).action(
    async (
      opts: DbOptions & {
        rep?: string
        period?: string
        state?: Dispute['state']
        format: string
        as?: string
      },
    ) => {
      done(
        await withDb(opts, io, openDb, async (db, orgId) => {
          const who = await cliActor(db, orgId, opts.as, { role: 'admin', repId: null })
          const list = await listDisputes(db, {
            orgId,
            actor: who,
            ...(opts.state === undefined ? {} : { state: opts.state }),
            ...(opts.rep === undefined ? {} : { repId: opts.rep }),
            ...(opts.period === undefined ? {} : { period: opts.period }),
          })
          if (opts.format === 'json') io.stdout(JSON.stringify(list, bigintsAsText, 2) + '\n')
          else if (list.length === 0) io.stdout('No disputes.\n')
          else {
            const currency = await currencyOf(db, orgId)
            io.stdout(list.map((d) => disputeText(d, currency)).join('\n') + '\n')
          }
          return 0
        }),
      )
    },
  )

  dbOptions(
    disputes
      .command('lines')
      .description("A rep's statement lines of a closed period with the ledger seq that names each")
      .argument('<rep>')
      .argument('<period>'),
  ).action(async (rep: string, period: string, opts: DbOptions) => {
    done(
      await withDb(opts, io, openDb, async (db, orgId) => {
        const notes = await statementNotes(db, { orgId, rep, period })
        const money = moneyOf(await currencyOf(db, orgId))
        if (notes.ledgerLines.length === 0) io.stdout(`No ledger lines for ${rep} in ${period}.\n`)
        for (const l of notes.ledgerLines)
          io.stdout(
            `${l.seq}  ${l.kind}${l.rule === null ? '' : ` ${l.rule}`}${l.deal === null ? '' : ` ${l.deal}`}: ${money(l.amountMinor)}\n`,
          )
        return 0
      }),
    )
  })

  dbOptions(
    disputes
      .command('open')
      .description('Dispute a line of your statement, named by its ledger seq (see `disputes lines`)')
      .argument('<rep>')
      .argument('<seq>', 'the ledger entry of the line')
      .requiredOption('--message <text>', 'what is wrong with the line')
      .addOption(asOption()),
  ).action(async (rep: string, seqText: string, opts: DbOptions & { message: string; as?: string }) => {
    const seq = positive(seqText)
    if (seq === null) {
      io.stderr(`error: "${seqText}" is not a ledger seq (1, 2, …)\n`)
      return done(WRONG_USAGE)
    }
    done(
      await withDb(opts, io, openDb, async (db, orgId) => {
        const d = await db.transaction(async (tx) =>
          openDispute(tx, {
            orgId,
            actor: await cliActor(tx, orgId, opts.as, { role: 'rep', repId: rep }),
            now: new Date(),
            ledgerSeq: BigInt(seqText),
            message: opts.message,
          }),
        )
        io.stdout(`Opened dispute ${d.id} on ledger entry ${d.ledgerSeq} (${d.period}).\n`)
        return 0
      }),
    )
  })

  dbOptions(
    disputes
      .command('accept')
      .description('Accept a dispute: book an adjustment in an open period (never in a closed one)')
      .argument('<id>')
      .requiredOption(
        '--amount <amount>',
        'the adjustment in currency units, e.g. 250.00 (negative takes back)',
      )
      .option('--period <period>', 'an open period after the disputed one (default: the next open one)')
      .option('--reason <text>', 'why (shown to the rep)')
      .addOption(asOption()),
  ).action(
    async (
      idText: string,
      opts: DbOptions & { amount: string; period?: string; reason?: string; as?: string },
    ) => {
      const id = positive(idText)
      if (id === null) {
        io.stderr(`error: "${idText}" is not a dispute id\n`)
        return done(WRONG_USAGE)
      }
      done(
        await withDb(opts, io, openDb, async (db, orgId) => {
          const currency = await currencyOf(db, orgId)
          const amountMinor = parseMoney(opts.amount.trim(), currency.digits)
          if (amountMinor === null) {
            io.stderr(`error: --amount "${opts.amount}" is not an amount in ${currency.code} (e.g. 250.00)\n`)
            return WRONG_USAGE
          }
          const d = await db.transaction(async (tx) =>
            resolveDispute(tx, {
              orgId,
              actor: await cliActor(tx, orgId, opts.as, { role: 'admin', repId: null }),
              now: new Date(),
              id,
              decision: 'accept',
              amountMinor,
              ...(opts.period === undefined ? {} : { period: opts.period }),
              ...(opts.reason === undefined ? {} : { reason: opts.reason }),
            }),
          )
          io.stdout(disputeText(d, currency) + '\n')
          return 0
        }),
      )
    },
  )

  dbOptions(
    disputes
      .command('reject')
      .description('Reject a dispute with a written reason the rep sees')
      .argument('<id>')
      .requiredOption('--reason <text>', 'why the line stands')
      .addOption(asOption()),
  ).action(async (idText: string, opts: DbOptions & { reason: string; as?: string }) => {
    const id = positive(idText)
    if (id === null) {
      io.stderr(`error: "${idText}" is not a dispute id\n`)
      return done(WRONG_USAGE)
    }
    done(
      await withDb(opts, io, openDb, async (db, orgId) => {
        const d = await db.transaction(async (tx) =>
          resolveDispute(tx, {
            orgId,
            actor: await cliActor(tx, orgId, opts.as, { role: 'admin', repId: null }),
            now: new Date(),
            id,
            decision: 'reject',
            reason: opts.reason,
          }),
        )
        io.stdout(disputeText(d, await currencyOf(db, orgId)) + '\n')
        return 0
      }),
    )
  })
}

const moneyOf = (currency: Currency) => (minor: bigint) => formatMoneyForPeople(minor, currency)

/** A dispute in a few lines: the line, the message, the answer. */
export function disputeText(d: Dispute, currency: Currency): string {
  const money = moneyOf(currency)
  const line = `${d.line.kind}${d.line.rule === null ? '' : ` ${d.line.rule}`}${d.line.deal === null ? '' : ` ${d.line.deal}`}`
  const answer =
    d.state === 'open'
      ? 'open, waiting for an answer'
      : d.state === 'rejected'
        ? `rejected by ${d.resolvedBy ?? ''} on ${d.resolvedAt ?? ''}: ${d.reason ?? ''}`
        : `accepted by ${d.resolvedBy ?? ''} on ${d.resolvedAt ?? ''}: ${money(d.adjustment?.amountMinor ?? 0n)} booked in ` +
          `${d.adjustment?.period ?? ''} (ledger entry ${d.adjustment?.ledgerSeq ?? ''})${d.reason === null ? '' : `: ${d.reason}`}`
  return [
    `dispute ${d.id}: ${d.repId}, ${d.period}, ledger entry ${d.ledgerSeq} (${line}, ${money(d.line.amountMinor)})`,
    `  "${d.message}" (${d.openedAt})`,
    `  ${answer}`,
  ].join('\n')
}

/** The statement's notes as text lines: acknowledgement, disputes of its lines, adjustments booked in it. */
export function statementNoteLines(notes: StatementNotes, currency: Currency): string[] {
  const money = moneyOf(currency)
  const out: string[] = []
  const a = notes.acknowledgement
  const ack = a?.acknowledgement ?? null
  if (a !== null && (ack === null || (a.closedAt !== null && ack.acknowledgedAt > a.closedAt)))
    out.push(
      `  note: ${a.repId} had not acknowledged ${a.planId} v${a.version} (sha256 ${a.hash}), the plan version in force for ${a.period}` +
        (ack === null ? '.' : `, when it was closed (acknowledged on ${ack.acknowledgedAt}).`),
    )
  else if (a !== null && ack !== null)
    out.push(`  plan ${a.planId} v${a.version} acknowledged as "${ack.typedName}" on ${ack.acknowledgedAt}`)
  for (const d of notes.disputes)
    out.push(
      `  dispute ${d.id} of ledger entry ${d.ledgerSeq}: ${d.state}${d.reason === null ? '' : ` (${d.reason})`}`,
    )
  for (const x of notes.disputeAdjustments)
    out.push(
      `  adjustment of dispute ${x.disputeId} (a line of ${x.disputedPeriod}): ${money(x.amountMinor)}, ledger entry ${x.ledgerSeq}`,
    )
  return out
}

/** JSON.stringify replacer: bigints as their decimal text. */
export function bigintsAsText(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value
}
