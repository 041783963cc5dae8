import { z } from 'zod'
import type { Queryable } from '../../../app/ports/sql.ts'
import { diffPlanVersions, getPlanVersion, listPlans, listRepsOnPlan } from '../../../app/plans/plan-store.ts'
import { assignPlan, publishPlan } from '../../../app/plans/publish-plan.ts'
import { DomainError } from '../../../core/domain-error.ts'
import { summarizePlan } from '../../../core/plans/summarize-plan.ts'
import {
  orgTx,
  principalOf,
  requireRole,
  ROLES,
  type Principal,
  type ServerDeps,
  type ZodApp,
} from '../context.ts'
import { errors, isoOf, localDate } from '../schemas.ts'
import { requireRepVisible, visibleReps } from '../scope.ts'

const planListing = z
  .object({
    id: z.string(),
    name: z.string(),
    latestVersion: z.number(),
    publishedAt: z.string(),
    publishedBy: z.string(),
    repCount: z.number(),
  })
  .meta({ id: 'PlanListing' })
const planVersion = z
  .object({
    planId: z.string(),
    version: z.number(),
    latestVersion: z.number(),
    hash: z.string(),
    format: z.enum(['yaml', 'json']),
    source: z.string(),
    publishedAt: z.string(),
    publishedBy: z.string(),
    summary: z.array(z.string()),
  })
  .meta({ id: 'PlanVersion' })

/** Plans a manager or rep may read: those of the reps they see; null for every plan. */
async function visiblePlans(tx: Queryable, principal: Principal): Promise<Set<string> | null> {
  const reps = await visibleReps(tx, principal)
  if (reps === null) return null
  const rows = await tx.query<{ plan_id: string }>(
    'select distinct plan_id from plan_assignments where org_id = $1 and rep_id = any($2)',
    [principal.orgId, reps],
  )
  return new Set(rows.map((r) => r.plan_id))
}

async function requirePlanVisible(tx: Queryable, principal: Principal, planId: string): Promise<void> {
  const plans = await visiblePlans(tx, principal)
  if (plans !== null && !plans.has(planId))
    throw new DomainError('auth.forbidden', `You may not see the plan "${planId}".`)
}

