import { createDemoPeople, type DemoLogin } from '../auth/demo-people.ts'
import { closePeriod } from '../close/close-period.ts'
import { markOverdue } from '../followthrough/mark-overdue.ts'
import { demoAcknowledgements, demoFollowThrough, type DemoActors } from './demo-follow-through.ts'
import { importFile } from '../import/import-file.ts'
import type { ImportSource } from '../import/import-source.ts'
import { publishPlan } from '../plans/publish-plan.ts'
import type { Database } from '../ports/sql.ts'

/** The example company's files: plan texts by file name, and CSV records. */
export interface DemoFiles {
  readonly plans: readonly { readonly file: string; readonly text: string }[]
  readonly csv: Readonly<Record<'reps' | 'deals' | 'activities' | 'quotas', ImportSource>>
}

export class DemoError extends Error {
  readonly code = 'demo.not_empty'
}

/**
 * Creates the demo company (an MSP with two teams under their leads) in an empty database through
 * the same use cases a real company uses: publish its plans, import its reps, deals, activities and
 * quotas, and close every month of 2026 that has ended by `now`.
 */
export async function createDemo(
  db: Database,
  args: {
    orgId: string
    files: DemoFiles
    now: Date
    onStep?: (text: string) => void
    /** Follow through the closed months as a company would (applied, waived, overdue), and acknowledge plans. */
    history?: boolean
  },
): Promise<{ closed: string[]; logins: DemoLogin[] }> {
  const existing = await db.query('select 1 from reps limit 1')
  if (existing.length > 0) {
    throw new DemoError(
      'The database already holds data: the demo goes into an empty one (use --data to choose another folder).',
    )
  }
  await db.query(
    `insert into organizations (id, name, currency, timezone) values ($1, 'Northwind MSP (demo)', 'USD', 'America/Chicago')
     on conflict (id) do update set name = excluded.name`,
    [args.orgId],
  )
  const step = args.onStep ?? (() => undefined)
  for (const plan of args.files.plans) {
    const out = await publishPlan(db, {
      orgId: args.orgId,
      text: plan.text,
      file: plan.file,
      actor: 'demo',
      now: args.now,
    })
    if (!out.ok) throw new Error(`The demo plan ${plan.file} does not check: ${out.issues[0]?.message ?? ''}`)
    step(`published ${out.planId} v${out.version}`)
  }
  for (const kind of ['reps', 'deals', 'activities', 'quotas'] as const) {
    const out = await importFile(db, {
      orgId: args.orgId,
      kind,
      file: args.files.csv[kind],
      actor: 'demo',
      now: args.now,
    })
    if (!out.ok) throw new Error(`The demo ${kind} do not check: ${out.issues[0]?.message ?? ''}`)
    step(`imported ${out.counts.added} ${kind}`)
  }
  // Sign-in for each role: the manager is Marcus Bell (team North), the rep Ana Castillo.
  const logins = await createDemoPeople(db, {
    orgId: args.orgId,
    managerRepId: 'm1',
    repId: 'r01',
    now: args.now,
  })
  step(`created ${logins.length} sign-ins`)
  const actors = await demoActors(db, args.orgId)
  // Every month of 2026 that has ended is closed; with a history, on the 2nd of the next month (as a
  // company would, never after now), each followed through as a company that mostly does would.
  const months: string[] = []
  for (let month = 1; month <= 12; month++) {
    if (Date.UTC(2026, month, 1) > args.now.getTime()) break
    months.push(new Date(Math.min(Date.UTC(2026, month, 2, 15), args.now.getTime())).toISOString())
  }
  const closed: string[] = []
  for (const [i, closedAt] of months.entries()) {
    const period = `2026-${String(i + 1).padStart(2, '0')}`
    const now = args.history === true ? new Date(closedAt) : args.now
    await closePeriod(db, { orgId: args.orgId, period, actor: 'demo', now, dryRun: false })
    closed.push(period)
    if (args.history !== true) {
      step(`closed ${period}`)
      continue
    }
    const done = await demoFollowThrough(db, {
      orgId: args.orgId,
      period,
      closedOn: closedAt.slice(0, 10),
      leaveOpen: i >= months.length - 3,
      actors,
      now: args.now,
    })
    step(`closed ${period}: ${done.applied} applied, ${done.waived} waived, ${done.open} left open`)
  }
  if (args.history === true) {
    const overdue = await markOverdue(db, { orgId: args.orgId, now: args.now, actor: 'demo' })
    step(`${overdue.overdue.length} outcomes overdue`)
    step(
      `${await demoAcknowledgements(db, { orgId: args.orgId, now: args.now })} reps acknowledged their plan`,
    )
  }
  return { closed, logins }
}

/** The demo's admin and owner as actors of the follow-through use cases. */
async function demoActors(db: Database, orgId: string): Promise<DemoActors> {
  const people = await db.query<{ id: string; role: 'owner' | 'admin' }>(
    "select id, role from people where org_id = $1 and role in ('owner', 'admin')",
    [orgId],
  )
  const of = (role: 'owner' | 'admin') => {
    const found = people.find((p) => p.role === role)
    if (found === undefined) throw new Error(`The demo has no ${role}.`)
    return { id: found.id, role }
  }
  return { admin: of('admin'), owner: of('owner') }
}
