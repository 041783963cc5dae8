import { z } from 'zod'
import { completeCoachingItem } from '../../../app/followthrough/complete-coaching-item.ts'
import { getCoachingPlan } from '../../../app/followthrough/get-coaching-plan.ts'
import { listCoachingPlans } from '../../../app/followthrough/list-coaching-plans.ts'
import { scheduleCoachingItem } from '../../../app/followthrough/schedule-coaching-item.ts'
import { orgTx, principalOf, requireRole, ROLES, type ServerDeps, type ZodApp } from '../context.ts'
import { orgDatabase } from '../org-database.ts'
import { errors, localDate } from '../schemas.ts'
import { requireRepVisible, visibleReps } from '../scope.ts'
import { actorOf } from './outcomes.ts'

const COACHING_STATES = ['open', 'passed', 'failed', 'undecided', 'void'] as const

const coachingPlan = z
  .object({
    id: z.string(),
    repId: z.string(),
    planId: z.string(),
    rule: z.string(),
    program: z.string(),
    openedPeriod: z.string(),
    periods: z.number(),
    lastPeriod: z.string(),
    passCondition: z.string(),
    state: z.enum(COACHING_STATES),
    decidedPeriod: z.string().nullable(),
    decidedAt: z.string().nullable(),
    outcomeId: z.string(),
    reviewOutcomeId: z.string().nullable(),
    openedAt: z.string(),
  })
  .meta({ id: 'CoachingPlan' })

const coachingItem = z
  .object({
    id: z.string(),
    coachingPlanId: z.string(),
    kind: z.enum(['training', 'check_in']),
    title: z.string(),
    dueOn: z.string(),
    scheduledBy: z.string(),
    scheduledAt: z.string(),
    doneAt: z.string().nullable(),
    doneBy: z.string().nullable(),
    notes: z.string().nullable(),
  })
  .meta({ id: 'CoachingItem' })

/**
 * Coaching plans opened by rules: the list (a manager: the tree; a rep: their own), the rep's view
 * of what is expected, and the training items and check-ins the owning manager schedules and records.
 */
export async function coachingRoutes(app: ZodApp, deps: ServerDeps): Promise<void> {
  const coaches = requireRole('owner', 'admin', 'manager')

  app.get(
    '/coaching',
    {
      preHandler: requireRole(...ROLES),
      schema: {
        tags: ['coaching'],
        summary: 'Coaching plans with how many items are scheduled and done',
        querystring: z.object({
          state: z.enum(COACHING_STATES).optional(),
          rep: z.string().max(200).optional(),
        }),
        response: {
          200: z.object({
            items: z.array(coachingPlan.extend({ items: z.number(), done: z.number() })),
          }),
          ...errors,
        },
      },
    },
    async (request) =>
      orgTx(request, deps, async (tx, principal) => {
        if (request.query.rep !== undefined) await requireRepVisible(tx, principal, request.query.rep)
        const visible = await visibleReps(tx, principal)
        const plans = await listCoachingPlans(tx, {
          orgId: principal.orgId,
          actor: actorOf(principal),
          ...(request.query.state === undefined ? {} : { state: request.query.state }),
          ...(request.query.rep === undefined ? {} : { rep: request.query.rep }),
        })
        return { items: plans.filter((p) => visible === null || visible.includes(p.repId)) }
      }),
  )

  app.get(
    '/coaching/:repId',
    {
      preHandler: requireRole(...ROLES),
      schema: {
        tags: ['coaching'],
        summary:
          "The rep's current coaching plan as the rep sees it: the program, what decides it, the items and their status, what is expected",
        params: z.object({ repId: z.string().min(1).max(200) }),
        response: {
          200: z.object({
            plan: coachingPlan,
            passInWords: z.string(),
            items: z.array(coachingItem.extend({ status: z.enum(['done', 'due', 'late']) })),
            expected: z.array(z.string()),
          }),
          ...errors,
        },
      },
    },
    async (request) =>
      orgTx(request, deps, async (tx, principal) => {
        await requireRepVisible(tx, principal, request.params.repId)
        const view = await getCoachingPlan(tx, {
          orgId: principal.orgId,
          actor: actorOf(principal),
          now: deps.now(),
          rep: request.params.repId,
        })
        return {
          plan: view.plan,
          passInWords: view.passInWords,
          items: [...view.items],
          expected: [...view.expected],
        }
      }),
  )

  app.post(
    '/coaching/:repId/items',
    {
      preHandler: coaches,
      schema: {
        tags: ['coaching'],
        summary: "Schedule a training item or a check-in on the rep's open coaching plan",
        params: z.object({ repId: z.string().min(1).max(200) }),
        body: z.object({
          kind: z.enum(['training', 'check_in']),
          title: z.string().max(500),
          dueOn: localDate,
        }),
        response: { 201: coachingItem, ...errors },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request)
      const item = await scheduleCoachingItem(orgDatabase(deps.db, principal.orgId), {
        orgId: principal.orgId,
        actor: actorOf(principal),
        now: deps.now(),
        rep: request.params.repId,
        kind: request.body.kind,
        title: request.body.title,
        dueOn: request.body.dueOn,
      })
      return reply.code(201).send(item)
    },
  )

  app.post(
    '/coaching/items/:id/complete',
    {
      preHandler: coaches,
      schema: {
        tags: ['coaching'],
        summary: 'Record a training item or check-in as done, with notes (once)',
        params: z.object({ id: z.string().min(1).max(200) }),
        body: z.object({ notes: z.string().max(10_000) }),
        response: { 200: coachingItem, ...errors },
      },
    },
    async (request) => {
      const principal = principalOf(request)
      return completeCoachingItem(orgDatabase(deps.db, principal.orgId), {
        orgId: principal.orgId,
        actor: actorOf(principal),
        now: deps.now(),
        item: request.params.id,
        notes: request.body.notes,
      })
    },
  )
}
