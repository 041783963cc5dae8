import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AuthFixture, HOUR, tokenIn } from './auth-fixture.ts'
import { Agent, sessionCookieOf } from './support.ts'

let f: AuthFixture

beforeAll(async () => {
  f = await AuthFixture.start()
  await f.setUp()
})
afterAll(async () => f?.close())

describe('password reset', () => {
  it('tells nothing about an unknown email and sends nothing', async () => {
    const before = f.mail.length
    const res = await f.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset',
      payload: { email: 'ghost@acme.example' },
    })
    expect(res.statusCode).toBe(202)
    expect(f.mail.length).toBe(before)
  })

  it('works once through the emailed link and ends every session', async () => {
    const agent = await f.signIn(f.owner.email, f.owner.password)
    await f.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email: f.owner.email } })
    const message = f.mail.at(-1)
    expect(message?.to).toBe(f.owner.email)
    expect(message?.text).toContain('https://pay.acme.example/#/reset-password?token=')
    const token = tokenIn(message)
    const [stored] = await f.db.query<{ n: number }>(
      'select count(*)::int as n from auth_links where token_hash = $1',
      [token],
    )
    expect(stored?.n).toBe(0)
    const confirm = { token, password: 'a brand new password' }
    expect(
      (await f.app.inject({ method: 'POST', url: '/api/auth/password-reset/confirm', payload: confirm }))
        .statusCode,
    ).toBe(200)
    const twice = await f.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset/confirm',
      payload: { ...confirm, password: 'yet another password' },
    })
    expect(twice.statusCode).toBe(410)
    expect(twice.json()).toMatchObject({ error: { code: 'auth.link_used' } })
    expect((await agent.request('GET', '/api/auth/me')).statusCode).toBe(401)
    expect((await f.login(f.owner.email, f.owner.password)).statusCode).toBe(401)
    expect((await f.login(f.owner.email, 'a brand new password')).statusCode).toBe(200)
    f.owner.password = 'a brand new password'
  })

  it('expires after an hour', async () => {
    await f.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email: f.owner.email } })
    const token = tokenIn(f.mail.at(-1))
    f.clock.advance(HOUR)
    const res = await f.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset/confirm',
      payload: { token, password: 'too late password' },
    })
    expect(res.statusCode).toBe(410)
    expect(res.json()).toMatchObject({ error: { code: 'auth.link_expired' } })
  })
})

