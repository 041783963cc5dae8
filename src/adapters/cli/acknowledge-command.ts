import { type Command, Option } from 'commander'
import { acknowledgePlan } from '../../app/acknowledgements/acknowledge-plan.ts'
import type { Actor, Role } from '../../app/acknowledgements/actor.ts'
import { listUnacknowledged } from '../../app/acknowledgements/list-unacknowledged.ts'
import type { Queryable } from '../../app/ports/sql.ts'
import { DomainError } from '../../core/domain-error.ts'
import type { Io } from './main.ts'
import { actor, dbOptions, type DbOptions, type OpenDb, withDb } from './with-db.ts'

const WRONG_USAGE = 2

/**
 * Who a CLI command acts as: with `--as PERSON` (a person's id or email), that person's role and
 * rep; without it, the operator (FOLLOWTHROUGH_ACTOR or the login name) with `fallback`.
 */
export async function cliActor(
  db: Queryable,
  orgId: string,
  as: string | undefined,
  fallback: { role: Role; repId: string | null },
): Promise<Actor> {
  if (as === undefined) return { id: actor(), ...fallback }
  const [person] = await db.query<{ id: string; role: Role; rep_id: string | null }>(
    'select id, role, rep_id from people where org_id = $1 and (id = $2 or lower(email) = lower($2))',
    [orgId, as],
  )
  if (person === undefined) throw new DomainError('person.unknown', `There is no person "${as}".`)
  return { id: person.id, role: person.role, repId: person.rep_id }
}

export const asOption = (): Option =>
  new Option('--as <person>', 'act as this person (id or email): their role and rep decide what is allowed')

/** `followthrough plan acknowledge REP PLAN --name ...` and `followthrough plan unacknowledged`. */
export function addAcknowledgeCommands(
  plan: Command,
  io: Io,
  done: (status: number) => void,
  openDb: OpenDb,
): void {
  dbOptions(
    plan
      .command('acknowledge')
      .description(
        "Record a rep's acknowledgement of a plan version: the name typed, the time, the version's hash",
      )
      .argument('<rep>')
      .argument('<plan>')
      .requiredOption('--name <typed name>', "the rep's full name, as the rep types it")
      .option('--version <n>', 'the version acknowledged (default: the latest)')
      .addOption(asOption()),
  ).action(
    async (
      rep: string,
      planId: string,
      opts: DbOptions & { name: string; version?: string; as?: string },
    ) => {
      const version =
        opts.version === undefined
          ? undefined
          : /^[1-9]\d{0,8}$/.test(opts.version)
            ? Number(opts.version)
            : null
      if (version === null) {
        io.stderr(`error: --version "${opts.version ?? ''}" is not a version number (1, 2, …)\n`)
        return done(WRONG_USAGE)
      }
      done(
        await withDb(opts, io, openDb, async (db, orgId) => {
          const out = await db.transaction(async (tx) =>
            acknowledgePlan(tx, {
              orgId,
              actor: await cliActor(tx, orgId, opts.as, { role: 'rep', repId: rep }),
              repId: rep,
              planId,
              ...(version === undefined ? {} : { version }),
              typedName: opts.name,
              now: new Date(),
            }),
          )
          const a = out.acknowledgement
          io.stdout(
            out.already
              ? `${rep} already acknowledged ${planId} v${a.version} on ${a.acknowledgedAt}; nothing changed.\n`
              : `${rep} acknowledged ${planId} v${a.version} (sha256 ${a.hash}) as "${a.typedName}" on ${a.acknowledgedAt}.\n`,
          )
          return 0
        }),
      )
    },
  )

  dbOptions(
    plan
      .command('unacknowledged')
      .description(
        'Plan versions reps are on (or will be) and have not acknowledged: a manager sees their reps',
      )
      .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
      .addOption(asOption()),
  ).action(async (opts: DbOptions & { format: string; as?: string }) => {
    done(
      await withDb(opts, io, openDb, async (db, orgId) => {
        const who = await cliActor(db, orgId, opts.as, { role: 'admin', repId: null })
        const list = await listUnacknowledged(db, { orgId, actor: who, now: new Date() })
        if (opts.format === 'json') {
          io.stdout(JSON.stringify(list, null, 2) + '\n')
          return 0
        }
        if (list.length === 0) {
          io.stdout('Every rep has acknowledged the plan versions they are on.\n')
          return 0
        }
        for (const u of list)
          io.stdout(
            `${u.repId}${u.repName === '' ? '' : ` (${u.repName})`}: ${u.planId} v${u.version} ` +
              `${u.inForce ? 'in force' : 'applies'} from ${u.appliesFrom}, not acknowledged` +
              `${u.manager === null ? '' : `; manager ${u.manager}`}\n`,
          )
        return 0
      }),
    )
  })
}
