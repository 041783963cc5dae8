import { z } from 'zod'
import { closePeriod, type CloseOutcome } from '../../../app/close/close-period.ts'
import { reopenPeriod } from '../../../app/close/reopen-period.ts'
import { warmAfterClose } from '../../../app/what-if/warm-up.ts'
import type { ResultJson } from '../../../core/engine/result-json.ts'
import { orgTx, principalOf, requireRole, ROLES, type ServerDeps, type ZodApp } from '../context.ts'
import { orgDatabase } from '../org-database.ts'
import { errors, isoOrNull, periodKey } from '../schemas.ts'
import { visibleReps } from '../scope.ts'

const period = z
  .object({
    key: z.string(),
    kind: z.enum(['month', 'quarter', 'year']),
    status: z.enum(['open', 'closed']),
    closedAt: z.string().nullable(),
    closedBy: z.string().nullable(),
  })
  .meta({ id: 'Period' })
/** The calc result (data-formats.md): plans → periods → reps, amounts in minor units. */
const resultJson = z
  .object({
    plans: z.array(
      z.object({
        id: z.string(),
        currency: z.string(),
        period: z.string(),
        periods: z.array(
          z.object({
            period: z.string(),
            start: z.string(),
            end: z.string(),
            reps: z.array(z.record(z.string(), z.unknown())),
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'Result' })
const closeOutcome = z
  .object({
    closeId: z.string(),
    period: z.string(),
    dryRun: z.boolean(),
    result: resultJson,
    head: z.object({ seq: z.number(), hash: z.string() }).nullable(),
    changes: z.array(z.string()),
  })
  .meta({ id: 'CloseOutcome' })

/** Keeps only the reps in `reps` (null: all). */
function onlyReps(result: ResultJson, reps: readonly string[] | null): ResultJson {
  if (reps === null) return result
  return {
    plans: result.plans.map((plan) => ({
      ...plan,
      periods: plan.periods.map((p) => ({ ...p, reps: p.reps.filter((r) => reps.includes(r.rep)) })),
    })),
  }
}

const toOutcome = (out: CloseOutcome, reps: readonly string[] | null): z.infer<typeof closeOutcome> => ({
  closeId: out.closeId,
  period: out.period,
  dryRun: out.dryRun,
  result: onlyReps(out.result, reps) as unknown as z.infer<typeof resultJson>,
  head: out.head === null ? null : { seq: Number(out.head.seq), hash: out.head.hash },
  changes: [...out.changes],
})

/** Periods: list, dry-run, close (owner, admin, finance, manager: results of their tree), reopen. */
export async function periodRoutes(app: ZodApp, deps: ServerDeps): Promise<void> {
  const params = z.object({ key: periodKey })
  app.get(
    '/periods',
    {
      preHandler: requireRole(...ROLES),
      schema: {
        tags: ['periods'],
        summary: 'Periods and whether they are closed',
        response: { 200: z.object({ items: z.array(period) }), ...errors },
      },
    },
    async (request) => {
      const rows = await orgTx(request, deps, (tx, principal) =>
        tx.query<{
          key: string
          kind: 'month' | 'quarter' | 'year'
          status: 'open' | 'closed'
          closed_at: unknown
          closed_by: string | null
        }>('select key, kind, status, closed_at, closed_by from periods where org_id = $1 order by key', [
          principal.orgId,
        ]),
      )
      return {
        items: rows.map((r) => ({
          key: r.key,
          kind: r.kind,
          status: r.status,
          closedAt: isoOrNull(r.closed_at),
          closedBy: r.closed_by,
        })),
      }
    },
  )
  for (const dryRun of [true, false]) {
    app.post(
      `/periods/:key/${dryRun ? 'dry-run' : 'close'}`,
      {
        preHandler: requireRole('owner', 'admin', 'finance', 'manager'),
        schema: {
          tags: ['periods'],
          summary: dryRun
            ? 'Compute the close without storing it, with what changed since the last dry run'
            : 'Close the period: results, outcomes and ledger entries in one transaction; the period is locked',
          params,
          response: { 200: closeOutcome, ...errors },
        },
      },
      async (request) => {
        const principal = principalOf(request)
        const out = await closePeriod(orgDatabase(deps.db, principal.orgId), {
          orgId: principal.orgId,
          period: request.params.key,
          actor: principal.personId,
          now: deps.now(),
          dryRun,
        })
        if (!dryRun) warmAfterClose(deps.db, principal.orgId)
        return toOutcome(out, await orgTx(request, deps, (tx) => visibleReps(tx, principal)))
      },
    )
  }
  app.post(
    '/periods/:key/reopen',
    {
      preHandler: requireRole('owner', 'admin', 'finance'),
      schema: {
        tags: ['periods'],
        summary:
          'Reopen a closed period: its ledger entries are reversed by new ones; the reason goes to the audit log',
        params,
        body: z.object({ reason: z.string().trim().min(1).max(2000) }),
        response: {
          200: z.object({ reversed: z.number(), head: z.object({ seq: z.number(), hash: z.string() }) }),
          ...errors,
        },
      },
    },
    async (request) => {
      const principal = principalOf(request)
      const out = await reopenPeriod(orgDatabase(deps.db, principal.orgId), {
        orgId: principal.orgId,
        period: request.params.key,
        reason: request.body.reason,
        actor: principal.personId,
        now: deps.now(),
      })
      return { reversed: out.reversed, head: { seq: Number(out.head.seq), hash: out.head.hash } }
    },
  )
}
