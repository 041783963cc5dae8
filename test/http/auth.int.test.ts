import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildServer } from '../../src/adapters/http/build-server.ts'
import type { MailMessage } from '../../src/adapters/http/context.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import { testDatabase } from '../support/db.ts'
import { Agent, sessionCookieOf, TestClock } from './support.ts'

const HOUR = 60 * 60 * 1000
const OWNER = { email: 'olivia@acme.example', password: 'correct horse battery' }

let db: Database
let app: FastifyInstance
const clock = new TestClock(new Date('2026-05-04T09:00:00Z'))
const mail: MailMessage[] = []

const tokenIn = (message: MailMessage | undefined): string => {
  const match = /#token=([\w%-]+)/.exec(message?.text ?? '')
  if (match?.[1] === undefined) throw new Error('no link in the message')
  return decodeURIComponent(match[1])
}

async function login(email: string, password: string, ip = '10.1.1.1') {
  return app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email, password },
    remoteAddress: ip,
  })
}

async function signIn(email: string, password: string): Promise<Agent> {
  const res = await login(email, password)
  expect(res.statusCode, res.body).toBe(200)
  return new Agent(app, sessionCookieOf(res), (res.json() as { csrfToken: string }).csrfToken)
}

beforeAll(async () => {
  db = await testDatabase()
  app = await buildServer({
    db,
    now: clock.now,
    sendMail: async (m) => void mail.push(m),
    publicUrl: 'https://pay.acme.example',
  })
})
afterAll(async () => {
  await app.close()
  await db.close()
})

describe('setup', () => {
  it('creates the organization and its owner once, then refuses', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/setup' })).json()).toEqual({ needed: true })
    const body = { organization: { id: 'acme', name: 'Acme MSP' }, owner: { ...OWNER, name: 'Olivia' } }
    const first = await app.inject({ method: 'POST', url: '/api/setup', payload: body })
    expect(first.statusCode, first.body).toBe(201)
    const cookie = first.cookies.find((c) => c.name === 'ft_session')
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: true, path: '/' })
    const again = await app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { ...body, organization: { id: 'other', name: 'Other' } },
    })
    expect(again.statusCode).toBe(409)
    expect(again.json()).toMatchObject({ error: { code: 'auth.setup_done' } })
    expect((await app.inject({ method: 'GET', url: '/api/setup' })).json()).toEqual({ needed: false })
    await db.query(`insert into reps (org_id, id, name) values ('acme', 'r1', 'Rae'), ('acme', 'm1', 'Max')`)
  })

  it('lists every problem of an invalid body with 400', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { organization: { name: '' }, owner: { email: 'not-an-email' } },
    })
    expect(res.statusCode).toBe(400)
    const error = (res.json() as { error: { code: string; details: { problems: { path: string }[] } } }).error
    expect(error.code).toBe('request.invalid')
    expect(error.details.problems.map((p) => p.path).sort()).toEqual([
      '/organization/name',
      '/owner/email',
      '/owner/password',
    ])
  })
})