describe('invitations', () => {
  it('are listed while open and stop working once withdrawn', async () => {
    const owner = await f.signIn(f.owner.email, f.owner.password)
    await owner.request('POST', '/api/auth/invitations', { email: 'wes@acme.example', role: 'finance' })
    const token = tokenIn(f.mail.at(-1))
    const open = (await owner.request('GET', '/api/auth/invitations')).json() as {
      items: { id: string; email: string }[]
    }
    const listed = open.items.find((i) => i.email === 'wes@acme.example')
    expect(listed?.id).toMatch(/^[0-9a-f]{64}$/)
    expect(JSON.stringify(open)).not.toContain(token)
    expect((await owner.request('DELETE', `/api/auth/invitations/${listed?.id ?? ''}`)).statusCode).toBe(200)
    const accept = await f.app.inject({
      method: 'POST',
      url: '/api/auth/invitations/accept',
      payload: { token, password: 'wes-password-1' },
    })
    expect(accept.json()).toMatchObject({ error: { code: 'auth.link_used' } })
    const after = (await owner.request('GET', '/api/auth/invitations')).json() as {
      items: { email: string }[]
    }
    expect(after.items.map((i) => i.email)).not.toContain('wes@acme.example')
  })

  it('create a login with the role and rep, once', async () => {
    const owner = await f.signIn(f.owner.email, f.owner.password)
    const res = await owner.request('POST', '/api/auth/invitations', {
      email: 'rae@acme.example',
      name: 'Rae',
      role: 'rep',
      repId: 'r1',
    })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toMatchObject({ delivery: 'sent' })
    const token = tokenIn(f.mail.at(-1))
    const accepted = await f.app.inject({
      method: 'POST',
      url: '/api/auth/invitations/accept',
      payload: { token, password: 'rae-password-1' },
    })
    expect(accepted.statusCode, accepted.body).toBe(201)
    const rae = new Agent(
      f.app,
      sessionCookieOf(accepted),
      (accepted.json() as { csrfToken: string }).csrfToken,
    )
    expect((await rae.request('GET', '/api/auth/me')).json()).toMatchObject({
      role: 'rep',
      repId: 'r1',
      email: 'rae@acme.example',
    })
    const twice = await f.app.inject({
      method: 'POST',
      url: '/api/auth/invitations/accept',
      payload: { token, password: 'other-password-1' },
    })
    expect(twice.json()).toMatchObject({ error: { code: 'auth.link_used' } })
  })

  it('expire after a week', async () => {
    const owner = await f.signIn(f.owner.email, f.owner.password)
    await owner.request('POST', '/api/auth/invitations', { email: 'late@acme.example', role: 'admin' })
    const token = tokenIn(f.mail.at(-1))
    f.clock.advance(7 * 24 * HOUR)
    const res = await f.app.inject({
      method: 'POST',
      url: '/api/auth/invitations/accept',
      payload: { token, password: 'late-password-1' },
    })
    expect(res.statusCode).toBe(410)
    expect(res.json()).toMatchObject({ error: { code: 'auth.link_expired' } })
  })

  it('refuse a taken email, a rep login without a rep, and an owner invited by an admin', async () => {
    const owner = await f.signIn(f.owner.email, f.owner.password)
    expect(
      (await owner.request('POST', '/api/auth/invitations', { email: f.owner.email, role: 'admin' }))
        .statusCode,
    ).toBe(409)
    expect(
      (
        await owner.request('POST', '/api/auth/invitations', { email: 'm@acme.example', role: 'manager' })
      ).json(),
    ).toMatchObject({ error: { code: 'auth.rep_required' } })
    await owner.request('POST', '/api/auth/invitations', { email: 'ada@acme.example', role: 'admin' })
    await f.app.inject({
      method: 'POST',
      url: '/api/auth/invitations/accept',
      payload: { token: tokenIn(f.mail.at(-1)), password: 'ada-password-1' },
    })
    const admin = await f.signIn('ada@acme.example', 'ada-password-1')
    expect(
      (await admin.request('POST', '/api/auth/invitations', { email: 'boss@acme.example', role: 'owner' }))
        .statusCode,
    ).toBe(403)
  })
})

describe('API tokens', () => {
  it('act within their scopes, are stored hashed, need no CSRF token and can be revoked', async () => {
    const owner = await f.signIn(f.owner.email, f.owner.password)
    const created = await owner.request('POST', '/api/auth/tokens', { name: 'CRM sync', scopes: ['read'] })
    expect(created.statusCode).toBe(201)
    const { id, token } = created.json() as { id: string; token: string }
    expect(token).toMatch(/^ft_[\w-]{43}$/)
    const bearer = { authorization: `Bearer ${token}` }
    const read = await f.app.inject({ method: 'GET', url: '/api/reps', headers: bearer })
    expect(read.statusCode).toBe(200)
    const write = await f.app.inject({
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
    const published = await f.app.inject({
      method: 'POST',
      url: '/api/plans',
      headers: { authorization: `Bearer ${writer.token}` },
      payload: { source: 'id: x' },
    })
    expect(published.statusCode).toBe(422) // past sign-in, scope and CSRF: the plan itself is refused
    expect(
      (
        await f.app.inject({
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
    const used = (JSON.parse(listed) as { items: { id: string; lastUsedAt: string | null }[] }).items.find(
      (t) => t.id === id,
    )
    expect(used?.lastUsedAt).toBe(f.clock.now().toISOString())
    const [row] = await f.db.query<{ token_hash: string }>(
      'select token_hash from api_tokens where id = $1',
      [id],
    )
    expect(row?.token_hash).toMatch(/^[0-9a-f]{64}$/)
    expect((await owner.request('DELETE', `/api/auth/tokens/${id}`)).statusCode).toBe(200)
    const revoked = await f.app.inject({ method: 'GET', url: '/api/reps', headers: bearer })
    expect(revoked.statusCode).toBe(401)
    expect(revoked.json()).toMatchObject({ error: { code: 'auth.bad_token' } })
  })
})
