import { z } from 'zod'
import { notifyJobs } from '../../../app/jobs/job-signal.ts'
import { enqueueJob, getJob, type JobView } from '../../../app/jobs/job-store.ts'
import { DomainError } from '../../../core/domain-error.ts'
import {
  orgTx,
  principalOf,
  requireRole,
  requireScope,
  type Role,
  type ServerDeps,
  type ZodApp,
} from '../context.ts'
import { errors } from '../schemas.ts'

/** Who may start each kind of job. */
const STARTERS: Readonly<Record<string, readonly Role[]>> = {
  import: ['owner', 'admin'],
  close: ['owner', 'admin', 'manager'],
  overdue: ['owner', 'admin', 'manager'],
  notifications: ['owner', 'admin'],
}

const job = z
  .object({
    id: z.string(),
    kind: z.string(),
    state: z.enum(['queued', 'running', 'retrying', 'done', 'failed']),
    progress: z.unknown(),
    result: z.unknown(),
    error: z.unknown(),
    attempts: z.number(),
    maxAttempts: z.number(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'Job' })

const view = ({ createdBy: _by, ...rest }: JobView): z.infer<typeof job> => rest

/** GET /jobs/:id (poll a background job) and POST /jobs (start one). */
export async function jobRoutes(app: ZodApp, deps: ServerDeps): Promise<void> {
  app.get(
    '/jobs/:id',
    {
      preHandler: requireRole('owner', 'admin', 'finance', 'manager', 'rep'),
      schema: {
        tags: ['jobs'],
        summary: 'A background job: state, progress, result or error',
        description:
          'Owners, admins and finance see every job of the organization; others the jobs they started.',
        params: z.object({ id: z.string() }),
        response: { 200: job, ...errors },
      },
    },
    async (request) =>
      orgTx(request, deps, async (tx, principal) => {
        const found = await getJob(tx, principal.orgId, request.params.id)
        const mine =
          found !== null &&
          (['owner', 'admin', 'finance'].includes(principal.role) || found.createdBy === principal.personId)
        if (found === null || !mine)
          throw new DomainError('job.not_found', `There is no job ${request.params.id}.`)
        return view(found)
      }),
  )
  app.post(
    '/jobs',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Start a background job (import, close, overdue, notifications)',
        description:
          'import: payload { kind, name, text, mapping? } (owner, admin); close: { period, dryRun? } and overdue: {} (owner, admin, manager); notifications: {} (owner, admin). The same key twice is the same job.',
        body: z.object({
          kind: z.string(),
          payload: z.record(z.string(), z.unknown()).default({}),
          key: z.string().min(1).max(200).optional(),
        }),
        response: { 202: z.object({ id: z.string(), created: z.boolean() }), ...errors },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request)
      requireScope(principal, 'write')
      const roles = STARTERS[request.body.kind]
      if (roles === undefined) {
        throw new DomainError('job.unknown_kind', `There is no job kind "${request.body.kind}".`, {
          kinds: Object.keys(STARTERS),
        })
      }
      if (!roles.includes(principal.role)) {
        throw new DomainError(
          'auth.forbidden',
          `Starting a ${request.body.kind} job needs the role ${roles.join(', ')}.`,
        )
      }
      const out = await orgTx(request, deps, (tx) =>
        enqueueJob(tx, {
          orgId: principal.orgId,
          kind: request.body.kind,
          payload: request.body.payload,
          ...(request.body.key === undefined ? {} : { key: request.body.key }),
          actor: principal.personId,
          now: deps.now(),
        }),
      )
      notifyJobs()
      return reply.code(202).send(out)
    },
  )
}
