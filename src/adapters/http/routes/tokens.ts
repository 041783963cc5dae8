import { z } from 'zod'
import { createApiToken, listApiTokens, revokeApiToken, TOKEN_SCOPES } from '../../../app/auth/tokens.ts'
import { DomainError } from '../../../core/domain-error.ts'
import { orgTx, principalOf, requireRole, type Principal, type ServerDeps, type ZodApp } from '../context.ts'
import { errors, ok } from '../schemas.ts'

const tokenListing = z
  .object({
    id: z.string(),
    name: z.string(),
    personId: z.string(),
    scopes: z.array(z.string()),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiToken' })

/** Tokens are managed from a signed-in session only, never with a token. */
function sessionOnly(principal: Principal): void {
  if (principal.via !== 'session')
    throw new DomainError('auth.forbidden', 'API tokens are managed from a signed-in session.')
}

/** API tokens for integrations: created (the secret shown once), listed, revoked. Owner and admin. */
export async function tokenRoutes(app: ZodApp, deps: ServerDeps): Promise<void> {
  const preHandler = requireRole('owner', 'admin')
  app.post(
    '/auth/tokens',
    {
      preHandler,
      schema: {
        tags: ['auth'],
        summary: 'Create an API token acting as you within its scopes; the secret is shown only here',
        body: z.object({ name: z.string().min(1).max(200), scopes: z.array(z.enum(TOKEN_SCOPES)).min(1) }),
        response: {
          201: z.object({ id: z.string(), token: z.string(), scopes: z.array(z.string()) }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request)
      sessionOnly(principal)
      const created = await orgTx(request, deps, (tx) =>
        createApiToken(tx, {
          orgId: principal.orgId,
          personId: principal.personId,
          name: request.body.name,
          scopes: request.body.scopes,
          now: deps.now(),
        }),
      )
      return reply.code(201).send({ ...created, scopes: [...new Set(request.body.scopes)] })
    },
  )
  app.get(
    '/auth/tokens',
    {
      preHandler,
      schema: {
        tags: ['auth'],
        summary: "The organization's API tokens (never their secrets)",
        response: { 200: z.object({ items: z.array(tokenListing) }), ...errors },
      },
    },
    async (request) => {
      sessionOnly(principalOf(request))
      return { items: await orgTx(request, deps, (tx, p) => listApiTokens(tx, p.orgId)) }
    },
  )
  app.delete(
    '/auth/tokens/:id',
    {
      preHandler,
      schema: {
        tags: ['auth'],
        summary: 'Revoke an API token',
        params: z.object({ id: z.string() }),
        response: { 200: ok, ...errors },
      },
    },
    async (request) => {
      const principal = principalOf(request)
      sessionOnly(principal)
      await orgTx(request, deps, (tx) =>
        revokeApiToken(tx, {
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