describe('login', () => {
  it('stores only a scrypt hash of the password and a SHA-256 of the session secret', async () => {
    const res = await login(OWNER.email, OWNER.password)
    const secret = sessionCookieOf(res) ?? ''
    const [person] = await db.query<{ password_hash: string }>(
      `select password_hash from people where email = $1`,
      [OWNER.email],
    )
    expect(person?.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/)
    expect(person?.password_hash).not.toContain(OWNER.password)
    const sessions = await db.query<{ id: string }>('select id from sessions')
    expect(sessions.map((s) => s.id)).not.toContain(secret)
    expect(sessions.some((s) => /^[0-9a-f]{64}$/.test(s.id))).toBe(true)
  })

  it('refuses a wrong password and an unknown email alike', async () => {
    const wrong = await login(OWNER.email, 'not the password', '10.9.9.1')
    const unknown = await login('nobody@acme.example', 'not the password', '10.9.9.1')
    expect([wrong.statusCode, unknown.statusCode]).toEqual([401, 401])
    expect(wrong.json()).toEqual(unknown.json())
  })

  it('throttles an email after 5 failures, even with the right password, until the window passes', async () => {
    await db.query(
      `insert into people (org_id, id, email, role) values ('acme', 'p-throttle', 'tess@acme.example', 'finance')`,
    )
    const agent = await signIn(OWNER.email, OWNER.password)
    const invite = await agent.request('POST', '/api/auth/invitations', {
      email: 'tina@acme.example',
      role: 'finance',
    })
    expect(invite.statusCode, invite.body).toBe(201)
    const accepted = await app.inject({
      method: 'POST',
      url: '/api/auth/invitations/accept',
      payload: { token: tokenIn(mail.at(-1)), password: 'tina-password-1' },
    })
    expect(accepted.statusCode, accepted.body).toBe(201)
    for (let i = 0; i < 5; i++)
      expect((await login('tina@acme.example', `wrong-${i}`, `10.2.0.${i}`)).statusCode).toBe(401)
    const sixth = await login('tina@acme.example', 'tina-password-1', '10.2.0.9')
    expect(sixth.statusCode).toBe(429)
    expect(sixth.json()).toMatchObject({
      error: { code: 'auth.throttled', details: { retryAfterSeconds: 900 } },
    })
    clock.advance(15 * 60 * 1000 + 1000)
    expect((await login('tina@acme.example', 'tina-password-1', '10.2.0.9')).statusCode).toBe(200)
  })

  it('throttles an address after 30 failures over any emails', async () => {
    for (let i = 0; i < 30; i++)
      expect((await login(`x${i}@acme.example`, 'wrong password', '10.3.3.3')).statusCode).toBe(401)
    const res = await login(OWNER.email, OWNER.password, '10.3.3.3')
    expect(res.statusCode).toBe(429)
    expect((await login(OWNER.email, OWNER.password, '10.3.3.4')).statusCode).toBe(200)
    clock.advance(16 * 60 * 1000)
  })
})

describe('sessions', () => {
  it('end after 8 hours without a request', async () => {
    const agent = await signIn(OWNER.email, OWNER.password)
    clock.advance(8 * HOUR - 1000)
    expect((await agent.request('GET', '/api/auth/me')).statusCode).toBe(200)
    clock.advance(8 * HOUR)
    const res = await agent.request('GET', '/api/auth/me')
    expect(res.statusCode).toBe(401)
    expect(res.json()).toMatchObject({ error: { code: 'auth.session_expired' } })
    expect(res.cookies.find((c) => c.name === 'ft_session')?.value).toBe('')
  })

  it('end 7 days after sign-in however active', async () => {
    const agent = await signIn(OWNER.email, OWNER.password)
    for (let hours = 7; hours < 168; hours += 7) {
      clock.advance(7 * HOUR)
      expect((await agent.request('GET', '/api/auth/me')).statusCode, `after ${hours} h`).toBe(200)
    }
    clock.advance(7 * HOUR) // 168 h: the absolute end
    expect((await agent.request('GET', '/api/auth/me')).json()).toMatchObject({
      error: { code: 'auth.session_expired' },
    })
  })

  it('refuse a change through the cookie without the CSRF token', async () => {
    const agent = await signIn(OWNER.email, OWNER.password)
    const bare = new Agent(app, agent.cookie, null)
    expect((await bare.request('GET', '/api/auth/me')).statusCode).toBe(200)
    const none = await bare.request('POST', '/api/auth/tokens', { name: 'x', scopes: ['read'] })
    expect(none.statusCode).toBe(403)
    expect(none.json()).toMatchObject({ error: { code: 'auth.csrf' } })
    const forged = await bare.request(
      'POST',
      '/api/auth/tokens',
      { name: 'x', scopes: ['read'] },
      { 'x-csrf-token': 'f'.repeat(64) },
    )
    expect(forged.statusCode).toBe(403)
    const other = await signIn(OWNER.email, OWNER.password)
    const crossed = await bare.request(
      'POST',
      '/api/auth/tokens',
      { name: 'x', scopes: ['read'] },
      { 'x-csrf-token': other.csrf ?? '' },
    )
    expect(crossed.statusCode).toBe(403)
    expect(
      (await agent.request('POST', '/api/auth/tokens', { name: 'x', scopes: ['read'] })).statusCode,
    ).toBe(201)
  })

  it('sign out ends one session; sign out everywhere ends them all', async () => {
    const [a, b, c] = [
      await signIn(OWNER.email, OWNER.password),
      await signIn(OWNER.email, OWNER.password),
      await signIn(OWNER.email, OWNER.password),
    ]
    expect((await a.request('POST', '/api/auth/logout')).statusCode).toBe(200)
    expect((await a.request('GET', '/api/auth/me')).statusCode).toBe(401)
    expect((await b.request('GET', '/api/auth/me')).statusCode).toBe(200)
    const all = await b.request('POST', '/api/auth/logout-all')
    expect(all.json()).toMatchObject({ ended: expect.any(Number) as number })
    expect((await b.request('GET', '/api/auth/me')).statusCode).toBe(401)
    expect((await c.request('GET', '/api/auth/me')).statusCode).toBe(401)
  })
})

