import { type Command, Option } from 'commander'
import { completeCoachingItem } from '../../app/followthrough/complete-coaching-item.ts'
import { getCoachingPlan } from '../../app/followthrough/get-coaching-plan.ts'
import { listCoachingPlans } from '../../app/followthrough/list-coaching-plans.ts'
import type { CoachingState } from '../../app/followthrough/coaching-record.ts'
import { scheduleCoachingItem } from '../../app/followthrough/schedule-coaching-item.ts'
import { DomainError } from '../../core/domain-error.ts'
import type { Io } from './main.ts'
import { alignColumns, cliActor } from './outcomes-command.ts'
import { type DbOptions, dbOptions, type OpenDb, withDb } from './with-db.ts'

type ActOptions = DbOptions & { as?: string }
const asOption = () =>
  new Option('--as <person>', 'act as this person, with their role (default: you, as admin)')

/** `followthrough coaching list|show|schedule|complete`: coaching plans, training items and check-ins. */
export function addCoachingCommands(
  program: Command,
  io: Io,
  openDb: OpenDb,
  done: (status: number) => void,
): void {
  const coaching = program
    .command('coaching')
    .description('Coaching plans opened by the rules: training items, check-ins, decisions')

  dbOptions(
    coaching
      .command('list')
      .description('Coaching plans: rep, program, periods, state, items done')
      .addOption(new Option('--state <state>').choices(['open', 'passed', 'failed', 'undecided', 'void']))
      .addOption(asOption()),
  ).action(async (opts: ActOptions & { state?: string }) => {
    done(
      await withDb(opts, io, openDb, async (db, orgId) => {
        const actor = await cliActor(db, orgId, opts.as)
        const plans = await listCoachingPlans(db, {
          orgId,
          actor,
          ...(opts.state === undefined ? {} : { state: opts.state as CoachingState }),
        })
        io.stdout(
          plans.length === 0
            ? 'No coaching plans.\n'
            : alignColumns([
                ['rep', 'program', 'opened', 'last', 'pass', 'state', 'items done'],
                ...plans.map((p) => [
                  p.repId,
                  p.program,
                  p.openedPeriod,
                  p.lastPeriod,
                  p.passCondition,
                  p.state,
                  `${p.done}/${p.items}`,
                ]),
              ]),
        )
        return 0
      }),
    )
  })

  dbOptions(
    coaching
      .command('show')
      .description("A rep's coaching plan as the rep sees it")
      .argument('<rep>')
      .addOption(asOption()),
  ).action(async (rep: string, opts: ActOptions) => {
    done(
      await withDb(opts, io, openDb, async (db, orgId) => {
        const view = await getCoachingPlan(db, {
          orgId,
          actor: await cliActor(db, orgId, opts.as),
          now: new Date(),
          rep,
        })
        io.stdout(`${view.expected.join('\n')}\n`)
        if (view.items.length > 0) {
          io.stdout(
            `\n${alignColumns([
              ['item', 'kind', 'title', 'due', 'status'],
              ...view.items.map((i) => [i.id.slice(0, 8), i.kind, i.title, i.dueOn, i.status]),
            ])}`,
          )
        }
        return 0
      }),
    )
  })

  dbOptions(
    coaching
      .command('schedule')
      .description("Schedule a training item or a check-in on the rep's open coaching plan")
      .argument('<rep>')
      .addOption(new Option('--kind <kind>').choices(['training', 'check_in']).makeOptionMandatory())
      .requiredOption('--title <text>', 'what it is')
      .requiredOption('--due <date>', 'YYYY-MM-DD')
      .addOption(asOption()),
  ).action(async (rep: string, opts: ActOptions & { kind: string; title: string; due: string }) => {
    done(
      await withDb(opts, io, openDb, async (db, orgId) => {
        const item = await scheduleCoachingItem(db, {
          orgId,
          actor: await cliActor(db, orgId, opts.as),
          now: new Date(),
          rep,
          kind: opts.kind,
          title: opts.title,
          dueOn: opts.due,
        })
        io.stdout(
          `Scheduled ${item.kind} "${item.title}" for ${rep} on ${item.dueOn} (item ${item.id.slice(0, 8)}).\n`,
        )
        return 0
      }),
    )
  })

  dbOptions(
    coaching
      .command('complete')
      .description('Record a training item or check-in as done, with notes')
      .argument('<item>', 'the item id (or its first characters)')
      .requiredOption('--notes <text>', 'what happened')
      .addOption(asOption()),
  ).action(async (item: string, opts: ActOptions & { notes: string }) => {
    done(
      await withDb(opts, io, openDb, async (db, orgId) => {
        const matches = await db.query<{ id: string }>(
          'select id from coaching_items where org_id = $1 and left(id, length($2)) = $2 order by id limit 2',
          [orgId, item],
        )
        if (matches.length > 1)
          throw new DomainError(
            'coaching.ambiguous_id',
            `${item} names more than one item: give more of the id.`,
          )
        const recorded = await completeCoachingItem(db, {
          orgId,
          actor: await cliActor(db, orgId, opts.as),
          now: new Date(),
          item: matches[0]?.id ?? item,
          notes: opts.notes,
        })
        io.stdout(`Recorded "${recorded.title}" as done.\n`)
        return 0
      }),
    )
  })
}
