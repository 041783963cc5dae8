import type { FastifyReply } from 'fastify'
import { sha256Hex } from '../../app/auth/secrets.ts'
import { SESSION_ABSOLUTE_MS } from '../../app/auth/sessions.ts'
import type { ServerDeps } from './context.ts'

/** The session cookie: http-only, SameSite=Lax, Secure behind https. */
export const SESSION_COOKIE = 'ft_session'
/** The CSRF cookie, readable by the web app, which echoes it in the x-csrf-token header. */
export const CSRF_COOKIE = 'ft_csrf'
export const CSRF_HEADER = 'x-csrf-token'

/** The CSRF token of a session: derived from the session's secret, so nothing more is stored. */
export const csrfTokenFor = (sessionToken: string): string => sha256Hex(`csrf:${sessionToken}`)

const secure = (deps: ServerDeps, reply: FastifyReply): boolean =>
  deps.secureCookies ?? ((deps.publicUrl ?? '').startsWith('https:') || reply.request.protocol === 'https')

/** Sets the session and CSRF cookies after a sign-in. */
export function setSessionCookies(reply: FastifyReply, deps: ServerDeps, token: string): void {
  const common = {
    path: '/',
    sameSite: 'lax' as const,
    secure: secure(deps, reply),
    maxAge: SESSION_ABSOLUTE_MS / 1000,
  }
  void reply.setCookie(SESSION_COOKIE, token, { ...common, httpOnly: true })
  void reply.setCookie(CSRF_COOKIE, csrfTokenFor(token), { ...common, httpOnly: false })
}

/** Clears both cookies (sign-out, an expired session). */
export function clearSessionCookies(reply: FastifyReply, deps: ServerDeps): void {
  const common = { path: '/', sameSite: 'lax' as const, secure: secure(deps, reply) }
  void reply.clearCookie(SESSION_COOKIE, { ...common, httpOnly: true })
  void reply.clearCookie(CSRF_COOKIE, common)
}
