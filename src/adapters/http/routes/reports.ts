import { z } from 'zod'
import type { Queryable } from '../../../app/ports/sql.ts'
import { followThroughReport, unenforcedMissesReport } from '../../../app/reports/follow-through-report.ts'
import { loadOutcomeItems } from '../../../app/reports/load-outcome-items.ts'
import { afterMissReport, underPerformersReport } from '../../../app/reports/peer-reports.ts'
import { toPlainJson } from '../../../app/reports/plain-json.ts'
import { groupFollowThrough, inTrailingMonths } from '../../../core/followthrough/follow-through-figures.ts'
import { orgTx, requireRole, type ServerDeps, type ZodApp } from '../context.ts'
import { errors, localDate, periodKey } from '../schemas.ts'
import { visibleReps } from '../scope.ts'

/** A number as JSON carries it: NaN and infinities (a degenerate interval) become null. */
const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)

const figures = z.object({
  due: z.number(),
  appliedOnTime: z.number(),
  appliedLate: z.number(),
  waived: z.number(),
  overdue: z.number(),
  pending: z.number(),
  rate: z.object({ numerator: z.number(), denominator: z.number() }).nullable(),
  moneyStatedMinor: z.number(),
  moneyAppliedMinor: z.number(),
})

const followThrough = z.object({
  asOf: z.string(),
  by: z.enum(['manager', 'team', 'company', 'period']),
  scope: z.string(),
  groups: z.array(z.object({ group: z.string(), figures })),
})

const unenforced = z.object({
  asOf: z.string(),
  scope: z.string(),
  misses: z.array(
    z.object({
      period: z.string(),
      rep: z.string(),
      repName: z.string(),
      team: z.string(),
      manager: z.string().nullable(),
      rule: z.string(),
      effects: z.array(z.string()),
      status: z.enum(['waived', 'overdue']),
      dueOn: z.string().nullable(),
      waivedOn: z.string().nullable(),
      waivedBy: z.string().nullable(),
      waiveReason: z.string().nullable(),
    }),
  ),
})

const afterMissGroup = z.object({ periods: z.array(z.string()), attainments: z.array(z.number()) })
const interval = z.object({
  difference: z.number().nullable(),
  low: z.number().nullable(),
  high: z.number().nullable(),
  df: z.number().nullable(),
  meanA: z.number().nullable(),
  meanB: z.number().nullable(),
  nA: z.number(),
  nB: z.number(),
})
const afterMiss = z.object({
  asOf: z.string(),
  minimum: z.number(),
  teams: z.array(
    z.object({
      team: z.string(),
      unenforced: afterMissGroup,
      enforced: afterMissGroup,
      interval: interval.nullable(),
      sentence: z.string(),
    }),
  ),
})

const underPerformers = z.object({
  options: z.object({ k: z.number(), n: z.number(), sd: z.number(), inRow: z.number() }),
  reps: z.array(
    z.object({
      plan: z.string(),
      rep: z.string(),
      repName: z.string(),
      team: z.string(),
      manager: z.string().nullable(),
      reasons: z.array(z.enum(['bottom_quartile', 'far_below_peers'])),
      evidence: z.array(
        z.object({
          period: z.string(),
          attainment: z.number(),
          reps: z.number(),
          below: z.number(),
          bottomQuartile: z.boolean(),
          peerMean: z.number().nullable(),
          peerSd: z.number().nullable(),
          z: z.number().nullable(),
          farBelow: z.boolean(),
        }),
      ),
      planSays: z.array(z.object({ rule: z.string(), when: z.string(), then: z.string() })),
    }),
  ),
})

/** The teams of the given reps. */
async function teamsOf(tx: Queryable, orgId: string, reps: readonly string[]): Promise<Set<string>> {
  const rows = await tx.query<{ team: string | null }>(
    'select distinct team from reps where org_id = $1 and id = any($2)',
    [orgId, reps],
  )
  return new Set(rows.flatMap((r) => (r.team === null || r.team === '' ? [] : [r.team])))
}

/**
 * Follow-through figures and the peer reports. Owners, admins and finance see the whole company;
 * a manager only the outcomes and reps of their tree (figures recomputed over those outcomes, the
 * teams of their tree in the after-miss comparison); reps are refused.
 */
