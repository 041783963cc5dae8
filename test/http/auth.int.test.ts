import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildServer } from '../../src/adapters/http/build-server.ts'
import { AuthFixture, HOUR, tokenIn } from './auth-fixture.ts'
import { Agent, sessionCookieOf } from './support.ts'

let f: AuthFixture

beforeAll(async () => {
  f = await AuthFixture.start()
})
afterAll(async () => f?.close())

describe('setup', () => {
  it('creates the organization and its owner once, then refuses', async () => {
    expect((await f.app.inject({ method: 'GET', url: '/api/setup' })).json()).toEqual({ needed: true })
    const body = { organization: { id: 'acme', name: 'Acme MSP' }, owner: { ...f.owner, name: 'Olivia' } }
    const first = await f.app.inject({ method: 'POST', url: '/api/setup', payload: body })
    expect(first.statusCode, first.body).toBe(201)
    const cookie = first.cookies.find((c) => c.name === 'ft_session')
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: true, path: '/' })
    const again = await f.app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { ...body, organization: { id: 'other', name: 'Other' } },
    })
    expect(again.statusCode).toBe(409)
    expect(again.json()).toMatchObject({ error: { code: 'auth.setup_done' } })
    expect((await f.app.inject({ method: 'GET', url: '/api/setup' })).json()).toEqual({ needed: false })
    await f.db.query(
      `insert into reps (org_id, id, name) values ('acme', 'r1', 'Rae'), ('acme', 'm1', 'Max')`,
    )
  })

  it('lists every problem of an invalid body with 400', async () => {
    const res = await f.app.inject({
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
    const res = await f.login(f.owner.email, f.owner.password)
    const secret = sessionCookieOf(res) ?? ''
    const [person] = await f.db.query<{ password_hash: string }>(
      `select password_hash from people where email = $1`,
      [f.owner.email],
    )
    expect(person?.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/)
    expect(person?.password_hash).not.toContain(f.owner.password)
    const sessions = await f.db.query<{ id: string }>('select id from sessions')
    expect(sessions.map((s) => s.id)).not.toContain(secret)
    expect(sessions.some((s) => /^[0-9a-f]{64}$/.test(s.id))).toBe(true)
  })

  it('refuses a wrong password and an unknown email alike', async () => {
    const wrong = await f.login(f.owner.email, 'not the password', '10.9.9.1')
    const unknown = await f.login('nobody@acme.example', 'not the password', '10.9.9.1')
    expect([wrong.statusCode, unknown.statusCode]).toEqual([401, 401])
    expect(wrong.json()).toEqual(unknown.json())
  })

  it('throttles an email after 5 failures, even with the right password, until the window passes', async () => {
    await f.db.query(
      `insert into people (org_id, id, email, role) values ('acme', 'p-throttle', 'tess@acme.example', 'finance')`,
    )
    const agent = await f.signIn(f.owner.email, f.owner.password)
    const invite = await agent.request('POST', '/api/auth/invitations', {
      email: 'tina@acme.example',
      role: 'finance',
    })
    expect(invite.statusCode, invite.body).toBe(201)
    const accepted = await f.app.inject({
      method: 'POST',
      url: '/api/auth/invitations/accept',
      payload: { token: tokenIn(f.mail.at(-1)), password: 'tina-password-1' },
    })
    expect(accepted.statusCode, accepted.body).toBe(201)
    for (let i = 0; i < 5; i++)
      expect((await f.login('tina@acme.example', `wrong-${i}`, `10.2.0.${i}`)).statusCode).toBe(401)
    const sixth = await f.login('tina@acme.example', 'tina-password-1', '10.2.0.9')
    expect(sixth.statusCode).toBe(429)
    expect(sixth.json()).toMatchObject({
      error: { code: 'auth.throttled', details: { retryAfterSeconds: 900 } },
    })
    f.clock.advance(15 * 60 * 1000 + 1000)
    expect((await f.login('tina@acme.example', 'tina-password-1', '10.2.0.9')).statusCode).toBe(200)
  })

  it('throttles an address after 30 failures over any emails', async () => {
    for (let i = 0; i < 30; i++)
      expect((await f.login(`x${i}@acme.example`, 'wrong password', '10.3.3.3')).statusCode).toBe(401)
    const res = await f.login(f.owner.email, f.owner.password, '10.3.3.3')
    expect(res.statusCode).toBe(429)
    expect((await f.login(f.owner.email, f.owner.password, '10.3.3.4')).statusCode).toBe(200)
    f.clock.advance(16 * 60 * 1000)
  })
})

describe('sessions', () => {
  it('end after 8 hours without a request', async () => {
    const agent = await f.signIn(f.owner.email, f.owner.password)
    f.clock.advance(8 * HOUR - 1000)
    expect((await agent.request('GET', '/api/auth/me')).statusCode).toBe(200)
    f.clock.advance(8 * HOUR)
    const res = await agent.request('GET', '/api/auth/me')
    expect(res.statusCode).toBe(401)
    expect(res.json()).toMatchObject({ error: { code: 'auth.session_expired' } })
    expect(res.cookies.find((c) => c.name === 'ft_session')?.value).toBe('')
  })

  it('end 7 days after sign-in however active', async () => {
    const agent = await f.signIn(f.owner.email, f.owner.password)
    for (let hours = 7; hours < 168; hours += 7) {
      f.clock.advance(7 * HOUR)
      expect((await agent.request('GET', '/api/auth/me')).statusCode, `after ${hours} h`).toBe(200)
    }
    f.clock.advance(7 * HOUR) // 168 h: the absolute end
    expect((await agent.request('GET', '/api/auth/me')).json()).toMatchObject({
      error: { code: 'auth.session_expired' },
    })
  })

  it('refuse a change through the cookie without the CSRF token', async () => {
    const agent = await f.signIn(f.owner.email, f.owner.password)
    const bare = new Agent(f.app, agent.cookie, null)
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
    const other = await f.signIn(f.owner.email, f.owner.password)
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
      await f.signIn(f.owner.email, f.owner.password),
      await f.signIn(f.owner.email, f.owner.password),
      await f.signIn(f.owner.email, f.owner.password),
    ]
    expect((await a.request('POST', '/api/auth/logout')).statusCode).toBe(200)
    expect((await a.request('GET', '/api/auth/me')).statusCode).toBe(401)
    expect((await b.request('GET', '/api/auth/me')).statusCode).toBe(200)
    const all = await b.request('POST', '/api/auth/logout-all')
    expect(all.json()).toMatchObject({ ended: expect.any(Number) as number })
    expect((await b.request('GET', '/api/auth/me')).statusCode).toBe(401)
    expect((await c.request('GET', '/api/auth/me')).statusCode).toBe(401)
    const [entry] = await f.db.query<{ action: string; after: { ended: number } }>(
      `select action, after from audit_log where action = 'session.logout_all' order by id desc limit 1`,
    )
    const { ended } = all.json() as { ended: number }
    expect(ended).toBeGreaterThanOrEqual(2) // b and c at least; a had signed out already
    expect(entry?.after.ended).toBe(ended)
  })
})

describe('errors', () => {
  it('answer an unknown route and a bad cursor with the one error body', async () => {
    const owner = await f.signIn(f.owner.email, f.owner.password)
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
    const owner = await f.signIn(f.owner.email, f.owner.password)
    const broken = await buildServer({
      db: { ...f.db, transaction: () => Promise.reject(new Error('disk on fire at /var/lib/x')) },
      now: f.clock.now,
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
