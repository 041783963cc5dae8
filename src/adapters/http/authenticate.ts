import { timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { resolveSession, type SessionResult } from '../../app/auth/sessions.ts'
import { noteApiTokenUse, resolveApiToken } from '../../app/auth/tokens.ts'
import { DomainError } from '../../core/domain-error.ts'
import { markSessionExpired, ROLES, type Role, type ServerDeps } from './context.ts'
import { clearSessionCookies, CSRF_HEADER, csrfTokenFor, SESSION_COOKIE } from './cookies.ts'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
const SESSION_SCOPES = ['read', 'write', 'webhooks'] as const

const asRole = (role: string): Role => {
  if ((ROLES as readonly string[]).includes(role)) return role as Role
  throw new Error(`Unknown role "${role}" in the database.`)
}

const sameText = (a: string, b: string): boolean => {
  const [x, y] = [Buffer.from(a), Buffer.from(b)]
  return x.length === y.length && timingSafeEqual(x, y)
}

/**
 * Route config: `{ csrf: false }` for the sign-in routes that do not act through a session;
 * `{ sessionInRoute: true }` for a route that reads a session cookie's row together with its own
 * data (one round trip): the hook leaves a GET or HEAD with a session cookie (and no API token) to
 * the route, which must call `signInWithSession` before anything needs the principal (until then
 * the request has none, so any role check refuses it).
 */
declare module 'fastify' {
  interface FastifyContextConfig {
    csrf?: boolean
    sessionInRoute?: boolean
  }
}

/** The session cookies whose look-up the hook left to the route. */
const deferredSessions = new WeakMap<FastifyRequest, string>()

/** The session cookie the sign-in hook left to this route to look up, if it did. */
export function deferredSessionOf(request: FastifyRequest): string | undefined {
  return deferredSessions.get(request)
}

/**
 * The sign-in hook: an `Authorization: Bearer` API token, else the session cookie, becomes
 * `request.principal`. A bad token is refused (401); an unknown or expired cookie is cleared. Unsafe
 * methods through a cookie need the session's CSRF token in the x-csrf-token header.
 */
export function authenticate(deps: ServerDeps) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    // The web app's files and the docs' assets need nobody: no session look-up for them.
    if (!request.url.startsWith('/api/') || request.url.startsWith('/api/docs/static/')) return
    const auth = request.headers.authorization
    if (auth !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(auth)
      const token = match?.[1] === undefined ? null : await resolveApiToken(deps.db, match[1])
      if (token === null)
        throw new DomainError('auth.bad_token', 'The API token is not valid (or was revoked).')
      await noteApiTokenUse(deps.db, token.orgId, token.tokenId, deps.now())
      request.principal = {
        personId: token.personId,
        orgId: token.orgId,
        role: asRole(token.role),
        repId: token.repId,
        via: 'token',
        scopes: token.scopes,
      }
      return
    }
    const cookie = request.cookies[SESSION_COOKIE]
    if (cookie === undefined || cookie === '') return
    if (request.routeOptions.config.sessionInRoute === true && SAFE_METHODS.has(request.method)) {
      deferredSessions.set(request, cookie)
      return
    }
    signInWithSession(request, reply, deps, cookie, await resolveSession(deps.db, cookie, deps.now()))
  }
}

/**
 * The rules of a session cookie once its row was judged (`resolveSession`, `judgeSession`), for
 * the sign-in hook and the routes it leaves the look-up to: an unknown or expired session clears
 * the cookies (an expired one is told so); an unsafe method needs the CSRF header; a live one
 * becomes `request.principal`.
 */
export function signInWithSession(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: ServerDeps,
  cookie: string,
  session: SessionResult,
): void {
  if (!session.ok) {
    if (session.reason === 'expired') markSessionExpired(request)
    clearSessionCookies(reply, deps)
    return
  }
  if (!SAFE_METHODS.has(request.method) && request.routeOptions.config.csrf !== false) {
    const header = request.headers[CSRF_HEADER]
    if (typeof header !== 'string' || !sameText(header, csrfTokenFor(cookie))) {
      throw new DomainError(
        'auth.csrf',
        `A signed-in change needs the ${CSRF_HEADER} header (the ft_csrf cookie).`,
      )
    }
  }
  const person = session.person
  request.principal = {
    personId: person.personId,
    orgId: person.orgId,
    role: asRole(person.role),
    repId: person.repId,
    via: 'session',
    scopes: SESSION_SCOPES,
  }
}
