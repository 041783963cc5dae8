import { type Command, Option } from 'commander'
import type { FollowThroughGrouping } from '../../core/followthrough/follow-through-figures.ts'
import { formatMoneyForPeople } from '../../core/money/money.ts'
import { followThroughReport, unenforcedMissesReport } from '../../app/reports/follow-through-report.ts'
import {
  afterMissReport,
  saveUnderPerformerSetting,
  underPerformersReport,
} from '../../app/reports/peer-reports.ts'
import { toPlainJson } from '../../app/reports/plain-json.ts'
import type { Queryable } from '../../app/ports/sql.ts'
import type { Io } from './main.ts'
import { actor, dbOptions, type DbOptions, type OpenDb, withDb } from './with-db.ts'

type Format = { format?: string }

const formatOption = () =>
  new Option('--format <format>', 'output format').choices(['table', 'json']).default('table')

/** Columns padded two spaces apart; numbers right-aligned where `right` says so. */
export function textTable(rows: readonly (readonly string[])[], right: readonly boolean[] = []): string {
  const widths: number[] = []
  for (const row of rows) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, [...c].length)))
  return rows
    .map((row) =>
      row
        .map((c, i) => {
          const pad = ' '.repeat((widths[i] ?? 0) - [...c].length)
          return right[i] === true ? pad + c : c + pad
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}

/** numerator / denominator as a percentage with one decimal ("4 / 7" → "57.1%"), at the edge only. */
export function percentOf(rate: { numerator: number; denominator: number } | null): string {
  if (rate === null) return '-'
  const tenths = Math.round((rate.numerator * 1000) / rate.denominator)
  return `${Math.floor(tenths / 10)}.${tenths % 10}%`
}

async function currencyOf(db: Queryable, orgId: string): Promise<{ code: string; digits: number }> {
  const [row] = await db.query<{ currency: string }>('select currency from organizations where id = $1', [
    orgId,
  ])
  const code = row?.currency ?? 'USD'
  const digits =
    new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions()
      .maximumFractionDigits ?? 2
  return { code, digits }
}

const json = (io: Io, value: unknown): void => io.stdout(JSON.stringify(toPlainJson(value), null, 2) + '\n')

/** `followthrough report …`: follow-through figures, unenforced misses, after-miss analysis, under-performers. */
export function addReportCommands(
  program: Command,
  io: Io,
  openDb: OpenDb,
  done: (status: number) => void,
): void {
  const report = program
    .command('report')
    .description('Follow-through reports: what was promised against what was done')
  dbOptions(
    report
      .command('follow-through')
      .description(
        'Outcomes due, applied on time or late, waived, overdue; the follow-through rate; money stated and applied',
      )
      .addOption(
        new Option('--by <group>', 'group by')
          .choices(['manager', 'team', 'company', 'period'])
          .default('company'),
      )
      .option('--period <key>', 'one period (2026-03)')
      .addOption(
        new Option('--trailing <months>', 'the periods ending in the last 6 or 12 months').choices([
          '6',
          '12',
        ]),
      )
      .option('--as-of <date>', 'as it stood at the end of this date (default: today)')
      .addOption(formatOption()),
  ).action(
    async (opts: DbOptions & Format & { by: string; period?: string; trailing?: string; asOf?: string }) => {
      done(
        await withDb(opts, io, openDb, async (db, orgId) => {
          const out = await followThroughReport(db, {
            orgId,
            now: new Date(),
            by: opts.by as FollowThroughGrouping,
            ...(opts.period === undefined ? {} : { period: opts.period }),
            ...(opts.trailing === undefined ? {} : { trailing: Number(opts.trailing) }),
            ...(opts.asOf === undefined ? {} : { asOf: opts.asOf }),
          })
          if (opts.format === 'json') return (json(io, out), 0)
          const currency = await currencyOf(db, orgId)
          const money = (m: bigint) => formatMoneyForPeople(m, currency)
          io.stdout(`Follow-through, ${out.scope}, as of ${out.asOf}\n\n`)
          const rows = [
            [
              out.by,
              'due',
              'on time',
              'late',
              'waived',
              'overdue',
              'pending',
              'rate',
              'money stated',
              'money applied',
            ],
            ...out.groups.map((g) => {
              const f = g.figures
              return [
                g.group,
                ...[f.due, f.appliedOnTime, f.appliedLate, f.waived, f.overdue, f.pending].map(String),
                percentOf(f.rate),
                money(f.moneyStatedMinor),
                money(f.moneyAppliedMinor),
              ]
            }),
          ]
          io.stdout(textTable(rows, [false, true, true, true, true, true, true, true, true, true]) + '\n')
          if (out.groups.length === 0) io.stdout('No outcomes in this scope.\n')
          return 0
        }),
      )
    },
  )
  dbOptions(
    report
      .command('unenforced')
      .description('Reps who missed and whose consequence was waived or is overdue')
      .option('--period <key>', 'one period (2026-03)')
      .addOption(
        new Option('--trailing <months>', 'the periods ending in the last 6 or 12 months').choices([
          '6',
          '12',
        ]),
      )
      .option('--as-of <date>', 'as it stood at the end of this date (default: today)')
      .addOption(formatOption()),
  ).action(async (opts: DbOptions & Format & { period?: string; trailing?: string; asOf?: string }) => {
    done(
      await withDb(opts, io, openDb, async (db, orgId) => {
        const out = await unenforcedMissesReport(db, {
          orgId,
          now: new Date(),
          ...(opts.period === undefined ? {} : { period: opts.period }),
          ...(opts.trailing === undefined ? {} : { trailing: Number(opts.trailing) }),
          ...(opts.asOf === undefined ? {} : { asOf: opts.asOf }),
        })
        if (opts.format === 'json') return (json(io, out), 0)
        io.stdout(`Unenforced misses, ${out.scope}, as of ${out.asOf}: ${out.misses.length}\n\n`)
        if (out.misses.length === 0) return 0
        const rows = [
          ['period', 'rep', 'team', 'manager', 'rule', 'effect', 'status', 'due', 'why'],
          ...out.misses.map((m) => [
            m.period,
            m.repName === '' ? m.rep : `${m.rep} ${m.repName}`,
            m.team,
            m.manager ?? '',
            m.rule,
            m.effects.join(', '),
            m.status,
            m.dueOn ?? '',
            m.status === 'waived'
              ? `${m.waiveReason ?? ''}${m.waivedBy === null ? '' : ` (approved by ${m.waivedBy})`}`
              : '',
          ]),
        ]
        io.stdout(textTable(rows) + '\n')
        return 0
      }),
    )
  })
  dbOptions(
    report
      .command('after-miss')
      .description(
        "Per team, the other reps' next-period attainment after unenforced misses against enforced ones",
      )
      .option('--as-of <date>', 'as it stood at the end of this date (default: today)')
      .option('--minimum <n>', 'fewest rep-periods per group for an interval', '5')
      .addOption(formatOption()),
  ).action(async (opts: DbOptions & Format & { asOf?: string; minimum: string }) => {
    done(
      await withDb(opts, io, openDb, async (db, orgId) => {
        const out = await afterMissReport(db, {
          orgId,
          now: new Date(),
          minimum: Number(opts.minimum),
          ...(opts.asOf === undefined ? {} : { asOf: opts.asOf }),
        })
        if (opts.format === 'json') return (json(io, out), 0)
        io.stdout(`What happens after an unenforced miss, as of ${out.asOf}\n\n`)
        const pct = (x: number) => `${(x * 100).toFixed(1)}%`
        const rows = [
          ['team', 'after unenforced', 'n', 'after enforced', 'n', 'difference', '95% interval'],
          ...out.teams.map((t) => {
            const i = t.interval
            return [
              t.team,
              i === null ? '-' : pct(i.meanA),
              String(t.unenforced.attainments.length),
              i === null ? '-' : pct(i.meanB),
              String(t.enforced.attainments.length),
              i === null ? '-' : `${(i.difference * 100).toFixed(1)} pts`,
              i === null
                ? 'not enough data yet'
                : `${(i.low * 100).toFixed(1)} to ${(i.high * 100).toFixed(1)} pts`,
            ]
          }),
        ]
        io.stdout(textTable(rows, [false, true, true, true, true, true, false]) + '\n\n')
        for (const t of out.teams) io.stdout(`${t.sentence}\n`)
        if (out.teams.length === 0)
          io.stdout('No team has a decided miss followed by a closed period yet: not enough data yet.\n')
        return 0
      }),
    )
  })
  dbOptions(
    report
      .command('under-performers')
      .description(
        'Reps in the bottom quartile of their plan in K of the last N closed periods, or far below the peers twice in a row',
      )
      .option('--k <k>', 'bottom quartile in at least K periods (default: the organization setting, else 3)')
      .option('--n <n>', 'of the last N closed periods (default: the organization setting, else 4)')
      .option('--save', "store K and N as the organization's default")
      .addOption(formatOption()),
  ).action(async (opts: DbOptions & Format & { k?: string; n?: string; save?: boolean }) => {
    done(
      await withDb(opts, io, openDb, async (db, orgId) => {
        if (opts.save === true) {
          if (opts.k === undefined || opts.n === undefined) {
            io.stderr('--save needs both --k and --n\n')
            return 2
          }
          await saveUnderPerformerSetting(db, {
            orgId,
            k: Number(opts.k),
            n: Number(opts.n),
            actor: actor(),
            now: new Date(),
          })
          io.stderr(
            `Saved: bottom quartile in ${opts.k} of the last ${opts.n} closed periods is the organization's default.\n`,
          )
        }
        const out = await underPerformersReport(db, {
          orgId,
          ...(opts.k === undefined ? {} : { k: Number(opts.k) }),
          ...(opts.n === undefined ? {} : { n: Number(opts.n) }),
        })
        if (opts.format === 'json') return (json(io, out), 0)
        const o = out.options
        io.stdout(
          `Under-performers: bottom quartile in ${o.k} of the last ${o.n} closed periods, or more than ${o.sd} standard deviations below the plan's mean ${o.inRow} periods in a row: ${out.reps.length}\n`,
        )
        for (const u of out.reps) {
          const why = u.reasons
            .map((r) => (r === 'bottom_quartile' ? 'bottom quartile' : 'far below peers'))
            .join(' and ')
          io.stdout(
            `\n${u.rep} ${u.repName} (${u.plan}, ${u.team || 'no team'}, manager ${u.manager ?? '-'}): ${why}\n`,
          )
          const rows = [
            ['period', 'attainment', 'place', 'plan mean', 'sd', 'z', ''],
            ...u.evidence.map((e) => [
              e.period,
              `${(e.attainment * 100).toFixed(1)}%`,
              `${e.below + 1} of ${e.reps}`,
              e.peerMean === null ? '-' : `${(e.peerMean * 100).toFixed(1)}%`,
              e.peerSd === null ? '-' : `${(e.peerSd * 100).toFixed(1)}`,
              e.z === null ? '-' : e.z.toFixed(2),
              [e.bottomQuartile ? 'bottom quartile' : '', e.farBelow ? 'far below' : '']
                .filter(Boolean)
                .join(', '),
            ]),
          ]
          io.stdout(textTable(rows, [false, true, true, true, true, true, false]).replace(/^/gm, '  ') + '\n')
          io.stdout('  What the plan already says:\n')
          if (u.planSays.length === 0) io.stdout('    nothing: the plan states no consequence\n')
          for (const s of u.planSays) io.stdout(`    ${s.when}: ${s.then} (rule ${s.rule})\n`)
        }
        return 0
      }),
    )
  })
}
