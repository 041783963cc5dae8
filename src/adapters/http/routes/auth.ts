import { z } from 'zod'
import { recordAudit } from '../../../app/auth/audit.ts'
import {
  acceptInvitation,
  confirmPasswordReset,
  createInvitation,
  requestPasswordReset,
} from '../../../app/auth/links.ts'
import { login } from '../../../app/auth/login.ts'
import { createSession, revokeAllSessions, revokeSession } from '../../../app/auth/sessions.ts'
import { setupNeeded, setupOrganization } from '../../../app/auth/setup.ts'
import { DomainError } from '../../../core/domain-error.ts'
import { orgTx, principalOf, requireRole, type ServerDeps, type ZodApp } from '../context.ts'
import { clearSessionCookies, csrfTokenFor, SESSION_COOKIE, setSessionCookies } from '../cookies.ts'
import { deliver, linkTo } from '../mail.ts'
import { errors, ok, roleSchema } from '../schemas.ts'

const me = z
  .object({
    personId: z.string(),
    orgId: z.string(),
    email: z.string(),
    name: z.string(),
    role: roleSchema,
    repId: z.string().nullable(),
    via: z.enum(['session', 'token']),
    scopes: z.array(z.string()),
    csrfToken: z.string().nullable(),
  })
  .meta({ id: 'Me' })

const signedIn = z.object({
  orgId: z.string(),
  personId: z.string(),
  csrfToken: z.string(),
  expiresAt: z.string(),
})
const password = z.string().min(1).max(1000)
const email = z.email().max(320)
const noCsrf = { csrf: false }

