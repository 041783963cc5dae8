import { type Command, Option } from 'commander'
import { applyOutcome } from '../../app/followthrough/apply-outcome.ts'
import { approveWaiver } from '../../app/followthrough/approve-waiver.ts'
import { decideTerminationReview } from '../../app/followthrough/decide-termination-review.ts'
import { listOutcomeEvents, listOutcomes } from '../../app/followthrough/list-outcomes.ts'
import { markOverdue } from '../../app/followthrough/mark-overdue.ts'
import type { Actor, Outcome, OutcomeState, Role } from '../../app/followthrough/outcome-record.ts'
import { rejectWaiver } from '../../app/followthrough/reject-waiver.ts'
import { requestWaiver } from '../../app/followthrough/request-waiver.ts'
import type { Database, Queryable } from '../../app/ports/sql.ts'
import { DomainError } from '../../core/domain-error.ts'
import type { Io } from './main.ts'
import { actor, type DbOptions, dbOptions, type OpenDb, withDb } from './with-db.ts'

type ActOptions = DbOptions & { as?: string }

/**
 * Who the CLI acts as: `--as PERSON` is that person with their role (people table); without it,
 * the operator (FOLLOWTHROUGH_ACTOR or the login name) with the admin role.
 */
export async function cliActor(db: Queryable, orgId: string, as: string | undefined): Promise<Actor> {
  if (as === undefined) return { id: actor(), role: 'admin' }
  const [person] = await db.query<{ role: Role }>('select role from people where org_id = $1 and id = $2', [
    orgId,
    as,
  ])
  if (person === undefined) throw new DomainError('person.not_found', `No person ${as} in ${orgId}.`)
  return { id: as, role: person.role }
}

/** An outcome id from its first characters (as listed), when they name exactly one. */
async function resolveId(db: Queryable, orgId: string, prefix: string): Promise<string> {
  const rows = await db.query<{ id: string }>(
    `select id from outcomes where org_id = $1 and left(id, length($2)) = $2 order by id limit 2`,
    [orgId, prefix],
  )
  if (rows.length > 1)
    throw new DomainError(
      'outcome.ambiguous_id',
      `${prefix} names more than one outcome: give more of the id.`,
    )
  return rows[0]?.id ?? prefix
}

/** Rows as aligned columns, the first row a header. */
export function alignColumns(rows: readonly (readonly string[])[]): string {
  const widths: number[] = []
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)))
  return (
    rows
      .map((row) =>
        row
          .map((cell, i) => cell.padEnd(widths[i] ?? 0))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  )
}

function what(o: Outcome): string {
  const d = o.detail
  if (o.effect === 'coaching' && typeof d === 'object' && d !== null) {
    const c = d as { program?: string; periods?: number }
    return `coaching ${c.program ?? ''} (${c.periods ?? '?'} periods)`
  }
  if (o.effect === 'forfeit') return `forfeit ${Array.isArray(d) ? d.join(', ') : String(d)}`
  const text = typeof d === 'string' ? d : JSON.stringify(d)
  return `${o.effect} ${text.length > 40 ? `${text.slice(0, 39)}…` : text}`
}

function status(o: Outcome): string {
  if (o.state === 'applied')
    return o.decision !== null ? `decided: ${o.decision}` : `applied by ${o.appliedBy ?? '?'}`
  if (o.state === 'waived') return `waived (${o.waiveRequestedBy ?? '?'} → ${o.waivedBy ?? '?'})`
  if (o.waiveRequestedBy !== null) return `${o.state}, waiver asked by ${o.waiveRequestedBy}`
  return o.state
}

export function formatOutcomes(items: readonly Outcome[]): string {
  if (items.length === 0) return 'No outcomes.\n'
  return alignColumns([
    ['id', 'period', 'rep', 'rule', 'effect', 'owner', 'due', 'state'],
    ...items.map((o) => [
      o.id.slice(0, 8),
      o.period,
      o.repId,
      o.rule,
      what(o),
      o.owner ?? '-',
      o.dueOn ?? '-',
      status(o),
    ]),
  ])
}

const STATES = ['due', 'applied', 'waived', 'overdue', 'void']
const asOption = () =>
  new Option('--as <person>', 'act as this person, with their role (default: you, as admin)')

