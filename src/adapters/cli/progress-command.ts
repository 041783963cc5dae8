import { type Command, Option } from 'commander'
import { formatMoneyForPeople, getCurrency } from '../../core/money/money.ts'
import { progressReport } from '../../app/progress/progress.ts'
import { toPlainJson } from '../../app/reports/plain-json.ts'
import type { Io } from './main.ts'
import { dbOptions, type DbOptions, type OpenDb, withDb } from './with-db.ts'

/** `followthrough progress [REP] [--as-of DATE]`: attainment, pace and what is at stake in the open period. */
export function addProgressCommand(
  program: Command,
  io: Io,
  openDb: OpenDb,
  done: (status: number) => void,
): void {
  dbOptions(
    program
      .command('progress')
      .description(
        'Progress to goal, the pace to period end (business days) and what is at stake, per rep and metric',
      )
      .argument('[rep]', 'one rep (default: every rep)')
      .option(
        '--as-of <date>',
        'the data as it stood at the end of this date (default: today in the plan time zone)',
      )
      .addOption(
        new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'),
      ),
  ).action(async (rep: string | undefined, opts: DbOptions & { asOf?: string; format?: string }) => {
    done(
      await withDb(opts, io, openDb, async (db, orgId) => {
        const out = await progressReport(db, {
          orgId,
          now: new Date(),
          ...(rep === undefined ? {} : { rep }),
          ...(opts.asOf === undefined ? {} : { asOf: opts.asOf }),
        })
        if (opts.format === 'json') {
          io.stdout(JSON.stringify(toPlainJson(out), null, 2) + '\n')
          return 0
        }
        if (out.reps.length === 0) io.stdout('No rep is computed in the period of that date.\n')
        for (const r of out.reps) {
          const currency = getCurrency(r.currency) ?? { code: r.currency, digits: 2 }
          const note = r.closed ? ' (closed: a look back)' : ''
          io.stdout(
            `${r.rep} ${r.repName} · ${r.plan} · ${r.period}${note} · as of ${r.asOf}: ${r.elapsedBusinessDays} of ${r.totalBusinessDays} business days · ` +
              `estimated earnings so far ${formatMoneyForPeople(r.earnedSoFarMinor, currency)}\n`,
          )
          for (const m of r.metrics) io.stdout(`  ${m.sentence}\n`)
          io.stdout('\n')
        }
        return 0
      }),
    )
  })
}
