import { z } from 'zod'
import { recordAudit } from '../../../app/auth/audit.ts'
import { revokeAllSessions } from '../../../app/auth/sessions.ts'
import { DomainError } from '../../../core/domain-error.ts'
import { orgTx, principalOf, requireRole, type ServerDeps, type ZodApp } from '../context.ts'
import { errors, isoOf, isoOrNull, roleSchema } from '../schemas.ts'

const user = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: roleSchema,
    repId: z.string().nullable(),
    createdAt: z.string(),
    disabledAt: z.string().nullable(),
  })
  .meta({ id: 'User' })

interface PersonRow {
  id: string
  email: string
  name: string
  role: z.infer<typeof roleSchema>
  rep_id: string | null
  created_at: unknown
  disabled_at: unknown
}
const toUser = (r: PersonRow): z.infer<typeof user> => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: r.role,
  repId: r.rep_id,
  createdAt: isoOf(r.created_at),
  disabledAt: isoOrNull(r.disabled_at),
})

/** The people who sign in: list, get, change role or rep, disable. Owner and admin. */
export async function userRoutes(app: ZodApp, deps: ServerDeps): Promise<void> {
  const preHandler = requireRole('owner', 'admin')
  app.get(
    '/users',
    {
      preHandler,
      schema: {
        tags: ['users'],
        summary: 'Everyone who can sign in',
        response: { 200: z.object({ items: z.array(user) }), ...errors },
      },
    },
    async (request) => {
      const rows = await orgTx(request, deps, (tx, p) =>
        tx.query<PersonRow>('select * from people where org_id = $1 order by lower(email)', [p.orgId]),
      )
      return { items: rows.map(toUser) }
    },
  )
  app.get(
    '/users/:id',
    {
      preHandler,
      schema: {
        tags: ['users'],
        summary: 'One person',
        params: z.object({ id: z.string() }),
        response: { 200: user, ...errors },
      },
    },
    async (request) => {
      const [row] = await orgTx(request, deps, (tx, p) =>
        tx.query<PersonRow>('select * from people where org_id = $1 and id = $2', [
          p.orgId,
          request.params.id,
        ]),
      )
      if (row === undefined)
        throw new DomainError('user.not_found', `There is no user "${request.params.id}".`)
      return toUser(row)
    },
  )
  app.patch(
    '/users/:id',
    {
      preHandler,
      schema: {
        tags: ['users'],
        summary: "Change a person's role or rep, or disable them (which ends their sessions)",
        params: z.object({ id: z.string() }),
        body: z.object({
          role: roleSchema.optional(),
          repId: z.string().nullable().optional(),
          disabled: z.boolean().optional(),
        }),
        response: { 200: user, ...errors },
      },
    },
    async (request) => {
      const principal = principalOf(request)
      const now = deps.now()
      return orgTx(request, deps, async (tx) => {
        const [before] = await tx.query<PersonRow>(
          'select * from people where org_id = $1 and id = $2 for update',
          [principal.orgId, request.params.id],
        )
        if (before === undefined)
          throw new DomainError('user.not_found', `There is no user "${request.params.id}".`)
        const { role, repId, disabled } = request.body
        if (principal.role !== 'owner' && (before.role === 'owner' || role === 'owner')) {
          throw new DomainError('auth.forbidden', 'Only an owner changes an owner.')
        }
        if (before.id === principal.personId && (role !== undefined || disabled === true)) {
          throw new DomainError('auth.forbidden', 'You cannot change your own role or disable yourself.')
        }
        const nextRole = role ?? before.role
        const nextRepId = repId === undefined ? before.rep_id : repId
        if ((nextRole === 'manager' || nextRole === 'rep') && nextRepId === null) {
          throw new DomainError('auth.rep_required', `A ${nextRole} login is bound to a rep: give repId.`)
        }
        if (repId !== undefined && repId !== null) {
          const [rep] = await tx.query('select 1 from reps where org_id = $1 and id = $2', [
            principal.orgId,
            repId,
          ])
          if (rep === undefined) throw new DomainError('rep.not_found', `There is no rep "${repId}".`)
        }
        const [after] = await tx.query<PersonRow>(
          `update people set role = coalesce($3, role), rep_id = case when $4 then $5 else rep_id end,
                  disabled_at = case when $6::boolean is null then disabled_at when $6 then coalesce(disabled_at, $7::timestamptz) else null end
            where org_id = $1 and id = $2 returning *`,
          [
            principal.orgId,
            before.id,
            role ?? null,
            repId !== undefined,
            repId ?? null,
            disabled ?? null,
            now.toISOString(),
          ],
        )
        if (after === undefined) throw new Error('the person vanished inside its transaction')
        if (disabled === true || (role !== undefined && role !== before.role))
          await revokeAllSessions(tx, principal.orgId, before.id, now)
        await recordAudit(tx, {
          orgId: principal.orgId,
          actor: principal.personId,
          action: 'user.update',
          subject: `person:${before.id}`,
          before: toUser(before),
          after: toUser(after),
          at: now,
        })
        return toUser(after)
      })
    },
  )
}