/** Sign-in: first-run setup, login, logout (everywhere), me, password reset and invitations. */
export async function authRoutes(app: ZodApp, deps: ServerDeps): Promise<void> {
  const startSession = async (orgId: string, personId: string, ip: string, userAgent: string | undefined) =>
    createSession(deps.db, {
      orgId,
      personId,
      now: deps.now(),
      ip,
      ...(userAgent === undefined ? {} : { userAgent }),
    })

  app.get(
    '/setup',
    {
      schema: {
        tags: ['auth'],
        summary: 'Whether the first-run setup is still to do',
        security: [],
        response: { 200: z.object({ needed: z.boolean() }), ...errors },
      },
    },
    async () => ({ needed: await setupNeeded(deps.db) }),
  )

  app.post(
    '/setup',
    {
      config: noCsrf,
      schema: {
        tags: ['auth'],
        summary: 'First run: create the organization and its owner (refused once anyone can sign in)',
        security: [],
        body: z.object({
          organization: z.object({
            id: z
              .string()
              .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
              .default('default'),
            name: z.string().min(1).max(200),
            currency: z
              .string()
              .regex(/^[A-Z]{3}$/)
              .default('USD'),
            timezone: z.string().min(1).max(100).default('UTC'),
          }),
          owner: z.object({ email, name: z.string().max(200).default(''), password }),
        }),
        response: { 201: signedIn, ...errors },
      },
    },
    async (request, reply) => {
      const { organization, owner } = request.body
      const { orgId, personId } = await setupOrganization(deps.db, {
        orgId: organization.id,
        orgName: organization.name,
        currency: organization.currency,
        timezone: organization.timezone,
        email: owner.email,
        name: owner.name,
        password: owner.password,
        now: deps.now(),
      })
      const session = await startSession(orgId, personId, request.ip, request.headers['user-agent'])
      setSessionCookies(reply, deps, session.token)
      return reply.code(201).send({
        orgId,
        personId,
        csrfToken: csrfTokenFor(session.token),
        expiresAt: session.expiresAt.toISOString(),
      })
    },
  )

  app.post(
    '/auth/login',
    {
      config: noCsrf,
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password (throttled per email and per address: 429)',
        security: [],
        body: z.object({ email: z.string().min(1).max(320), password, orgId: z.string().optional() }),
        response: { 200: signedIn, ...errors },
      },
    },
    async (request, reply) => {
      const { email: given, password: secret, orgId } = request.body
      const session = await login(deps.db, {
        email: given,
        password: secret,
        ...(orgId === undefined ? {} : { orgId }),
        ip: request.ip,
        ...(request.headers['user-agent'] === undefined ? {} : { userAgent: request.headers['user-agent'] }),
        now: deps.now(),
      })
      setSessionCookies(reply, deps, session.token)
      request.log.info({ personId: session.person.personId, orgId: session.person.orgId }, 'signed in')
      return {
        orgId: session.person.orgId,
        personId: session.person.personId,
        csrfToken: csrfTokenFor(session.token),
        expiresAt: session.expiresAt.toISOString(),
      }
    },
  )

  app.post(
    '/auth/logout',
    { schema: { tags: ['auth'], summary: 'Sign out of this session', response: { 200: ok, ...errors } } },
    async (request, reply) => {
      const principal = principalOf(request)
      const cookie = request.cookies[SESSION_COOKIE]
      if (principal.via === 'session' && cookie !== undefined) {
        await orgTx(request, deps, (tx) => revokeSession(tx, principal.orgId, cookie, deps.now()))
      }
      clearSessionCookies(reply, deps)
      return { ok: true as const }
    },
  )

  app.post(
    '/auth/logout-all',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign out everywhere: end every session of this person',
        response: { 200: z.object({ ended: z.number() }), ...errors },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request)
      const ended = await orgTx(request, deps, async (tx) => {
        const count = await revokeAllSessions(tx, principal.orgId, principal.personId, deps.now())
        await recordAudit(tx, {
          orgId: principal.orgId,
          actor: principal.personId,
          action: 'session.logout_all',
          subject: `person:${principal.personId}`,
          after: { ended: count },
          at: deps.now(),
        })
        return count
      })
      clearSessionCookies(reply, deps)
      return { ended }
    },
  )

  app.get(
    '/auth/me',
    { schema: { tags: ['auth'], summary: 'Who is signed in', response: { 200: me, ...errors } } },
    async (request) => {
      const principal = principalOf(request)
      const [person] = await orgTx(request, deps, (tx) =>
        tx.query<{ email: string; name: string }>(
          'select email, name from people where org_id = $1 and id = $2',
          [principal.orgId, principal.personId],
        ),
      )
      const cookie = request.cookies[SESSION_COOKIE]
      return {
        ...principal,
        scopes: [...principal.scopes],
        email: person?.email ?? '',
        name: person?.name ?? '',
        csrfToken: principal.via === 'session' && cookie !== undefined ? csrfTokenFor(cookie) : null,
      }
    },
  )

  app.post(
    '/auth/password-reset',
    {
      config: noCsrf,
      schema: {
        tags: ['auth'],
        summary: 'Email a single-use password reset link (always 202: whether the email exists is not told)',
        security: [],
        body: z.object({ email }),
        response: { 202: ok, ...errors },
      },
    },
    async (request, reply) => {
      const links = await requestPasswordReset(deps.db, { email: request.body.email, now: deps.now() })
      for (const link of links) {
        await deliver(
          deps,
          request.log,
          link.orgId,
          'auth.reset',
          {
            to: link.email,
            subject: 'Reset your Followthrough password',
            text: `Open this link within an hour to choose a new password (it works once):\n${linkTo(deps, '/reset-password', link.token)}\n\nIf you did not ask for it, ignore this message.`,
          },
          deps.now(),
        )
      }
      return reply.code(202).send({ ok: true as const })
    },
  )

  app.post(
    '/auth/password-reset/confirm',
    {
      config: noCsrf,
      schema: {
        tags: ['auth'],
        summary: 'Set a new password through a reset link (once; every session ends)',
        security: [],
        body: z.object({ token: z.string().min(1).max(200), password }),
        response: { 200: ok, ...errors },
      },
    },
    async (request) => {
      await confirmPasswordReset(deps.db, {
        token: request.body.token,
        password: request.body.password,
        now: deps.now(),
      })
      return { ok: true as const }
    },
  )

  app.post(
    '/auth/invitations',
    {
      preHandler: requireRole('owner', 'admin'),
      schema: {
        tags: ['auth'],
        summary: 'Invite someone by email with a role (a manager or rep is bound to a rep)',
        body: z.object({
          email,
          name: z.string().max(200).default(''),
          role: roleSchema,
          repId: z.string().nullable().default(null),
        }),
        response: {
          201: z.object({ expiresAt: z.string(), delivery: z.enum(['sent', 'queued']) }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request)
      if (request.body.role === 'owner' && principal.role !== 'owner') {
        throw new DomainError('auth.forbidden', 'Only an owner invites another owner.')
      }
      const link = await orgTx(request, deps, (tx) =>
        createInvitation(tx, {
          orgId: principal.orgId,
          ...request.body,
          by: principal.personId,
          now: deps.now(),
        }),
      )
      const url = linkTo(deps, '/accept-invitation', link.token)
      const delivered = await deliver(
        deps,
        request.log,
        principal.orgId,
        'auth.invite',
        {
          to: request.body.email,
          subject: 'You are invited to Followthrough',
          text: `You are invited to sign in to Followthrough as ${request.body.role}. Open this link within a week to choose your password (it works once):\n${url}`,
        },
        deps.now(),
      )
      return reply.code(201).send({ expiresAt: link.expiresAt.toISOString(), delivery: delivered })
    },
  )

  app.post(
    '/auth/invitations/accept',
    {
      config: noCsrf,
      schema: {
        tags: ['auth'],
        summary: 'Accept an invitation (once): choose a password and sign in',
        security: [],
        body: z.object({ token: z.string().min(1).max(200), password, name: z.string().max(200).optional() }),
        response: { 201: signedIn, ...errors },
      },
    },
    async (request, reply) => {
      const { token, password: secret, name } = request.body
      const { orgId, personId } = await acceptInvitation(deps.db, {
        token,
        password: secret,
        ...(name === undefined ? {} : { name }),
        now: deps.now(),
      })
      const session = await startSession(orgId, personId, request.ip, request.headers['user-agent'])
      setSessionCookies(reply, deps, session.token)
      return reply.code(201).send({
        orgId,
        personId,
        csrfToken: csrfTokenFor(session.token),
        expiresAt: session.expiresAt.toISOString(),
      })
    },
  )
}