describe('password reset', () => {
  it('tells nothing about an unknown email and sends nothing', async () => {
    const before = mail.length
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/password-reset',
      payload: { email: 'ghost@acme.example' },
    })
    expect(res.statusCode).toBe(202)
    expect(mail.length).toBe(before)
  })

  it('works once through the emailed link and ends every session', async () => {
    const agent = await signIn(OWNER.email, OWNER.password)
    await app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email: OWNER.email } })
    const message = mail.at(-1)
    expect(message?.to).toBe(OWNER.email)
    expect(message?.text).toContain('https://pay.acme.example/reset-password#token=')
    const token = tokenIn(message)
    const [stored] = await db.query<{ n: number }>(
      'select count(*)::int as n from auth_links where token_hash = $1',
      [token],
    )
    expect(stored?.n).toBe(0)
    const confirm = { token, password: 'a brand new password' }
    expect(
      (await app.inject({ method: 'POST', url: '/api/auth/password-reset/confirm', payload: confirm }))
        .statusCode,
    ).toBe(200)
    const twice = await app.inject({
      method: 'POST',
      url: '/api/auth/password-reset/confirm',
      payload: { ...confirm, password: 'yet another password' },
    })
    expect(twice.statusCode).toBe(410)
    expect(twice.json()).toMatchObject({ error: { code: 'auth.link_used' } })
    expect((await agent.request('GET', '/api/auth/me')).statusCode).toBe(401)
    expect((await login(OWNER.email, OWNER.password)).statusCode).toBe(401)
    expect((await login(OWNER.email, 'a brand new password')).statusCode).toBe(200)
    OWNER.password = 'a brand new password'
  })

  it('expires after an hour', async () => {
    await app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email: OWNER.email } })
    const token = tokenIn(mail.at(-1))
    clock.advance(HOUR)
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/password-reset/confirm',
      payload: { token, password: 'too late password' },
    })
    expect(res.statusCode).toBe(410)
    expect(res.json()).toMatchObject({ error: { code: 'auth.link_expired' } })
  })
})

describe('invitations', () => {
  it('create a login with the role and rep, once', async () => {
    const owner = await signIn(OWNER.email, OWNER.password)
    const res = await owner.request('POST', '/api/auth/invitations', {
      email: 'rae@acme.example',
      name: 'Rae',
      role: 'rep',
      repId: 'r1',
    })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toMatchObject({ delivery: 'sent' })
    const token = tokenIn(mail.at(-1))
    const accepted = await app.inject({
      method: 'POST',
      url: '/api/auth/invitations/accept',
      payload: { token, password: 'rae-password-1' },
    })
    expect(accepted.statusCode, accepted.body).toBe(201)
    const rae = new Agent(
      app,
      sessionCookieOf(accepted),
      (accepted.json() as { csrfToken: string }).csrfToken,
    )
    expect((await rae.request('GET', '/api/auth/me')).json()).toMatchObject({
      role: 'rep',
      repId: 'r1',
      email: 'rae@acme.example',
    })
    const twice = await app.inject({
      method: 'POST',
      url: '/api/auth/invitations/accept',
      payload: { token, password: 'other-password-1' },
    })
    expect(twice.json()).toMatchObject({ error: { code: 'auth.link_used' } })
  })

  it('expire after a week', async () => {
    const owner = await signIn(OWNER.email, OWNER.password)
    await owner.request('POST', '/api/auth/invitations', { email: 'late@acme.example', role: 'admin' })
    const token = tokenIn(mail.at(-1))
    clock.advance(7 * 24 * HOUR)
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/invitations/accept',
      payload: { token, password: 'late-password-1' },
    })
    expect(res.statusCode).toBe(410)
    expect(res.json()).toMatchObject({ error: { code: 'auth.link_expired' } })
  })

  it('refuse a taken email, a rep login without a rep, and an owner invited by an admin', async () => {
    const owner = await signIn(OWNER.email, OWNER.password)
    expect(
      (await owner.request('POST', '/api/auth/invitations', { email: OWNER.email, role: 'admin' }))
        .statusCode,
    ).toBe(409)
    expect(
      (
        await owner.request('POST', '/api/auth/invitations', { email: 'm@acme.example', role: 'manager' })
      ).json(),
    ).toMatchObject({ error: { code: 'auth.rep_required' } })
    await owner.request('POST', '/api/auth/invitations', { email: 'ada@acme.example', role: 'admin' })
    await app.inject({
      method: 'POST',
      url: '/api/auth/invitations/accept',
      payload: { token: tokenIn(mail.at(-1)), password: 'ada-password-1' },
    })
    const admin = await signIn('ada@acme.example', 'ada-password-1')
    expect(
      (await admin.request('POST', '/api/auth/invitations', { email: 'boss@acme.example', role: 'owner' }))
        .statusCode,
    ).toBe(403)
  })
})