/** `followthrough outcomes …`: the follow-through items of closes and their lifecycle. */
export function addOutcomesCommands(
  program: Command,
  io: Io,
  openDb: OpenDb,
  done: (status: number) => void,
): void {
  const act = (opts: ActOptions, run: (db: Database, orgId: string, who: Actor) => Promise<string>) =>
    withDb(opts, io, openDb, async (db, orgId) => {
      io.stdout(await run(db, orgId, await cliActor(db, orgId, opts.as)))
      return 0
    })

  const outcomes = dbOptions(
    program
      .command('outcomes')
      .description('Outcomes of closes (warnings, PTO, raises, coaching, reviews): owner, due date, state')
      .addOption(new Option('--state <state>', 'only items in this state').choices(STATES))
      .option('--period <period>', 'only items of this period')
      .option('--rep <rep>', 'only items of this rep')
      .option('--owner <rep>', "only items owned by this manager (the manager's rep id)")
      .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
      .addOption(asOption()),
  ).action(
    async (
      opts: ActOptions & { state?: string; period?: string; rep?: string; owner?: string; format?: string },
    ) => {
      done(
        await act(opts, async (db, orgId, who) => {
          const items = await listOutcomes(db, {
            orgId,
            actor: who,
            now: new Date(),
            ...(opts.state === undefined ? {} : { state: opts.state as OutcomeState }),
            ...(opts.period === undefined ? {} : { period: opts.period }),
            ...(opts.rep === undefined ? {} : { rep: opts.rep }),
            ...(opts.owner === undefined ? {} : { owner: opts.owner }),
          })
          return opts.format === 'json' ? `${JSON.stringify(items, null, 2)}\n` : formatOutcomes(items)
        }),
      )
    },
  )

  dbOptions(
    outcomes
      .command('apply')
      .description('Record that an item was carried out, with what was done')
      .argument('<id>', 'the outcome id (or its first characters)')
      .requiredOption('--note <text>', 'what was done')
      .option(
        '--detail <json>',
        'details, e.g. {"days":1,"exported":"HR-123"} or {"delivered_on":"2026-02-03","acknowledged_on":"2026-02-04"}',
      )
      .addOption(asOption()),
  ).action(async (id: string, _local: unknown, cmd: Command) => {
    // Options of `outcomes` itself (--data, --org, --as) are parsed by the parent command.
    const opts = cmd.optsWithGlobals<ActOptions & { note: string; detail?: string }>()
    done(
      await act(opts, async (db, orgId, who) => {
        const detail = parseDetail(opts.detail)
        const o = await applyOutcome(db, {
          orgId,
          actor: who,
          now: new Date(),
          id: await resolveId(db, orgId, id),
          note: opts.note,
          detail,
        })
        return `Applied ${o.effect} of ${o.repId} (${o.period}, ${o.rule}).\n`
      }),
    )
  })

  dbOptions(
    outcomes
      .command('waive')
      .description('Ask to waive an item, with a written reason; a second owner or admin approves')
      .argument('<id>')
      .requiredOption('--reason <text>', 'why it should not be carried out')
      .addOption(asOption()),
  ).action(async (id: string, _local: unknown, cmd: Command) => {
    // Options of `outcomes` itself (--data, --org, --as) are parsed by the parent command.
    const opts = cmd.optsWithGlobals<ActOptions & { reason: string }>()
    done(
      await act(opts, async (db, orgId, who) => {
        const o = await requestWaiver(db, {
          orgId,
          actor: who,
          now: new Date(),
          id: await resolveId(db, orgId, id),
          reason: opts.reason,
        })
        return `Asked to waive ${o.effect} of ${o.repId} (${o.period}); a second owner or admin approves: followthrough outcomes approve ${o.id.slice(0, 8)}\n`
      }),
    )
  })

  dbOptions(
    outcomes
      .command('approve')
      .description('Approve a requested waiver (owner or admin, not the requester)')
      .argument('<id>')
      .addOption(asOption()),
  ).action(async (id: string, _local: unknown, cmd: Command) => {
    // Options of `outcomes` itself (--data, --org, --as) are parsed by the parent command.
    const opts = cmd.optsWithGlobals<ActOptions>()
    done(
      await act(opts, async (db, orgId, who) => {
        const o = await approveWaiver(db, {
          orgId,
          actor: who,
          now: new Date(),
          id: await resolveId(db, orgId, id),
        })
        return `Waived ${o.effect} of ${o.repId} (${o.period}): asked by ${o.waiveRequestedBy ?? '?'}, approved by ${o.waivedBy ?? '?'}.\n`
      }),
    )
  })

  dbOptions(
    outcomes
      .command('reject')
      .description('Reject a requested waiver, with a reason: the item stays due')
      .argument('<id>')
      .requiredOption('--reason <text>', 'why the waiver is refused')
      .addOption(asOption()),
  ).action(async (id: string, _local: unknown, cmd: Command) => {
    // Options of `outcomes` itself (--data, --org, --as) are parsed by the parent command.
    const opts = cmd.optsWithGlobals<ActOptions & { reason: string }>()
    done(
      await act(opts, async (db, orgId, who) => {
        const o = await rejectWaiver(db, {
          orgId,
          actor: who,
          now: new Date(),
          id: await resolveId(db, orgId, id),
          reason: opts.reason,
        })
        return `Rejected the waiver of ${o.effect} of ${o.repId} (${o.period}); it is ${o.state}.\n`
      }),
    )
  })

  dbOptions(
    outcomes
      .command('check-overdue')
      .description('Mark overdue every due item whose due date has passed (in the organization time zone)'),
  ).action(async (_local: unknown, cmd: Command) => {
    // Options of `outcomes` itself (--data, --org, --as) are parsed by the parent command.
    const opts = cmd.optsWithGlobals<DbOptions>()
    done(
      await withDb(opts, io, openDb, async (db, orgId) => {
        const { today, overdue } = await markOverdue(db, { orgId, now: new Date(), actor: actor() })
        io.stdout(
          overdue.length === 0
            ? `Nothing newly overdue on ${today}.\n`
            : `Newly overdue on ${today}:\n${formatOutcomes(overdue)}`,
        )
        return 0
      }),
    )
  })

  dbOptions(
    outcomes
      .command('decide')
      .description('Decide a termination review: separate, or retain with a written reason')
      .argument('<id>')
      .argument('<decision>', 'separate | retain')
      .option('--reason <text>', 'why (required to retain)')
      .addOption(asOption()),
  ).action(async (id: string, decision: string, _local: unknown, cmd: Command) => {
    // Options of `outcomes` itself (--data, --org, --as) are parsed by the parent command.
    const opts = cmd.optsWithGlobals<ActOptions & { reason?: string }>()
    done(
      await act(opts, async (db, orgId, who) => {
        const o = await decideTerminationReview(db, {
          orgId,
          actor: who,
          now: new Date(),
          id: await resolveId(db, orgId, id),
          decision,
          ...(opts.reason === undefined ? {} : { reason: opts.reason }),
        })
        return `Termination review of ${o.repId} (${o.period}): ${o.decision ?? '?'}, decided by ${o.decidedBy ?? '?'}.\n`
      }),
    )
  })

  dbOptions(
    outcomes.command('history').description("An item's history: every change, who and when").argument('<id>'),
  ).action(async (id: string, _local: unknown, cmd: Command) => {
    // Options of `outcomes` itself (--data, --org, --as) are parsed by the parent command.
    const opts = cmd.optsWithGlobals<DbOptions>()
    done(
      await withDb(opts, io, openDb, async (db, orgId) => {
        const events = await listOutcomeEvents(db, { orgId, id: await resolveId(db, orgId, id) })
        io.stdout(
          alignColumns([
            ['seq', 'at', 'actor', 'action', 'after'],
            ...events.map((e) => [String(e.seq), e.at, e.actor, e.action, JSON.stringify(e.after)]),
          ]),
        )
        return 0
      }),
    )
  })
}

function parseDetail(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {}
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new DomainError('outcome.bad_detail', `--detail is not JSON: ${text}`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new DomainError('outcome.bad_detail', '--detail must be a JSON object.')
  return value as Record<string, unknown>
}
