import { z } from 'zod'
import { listPendingInvitations, revokeInvitation } from '../../../app/auth/links.ts'
import { orgTx, principalOf, requireRole, type ServerDeps, type ZodApp } from '../context.ts'
import { errors, ok, roleSchema } from '../schemas.ts'

const invitation = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: roleSchema,
    repId: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.string(),
    expiresAt: z.string(),
  })
  .meta({ id: 'Invitation' })

/** Open invitations: list and withdraw (owner, admin). Creating and accepting are in auth.ts. */
export async function invitationRoutes(app: ZodApp, deps: ServerDeps): Promise<void> {
  const preHandler = requireRole('owner', 'admin')
  app.get(
    '/auth/invitations',
    {
      preHandler,
      schema: {
        tags: ['auth'],
        summary: 'Invitations not accepted, expired or withdrawn yet',
        response: { 200: z.object({ items: z.array(invitation) }), ...errors },
      },
    },
    async (request) => {
      const items = await orgTx(request, deps, (tx, p) => listPendingInvitations(tx, p.orgId, deps.now()))
      return {
        items: items.map((i) => ({
          ...i,
          createdAt: i.createdAt.toISOString(),
          expiresAt: i.expiresAt.toISOString(),
        })),
      }
    },
  )
  app.delete(
    '/auth/invitations/:id',
    {
      preHandler,
      schema: {
        tags: ['auth'],
        summary: 'Withdraw an invitation: its link stops working',
        params: z.object({ id: z.string().regex(/^[0-9a-f]{64}$/) }),
        response: { 200: ok, ...errors },
      },
    },
    async (request) => {
      const principal = principalOf(request)
      await orgTx(request, deps, (tx) =>
        revokeInvitation(tx, {
          orgId: principal.orgId,
          id: request.params.id,
          by: principal.personId,
          now: deps.now(),
        }),
      )
      return { ok: true as const }
    },
  )
}