describe('API tokens', () => {
  it('act within their scopes, are stored hashed, need no CSRF token and can be revoked', async () => {
    const owner = await signIn(OWNER.email, OWNER.password)
    const created = await owner.request('POST', '/api/auth/tokens', { name: 'CRM sync', scopes: ['read'] })
    expect(created.statusCode).toBe(201)
    const { id, token } = created.json() as { id: string; token: string }
    expect(token).toMatch(/^ft_[\w-]{43}$/)
    const bearer = { authorization: `Bearer ${token}` }
    const read = await app.inject({ method: 'GET', url: '/api/reps', headers: bearer })
    expect(read.statusCode).toBe(200)
    const write = await app.inject({
      method: 'POST',
      url: '/api/plans',
      headers: bearer,
      payload: { source: 'id: x' },
    })
    expect(write.statusCode).toBe(403)
    expect(write.json()).toMatchObject({ error: { code: 'auth.scope', details: { scope: 'write' } } })
    const writer = (
      await owner.request('POST', '/api/auth/tokens', { name: 'writer', scopes: ['read', 'write'] })
    ).json() as { token: string }
    const published = await app.inject({
      method: 'POST',
      url: '/api/plans',
      headers: { authorization: `Bearer ${writer.token}` },
      payload: { source: 'id: x' },
    })
    expect(published.statusCode).toBe(422) // past sign-in, scope and CSRF: the plan itself is refused
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/auth/tokens',
          headers: { authorization: `Bearer ${writer.token}` },
          payload: { name: 'y', scopes: ['read'] },
        })
      ).statusCode,
    ).toBe(403)
    const listed = (await owner.request('GET', '/api/auth/tokens')).body
    expect(listed).toContain('CRM sync')
    expect(listed).not.toContain(token)
    const [row] = await db.query<{ token_hash: string }>('select token_hash from api_tokens where id = $1', [
      id,
    ])
    expect(row?.token_hash).toMatch(/^[0-9a-f]{64}$/)
    expect((await owner.request('DELETE', `/api/auth/tokens/${id}`)).statusCode).toBe(200)
    const revoked = await app.inject({ method: 'GET', url: '/api/reps', headers: bearer })
    expect(revoked.statusCode).toBe(401)
    expect(revoked.json()).toMatchObject({ error: { code: 'auth.bad_token' } })
  })
})

describe('errors', () => {
  it('answer an unknown route and a bad cursor with the one error body', async () => {
    const owner = await signIn(OWNER.email, OWNER.password)
    const missing = await owner.request('GET', '/api/nothing-here')
    expect(missing.statusCode).toBe(404)
    expect(missing.json()).toEqual({
      error: { code: 'request.not_found', message: 'No route GET /api/nothing-here.', details: {} },
    })
    const cursor = await owner.request('GET', '/api/reps?cursor=bm9wZQ')
    expect(cursor.statusCode).toBe(400)
    expect(cursor.json()).toMatchObject({ error: { code: 'request.bad_cursor' } })
  })

  it('never show a stack trace: a failing database is a plain 500', async () => {
    const owner = await signIn(OWNER.email, OWNER.password)
    const broken = await buildServer({
      db: { ...db, transaction: () => Promise.reject(new Error('disk on fire at /var/lib/x')) },
      now: clock.now,
    })
    try {
      const res = await broken.inject({
        method: 'GET',
        url: '/api/reps',
        headers: { cookie: `ft_session=${owner.cookie ?? ''}` },
      })
      expect(res.statusCode).toBe(500)
      expect(res.json()).toEqual({
        error: { code: 'server.error', message: 'Something went wrong.', details: {} },
      })
    } finally {
      await broken.close()
    }
  })
})