/** Plans: list, versions, summary, diff (everyone, within what they see); publish and assign (owner, admin). */
export async function planRoutes(app: ZodApp, deps: ServerDeps): Promise<void> {
  const anyone = requireRole(...ROLES)
  const planners = requireRole('owner', 'admin')

  app.get(
    '/plans',
    {
      preHandler: anyone,
      schema: {
        tags: ['plans'],
        summary: 'Plans with their latest version',
        response: { 200: z.object({ items: z.array(planListing) }), ...errors },
      },
    },
    async (request) =>
      orgTx(request, deps, async (tx, principal) => {
        const plans = await visiblePlans(tx, principal)
        return {
          items: (await listPlans(tx, principal.orgId)).filter((p) => plans === null || plans.has(p.id)),
        }
      }),
  )

  app.get(
    '/plans/:id/versions',
    {
      preHandler: anyone,
      schema: {
        tags: ['plans'],
        summary: 'Every published version of a plan, newest first',
        params: z.object({ id: z.string() }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                version: z.number(),
                hash: z.string(),
                publishedAt: z.string(),
                publishedBy: z.string(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) =>
      orgTx(request, deps, async (tx, principal) => {
        await requirePlanVisible(tx, principal, request.params.id)
        const rows = await tx.query<{
          version: number
          hash: string
          published_at: unknown
          published_by: string
        }>(
          'select version, hash, published_at, published_by from plan_versions where org_id = $1 and plan_id = $2 order by version desc',
          [principal.orgId, request.params.id],
        )
        if (rows.length === 0)
          throw new DomainError('plan.unknown_plan', `There is no plan "${request.params.id}".`)
        return {
          items: rows.map((r) => ({
            version: Number(r.version),
            hash: r.hash,
            publishedAt: isoOf(r.published_at),
            publishedBy: r.published_by,
          })),
        }
      }),
  )

  app.get(
    '/plans/:id',
    {
      preHandler: anyone,
      schema: {
        tags: ['plans'],
        summary: 'A version of a plan (the latest by default) with its source and plain-language summary',
        params: z.object({ id: z.string() }),
        querystring: z.object({ version: z.coerce.number().int().min(1).optional() }),
        response: { 200: planVersion, ...errors },
      },
    },
    async (request) =>
      orgTx(request, deps, async (tx, principal) => {
        await requirePlanVisible(tx, principal, request.params.id)
        const found = await getPlanVersion(tx, principal.orgId, request.params.id, request.query.version)
        if (found === null)
          throw new DomainError(
            'plan.unknown_plan',
            `There is no plan "${request.params.id}"${request.query.version === undefined ? '' : ` v${request.query.version}`}.`,
          )
        const { plan, ...rest } = found
        return { ...rest, summary: summarizePlan(plan) }
      }),
  )

  app.get(
    '/plans/:id/diff',
    {
      preHandler: anyone,
      schema: {
        tags: ['plans'],
        summary: 'What changed in meaning between two versions, in plain language',
        params: z.object({ id: z.string() }),
        querystring: z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) }),
        response: {
          200: z.object({ from: z.number(), to: z.number(), changes: z.array(z.string()) }),
          ...errors,
        },
      },
    },
    async (request) =>
      orgTx(request, deps, async (tx, principal) => {
        await requirePlanVisible(tx, principal, request.params.id)
        const { changes } = await diffPlanVersions(
          tx,
          principal.orgId,
          request.params.id,
          request.query.from,
          request.query.to,
        )
        return { from: request.query.from, to: request.query.to, changes }
      }),
  )

  app.get(
    '/plans/:id/reps',
    {
      preHandler: anyone,
      schema: {
        tags: ['plans'],
        summary: 'Reps on the plan (open assignments), within the reps you see',
        params: z.object({ id: z.string() }),
        response: {
          200: z.object({
            items: z.array(
              z.object({ repId: z.string(), validFrom: z.string(), validTo: z.string().nullable() }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) =>
      orgTx(request, deps, async (tx, principal) => {
        const reps = await visibleReps(tx, principal)
        const items = (await listRepsOnPlan(tx, principal.orgId, request.params.id)).filter(
          (a) => reps === null || reps.includes(a.repId),
        )
        return {
          items: items.map((a) => ({
            repId: a.repId,
            validFrom: String(a.validFrom).slice(0, 10),
            validTo: a.validTo === null ? null : String(a.validTo).slice(0, 10),
          })),
        }
      }),
  )

  app.post(
    '/plans',
    {
      preHandler: planners,
      schema: {
        tags: ['plans'],
        summary:
          'Publish a plan (YAML or JSON text): checked whole, stored as a new version; the same text again changes nothing',
        body: z.object({
          source: z.string().min(1).max(1_000_000),
          file: z.string().max(200).default('plan.yaml'),
        }),
        response: {
          201: z.object({
            planId: z.string(),
            version: z.number(),
            hash: z.string(),
            unchanged: z.boolean(),
          }),
          200: z.object({
            planId: z.string(),
            version: z.number(),
            hash: z.string(),
            unchanged: z.boolean(),
          }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request)
      const out = await orgTx(request, deps, (tx) =>
        publishPlan(tx, {
          orgId: principal.orgId,
          text: request.body.source,
          file: request.body.file,
          actor: principal.personId,
          now: deps.now(),
        }),
      )
      if (!out.ok) {
        throw new DomainError('plan.invalid', `The plan does not check: ${out.issues.length} problem(s).`, {
          issues: out.issues,
        })
      }
      return reply
        .code(out.unchanged ? 200 : 201)
        .send({ planId: out.planId, version: out.version, hash: out.hash, unchanged: out.unchanged })
    },
  )

  app.post(
    '/plans/:id/assignments',
    {
      preHandler: planners,
      schema: {
        tags: ['plans'],
        summary: 'Put a rep on the plan from a date (the open assignment ends the day before)',
        params: z.object({ id: z.string() }),
        body: z.object({ repId: z.string().min(1), from: localDate }),
        response: { 201: z.object({ repId: z.string(), planId: z.string(), from: z.string() }), ...errors },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request)
      await orgTx(request, deps, async (tx) => {
        await requireRepVisible(tx, principal, request.body.repId)
        await assignPlan(tx, {
          orgId: principal.orgId,
          repId: request.body.repId,
          planId: request.params.id,
          from: request.body.from,
          actor: principal.personId,
          now: deps.now(),
        })
      })
      return reply
        .code(201)
        .send({ repId: request.body.repId, planId: request.params.id, from: request.body.from })
    },
  )
}
