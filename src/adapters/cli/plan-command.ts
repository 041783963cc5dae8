import { readFile } from 'node:fs/promises'
import type { Command } from 'commander'
import { diffPlanVersions, getPlanVersion, listPlans, listRepsOnPlan } from '../../app/plans/plan-store.ts'
import { assignPlan, publishPlan } from '../../app/plans/publish-plan.ts'
import { parseLocalDate } from '../../core/calendar/civil.ts'
import { diffPlans } from '../../core/plans/diff-plans.ts'
import { formatPlanIssue, parsePlan } from '../../core/plans/parse-plan.ts'
import { summarizePlan } from '../../core/plans/summarize-plan.ts'
import type { Database } from '../../app/ports/sql.ts'
import { openDatabase } from '../db/open-database.ts'
import { addAcknowledgeCommands } from './acknowledge-command.ts'
import type { Io } from './main.ts'
import { addPlanDocumentCommand } from './plan-document-command.ts'
import { actor, dbOptions, type DbOptions, type OpenDb, withDb } from './with-db.ts'

const BAD_INPUT = 1
const WRONG_USAGE = 2
/** `plan show` names this many reps on a plan, then counts the rest. */
const REPS_SHOWN = 20

/** A version number as typed; null when it is not a positive integer. */
const versionOf = (text: string): number | null => (/^[1-9]\d{0,8}$/.test(text) ? Number(text) : null)

/**
 * `followthrough plan publish|assign|show|diff`: published plans, their versions and who is on
 * them. Adds the `plan` command to `program` (so it inherits its output and exit handling) and
 * reports each action's exit status through `done`: 0 done, 1 bad input or refused, 2 wrong usage.
 */
export function planCommand(
  program: Command,
  io: Io,
  done: (status: number) => void,
  openDb: OpenDb = openDatabase,
): Command {
  const plan = program
    .command('plan')
    .description('Published plans: their versions, their words, who is on them')

  dbOptions(
    plan
      .command('publish')
      .description('Check a plan file as `check` does and store it as a new version')
      .argument('<file>', 'a plan file (YAML or JSON)')
      .option(
        '--effective-from <date>',
        'the first day this version applies (YYYY-MM-DD): any later day, or an earlier one only if no closed period would change',
      )
      .addHelpText(
        'after',
        `
Which version a close uses:
  The first version of a plan applies from the beginning (or from the plan's effective.from).
  A later version applies to every period not closed yet when it is published: by default from
  the first day of the period after the last closed one of the plan's kind (or the plan's own
  effective.from, when later). A close of a period uses, per plan, the latest version effective
  on the period's first day; a closed period recomputed for late data keeps the version it was
  closed with, never a newer one.`,
      ),
  ).action(async (file: string, opts: DbOptions & { effectiveFrom?: string }) => {
    if (opts.effectiveFrom !== undefined && parseLocalDate(opts.effectiveFrom) === null) {
      io.stderr(`error: --effective-from "${opts.effectiveFrom}" is not a date YYYY-MM-DD\n`)
      return done(WRONG_USAGE)
    }
    done(await publish(file, opts, io, openDb))
  })

  dbOptions(
    plan
      .command('assign')
      .description("Put a rep on a plan from a date; the rep's current plan ends the day before")
      .argument('<rep>')
      .argument('<plan>')
      .requiredOption('--from <date>', 'the first day on the plan (YYYY-MM-DD)'),
  ).action(async (rep: string, planId: string, opts: DbOptions & { from: string }) => {
    if (parseLocalDate(opts.from) === null) {
      io.stderr(`error: --from "${opts.from}" is not a date YYYY-MM-DD\n`)
      return done(WRONG_USAGE)
    }
    done(
      await withDb(opts, io, openDb, async (db, orgId) => {
        const args = { orgId, repId: rep, planId, from: opts.from, actor: actor(), now: new Date() }
        await db.transaction((tx) => assignPlan(tx, args))
        io.stdout(`${rep} is on ${planId} from ${opts.from}.\n`)
        return 0
      }),
    )
  })

  dbOptions(
    plan
      .command('show')
      .description(
        'What a published plan promises, in plain words, with its version and reps; all plans without PLAN',
      )
      .argument('[plan]')
      .option('--version <n>', 'a published version (default: the latest)'),
  ).action(async (planId: string | undefined, opts: DbOptions & { version?: string }) => {
    const version = opts.version === undefined ? undefined : versionOf(opts.version)
    if (version === null || (planId === undefined && version !== undefined)) {
      io.stderr(
        version === null
          ? `error: --version "${opts.version ?? ''}" is not a version number (1, 2, …)\n`
          : 'error: --version needs a PLAN (followthrough plan show PLAN --version N)\n',
      )
      return done(WRONG_USAGE)
    }
    done(await withDb(opts, io, openDb, (db, orgId) => show(db, orgId, planId, version, io)))
  })

  dbOptions(
    plan
      .command('diff')
      .description('What changed in meaning between two versions of a plan, in plain words')
      .argument('<plan>')
      .argument('<v1>', 'a version number')
      .argument('<v2>', 'a version number'),
  ).action(async (planId: string, v1: string, v2: string, opts: DbOptions) => {
    const [from, to] = [versionOf(v1), versionOf(v2)]
    if (from === null || to === null) {
      io.stderr(`error: "${from === null ? v1 : v2}" is not a version number (1, 2, …)\n`)
      return done(WRONG_USAGE)
    }
    done(
      await withDb(opts, io, openDb, async (db, orgId) => {
        const diff = await diffPlanVersions(db, orgId, planId, from, to)
        io.stdout(changesText(`${planId} v${from} → v${to}`, diff.changes))
        return 0
      }),
    )
  })
  addPlanDocumentCommand(plan, io, done, openDb)
  addAcknowledgeCommands(plan, io, done, openDb)
  return plan
}