export async function reportRoutes(app: ZodApp, deps: ServerDeps): Promise<void> {
  const readers = requireRole('owner', 'admin', 'finance', 'manager')

  app.get(
    '/reports/follow-through',
    {
      preHandler: readers,
      schema: {
        tags: ['reports'],
        summary:
          'Outcomes due, applied on time and late, waived, overdue, the rate and money stated and applied, per manager, team, period or company',
        querystring: z.object({
          by: z.enum(['manager', 'team', 'company', 'period']).default('company'),
          period: periodKey.optional(),
          trailing: z.coerce.number().int().min(1).max(120).optional(),
          asOf: localDate.optional(),
        }),
        response: { 200: followThrough, ...errors },
      },
    },
    async (request) =>
      orgTx(request, deps, async (tx, principal) => {
        const q = request.query
        const scope = {
          ...(q.period === undefined ? {} : { period: q.period }),
          ...(q.trailing === undefined ? {} : { trailing: q.trailing }),
        }
        const report = await followThroughReport(tx, {
          orgId: principal.orgId,
          now: deps.now(),
          by: q.by,
          ...scope,
          ...(q.asOf === undefined ? {} : { asOf: q.asOf }),
        })
        const visible = await visibleReps(tx, principal)
        if (visible === null) return toPlainJson(report) as z.infer<typeof followThrough>
        // The same figures over the outcomes of the manager's tree only.
        const items = (await loadOutcomeItems(tx, principal.orgId)).filter(
          (i) =>
            visible.includes(i.rep) &&
            (q.period === undefined || i.period === q.period) &&
            (q.trailing === undefined || inTrailingMonths(i.periodEnd, report.asOf, q.trailing)),
        )
        return toPlainJson({
          ...report,
          groups: groupFollowThrough(items, report.by, report.asOf),
        }) as z.infer<typeof followThrough>
      }),
  )

  app.get(
    '/reports/unenforced',
    {
      preHandler: readers,
      schema: {
        tags: ['reports'],
        summary: 'Reps who missed and whose consequence was waived or is overdue',
        querystring: z.object({
          period: periodKey.optional(),
          trailing: z.coerce.number().int().min(1).max(120).optional(),
          asOf: localDate.optional(),
        }),
        response: { 200: unenforced, ...errors },
      },
    },
    async (request) =>
      orgTx(request, deps, async (tx, principal) => {
        const q = request.query
        const report = await unenforcedMissesReport(tx, {
          orgId: principal.orgId,
          now: deps.now(),
          ...(q.period === undefined ? {} : { period: q.period }),
          ...(q.trailing === undefined ? {} : { trailing: q.trailing }),
          ...(q.asOf === undefined ? {} : { asOf: q.asOf }),
        })
        const visible = await visibleReps(tx, principal)
        return toPlainJson({
          ...report,
          misses: report.misses.filter((m) => visible === null || visible.includes(m.rep)),
        }) as z.infer<typeof unenforced>
      }),
  )

  app.get(
    '/reports/after-miss',
    {
      preHandler: readers,
      schema: {
        tags: ['reports'],
        summary:
          "Per team: the other reps' next-period attainment after unenforced against enforced misses (difference in means, 95% interval, sample sizes)",
        querystring: z.object({
          minimum: z.coerce.number().int().min(2).max(10_000).optional(),
          asOf: localDate.optional(),
        }),
        response: { 200: afterMiss, ...errors },
      },
    },
    async (request) =>
      orgTx(request, deps, async (tx, principal) => {
        const report = await afterMissReport(tx, {
          orgId: principal.orgId,
          now: deps.now(),
          ...(request.query.minimum === undefined ? {} : { minimum: request.query.minimum }),
          ...(request.query.asOf === undefined ? {} : { asOf: request.query.asOf }),
        })
        const visible = await visibleReps(tx, principal)
        const teams = visible === null ? null : await teamsOf(tx, principal.orgId, visible)
        return {
          asOf: report.asOf,
          minimum: report.minimum,
          teams: report.teams
            .filter((t) => teams === null || teams.has(t.team))
            .map((t) => ({
              team: t.team,
              unenforced: { periods: [...t.unenforced.periods], attainments: [...t.unenforced.attainments] },
              enforced: { periods: [...t.enforced.periods], attainments: [...t.enforced.attainments] },
              interval:
                t.interval === null
                  ? null
                  : {
                      difference: finite(t.interval.difference),
                      low: finite(t.interval.low),
                      high: finite(t.interval.high),
                      df: finite(t.interval.df),
                      meanA: finite(t.interval.meanA),
                      meanB: finite(t.interval.meanB),
                      nA: t.interval.nA,
                      nB: t.interval.nB,
                    },
              sentence: t.sentence,
            })),
        }
      }),
  )

  app.get(
    '/reports/under-performers',
    {
      preHandler: readers,
      schema: {
        tags: ['reports'],
        summary:
          "Reps in their plan's bottom quartile in K of the last N closed periods (the organization's setting, else 3 of 4), or far below peers twice in a row, with the evidence and what the plan says",
        querystring: z.object({
          k: z.coerce.number().int().min(1).max(120).optional(),
          n: z.coerce.number().int().min(1).max(120).optional(),
        }),
        response: { 200: underPerformers, ...errors },
      },
    },
    async (request) =>
      orgTx(request, deps, async (tx, principal) => {
        const report = await underPerformersReport(tx, {
          orgId: principal.orgId,
          ...(request.query.k === undefined ? {} : { k: request.query.k }),
          ...(request.query.n === undefined ? {} : { n: request.query.n }),
        })
        const visible = await visibleReps(tx, principal)
        return {
          options: { ...report.options },
          reps: report.reps
            .filter((r) => visible === null || visible.includes(r.rep))
            .map((r) => ({
              ...r,
              reasons: [...r.reasons],
              evidence: r.evidence.map((e) => ({
                ...e,
                peerMean: finite(e.peerMean),
                peerSd: finite(e.peerSd),
                z: finite(e.z),
              })),
              planSays: r.planSays.map((s) => ({ ...s })),
            })),
        }
      }),
  )
}