function changesText(heading: string, changes: readonly string[]): string {
  if (changes.length === 0) return `${heading}: no change in meaning.\n`
  return [`${heading}:`, ...changes.map((change) => `  - ${change}`)].join('\n') + '\n'
}

async function publish(
  file: string,
  opts: DbOptions & { effectiveFrom?: string },
  io: Io,
  openDb: OpenDb,
): Promise<number> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message
    io.stderr(`${file}: cannot read the plan: ${reason}\n`)
    return BAD_INPUT
  }
  // Checked before the database is opened: a plan with problems touches nothing.
  const { issues } = parsePlan(text, file)
  if (issues.length > 0) {
    for (const issue of issues) io.stderr(`${formatPlanIssue(issue)}\n`)
    return BAD_INPUT
  }
  return withDb(opts, io, openDb, async (db, orgId) => {
    const args = {
      orgId,
      text,
      file,
      actor: actor(),
      now: new Date(),
      ...(opts.effectiveFrom === undefined ? {} : { effectiveFrom: opts.effectiveFrom }),
    }
    const out = await db.transaction((tx) => publishPlan(tx, args))
    if (!out.ok) {
      for (const issue of out.issues) io.stderr(`${formatPlanIssue(issue)}\n`)
      return BAD_INPUT
    }
    if (out.unchanged) {
      io.stdout(`${out.planId} v${out.version} is already published with this text; nothing changed.\n`)
      return 0
    }
    io.stdout(
      `Published ${out.planId} v${out.version} (sha256 ${out.hash}), effective ${out.effectiveFrom === null ? 'from the beginning' : `from ${out.effectiveFrom}`}.\n`,
    )
    if (out.version > 1) {
      const [before, after] = [
        await getPlanVersion(db, orgId, out.planId, out.version - 1),
        await getPlanVersion(db, orgId, out.planId, out.version),
      ]
      if (before !== null && after !== null)
        io.stdout(changesText(`Changes from v${before.version}`, diffPlans(before.plan, after.plan)))
    }
    return 0
  })
}

async function show(
  db: Database,
  orgId: string,
  planId: string | undefined,
  version: number | undefined,
  io: Io,
): Promise<number> {
  if (planId === undefined) {
    const plans = await listPlans(db, orgId)
    if (plans.length === 0) {
      io.stdout('No plan is published yet: followthrough plan publish FILE\n')
      return 0
    }
    const width = Math.max(...plans.map((p) => p.id.length))
    const lines = plans.map(
      (p) =>
        `${p.id.padEnd(width)}  v${p.latestVersion}  ${p.name} — ${p.repCount} ${p.repCount === 1 ? 'rep' : 'reps'}, ` +
        `published ${p.publishedAt} by ${p.publishedBy}`,
    )
    io.stdout(lines.join('\n') + '\n')
    return 0
  }
  const stored = await getPlanVersion(db, orgId, planId, version)
  if (stored === null) {
    const latest = version === undefined ? null : await getPlanVersion(db, orgId, planId)
    io.stderr(
      latest === null
        ? `There is no published plan "${planId}".\n`
        : `There is no version ${version ?? ''} of plan ${planId}: it has versions 1 to ${latest.version}.\n`,
    )
    return BAD_INPUT
  }
  const reps = await listRepsOnPlan(db, orgId, planId)
  const named = reps.slice(0, REPS_SHOWN).map((r) => `${r.repId} (from ${r.validFrom})`)
  const more = reps.length > REPS_SHOWN ? ` and ${reps.length - REPS_SHOWN} more` : ''
  const latest = stored.version === stored.latestVersion ? 'the latest' : `latest is v${stored.latestVersion}`
  io.stdout(
    [
      `${stored.plan.name} (${planId})`,
      `  version ${stored.version} (${latest}), sha256 ${stored.hash}`,
      `  published ${stored.publishedAt} by ${stored.publishedBy}`,
      `  reps on it: ${reps.length === 0 ? 'none' : named.join(', ') + more}`,
      '',
      ...summarizePlan(stored.plan).map((sentence) => `  - ${sentence}`),
    ].join('\n') + '\n',
  )
  return 0
}
