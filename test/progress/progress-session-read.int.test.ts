import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertPerson } from '../../src/app/auth/people.ts'
import { sha256Hex } from '../../src/app/auth/secrets.ts'
import { sessionReadSql } from '../../src/app/auth/sessions.ts'
import { readInOrgScopeOf, withOrgScope } from '../../src/app/ports/org-scope.ts'
import { Agent, DEMO_EMAIL, type DemoServer, demoServer, signIn } from '../http/support.ts'

// GET /api/progress reads a session cookie's row together with the data version in one statement
// (the sign-in hook leaves it to the route: docs/adr/0011-progress-under-load.md). The same rules
// as every other route must hold through it, whether the answer is kept or computed.

let server: DemoServer
let rep: Agent

const HOUR = 60 * 60 * 1000

beforeAll(async () => {
  server = await demoServer() // January and February closed; the clock on March 2
  rep = await signIn(server.app, DEMO_EMAIL.rep)
  // Another organization with one rep and a person bound to it.
  await server.db.query(`insert into organizations (id, name) values ('other', 'Other Co')`)
  await server.db.query(`insert into reps (org_id, id, name) values ('other', 'zz1', 'Zed')`)
  await withOrgScope(server.db, 'other', async (tx) => {
    await insertPerson(tx, {
      orgId: 'other',
      email: 'boss@other.example',
      name: 'Boss',
      role: 'owner',
      repId: null,
      password: 'other-password-1',
      now: server.clock.now(),
    })
    await insertPerson(tx, {
      orgId: 'other',
      email: 'zed@other.example',
      name: 'Zed',
      role: 'rep',
      repId: 'zz1',
      password: 'other-password-1',
      now: server.clock.now(),
    })
  })
}, 300_000)

afterAll(async () => {
  await server?.close()
})

const codeOf = (body: string): string => (JSON.parse(body) as { error: { code: string } }).error.code

const repsOf = async (agent: Agent, url = '/api/progress'): Promise<string[]> => {
  const res = await agent.request('GET', url)
  expect(res.statusCode, res.body).toBe(200)
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
  return (res.json() as { items: { rep: string }[] }).items.map((i) => i.rep)
}

describe('GET /api/progress: the session read with the data version', () => {
  it("serves the rep's own, kept or not, and refuses another rep's", async () => {
    expect(await repsOf(rep)).toEqual(['r01']) // computed
    expect(await repsOf(rep)).toEqual(['r01']) // kept
    expect(await repsOf(rep, '/api/progress?rep=r01')).toEqual(['r01'])
    expect((await rep.request('HEAD', '/api/progress')).statusCode).toBe(200)
    expect((await new Agent(server.app, null, null).request('HEAD', '/api/progress')).statusCode).toBe(401)
    for (let i = 0; i < 2; i++) {
      const other = await rep.request('GET', '/api/progress?rep=r02')
      expect(other.statusCode, other.body).toBe(403)
      expect(codeOf(other.body)).toBe('auth.forbidden')
    }
    const manager = await signIn(server.app, DEMO_EMAIL.manager)
    const team = await repsOf(manager)
    expect(team).toContain('r01')
    expect(team).toContain('m1')
    expect((await manager.request('GET', '/api/progress?rep=r99')).statusCode).toBe(403)
  })

  it('refuses a bad date after signing in, and no cookie or an unknown one as before', async () => {
    const bad = await rep.request('GET', '/api/progress?asOf=2026-02-30')
    expect(bad.statusCode, bad.body).toBe(400)
    const none = await new Agent(server.app, null, null).request('GET', '/api/progress')
    expect([none.statusCode, codeOf(none.body)]).toEqual([401, 'auth.required'])
    const unknown = await new Agent(server.app, 'no-such-session', null).request('GET', '/api/progress')
    expect([unknown.statusCode, codeOf(unknown.body)]).toEqual([401, 'auth.required'])
    expect(unknown.cookies.find((c) => c.name === 'ft_session')?.value).toBe('')
  })

  it("keeps organizations apart: another organization's people see only their own", async () => {
    const boss = await signIn(server.app, 'boss@other.example', 'other-password-1')
    const zed = await signIn(server.app, 'zed@other.example', 'other-password-1')
    for (let i = 0; i < 2; i++) {
      expect(await repsOf(boss)).toEqual([]) // no plan there: no progress, and none of northwind's
      const theirs = await boss.request('GET', '/api/progress?rep=r01')
      expect([theirs.statusCode, codeOf(theirs.body)]).toEqual([404, 'progress.unknown_rep'])
      expect(await repsOf(zed)).toEqual([])
      expect((await zed.request('GET', '/api/progress?rep=r01')).statusCode).toBe(403)
    }
    expect(await repsOf(rep)).toEqual(['r01'])
  })

  it("reads in the session's organization only, and in none for a session that is not live", async () => {
    const zed = await signIn(server.app, 'zed@other.example', 'other-password-1')
    const now = server.clock.now()
    const count = async (cookie: string, at: Date): Promise<unknown> => {
      const scope = sessionReadSql(cookie, at)
      const [row] = await readInOrgScopeOf<{ n: number; org: string }>(
        server.db,
        scope.liveOrg,
        `select count(*)::int as n, current_setting('app.org_id', true) as org from reps`,
      )
      return row
    }
    expect(await count(zed.cookie ?? '', now)).toEqual({ n: 1, org: 'other' })
    const [northwind] = await server.db.query<{ n: number }>(
      `select count(*)::int as n from reps where org_id = $1`,
      [server.orgId],
    )
    expect(await count(rep.cookie ?? '', now)).toEqual({ n: northwind?.n, org: server.orgId })
    // Idle too long, past its end, or unknown: no organization, no rows.
    expect(await count(zed.cookie ?? '', new Date(now.getTime() + 9 * HOUR))).toEqual({ n: 0, org: '' })
    expect(await count(zed.cookie ?? '', new Date(now.getTime() + 8 * 24 * HOUR))).toEqual({ n: 0, org: '' })
    expect(await count('no-such-session', now)).toEqual({ n: 0, org: '' })
    expect((await zed.request('POST', '/api/auth/logout')).statusCode).toBe(200)
    expect(await count(zed.cookie ?? '', now)).toEqual({ n: 0, org: '' })
  })

  it('moves last_seen_at forward (at most once a minute), as every route does', async () => {
    const own = await signIn(server.app, DEMO_EMAIL.rep)
    const seen = async (): Promise<number> => {
      const [row] = await server.db.query<{ last_seen_at: unknown }>(
        'select last_seen_at from auth_session($1)',
        [sha256Hex(own.cookie ?? '')],
      )
      const at = row?.last_seen_at
      return (at instanceof Date ? at : new Date(String(at))).getTime()
    }
    const signedIn = await seen()
    server.clock.advance(30 * 1000)
    await repsOf(own)
    expect(await seen()).toBe(signedIn)
    server.clock.advance(60 * 1000)
    await repsOf(own)
    expect(await seen()).toBe(server.clock.now().getTime())
  })

  it('tells an expired session so (idle, then past its absolute end) and clears the cookie', async () => {
    const idle = await signIn(server.app, DEMO_EMAIL.rep)
    expect(await repsOf(idle)).toEqual(['r01'])
    server.clock.advance(8 * HOUR + 1000)
    const late = await idle.request('GET', '/api/progress')
    expect([late.statusCode, codeOf(late.body)]).toEqual([401, 'auth.session_expired'])
    expect(late.cookies.find((c) => c.name === 'ft_session')?.value).toBe('')

    // A session used every 7 hours stays live until 7 days after sign-in.
    const long = await signIn(server.app, DEMO_EMAIL.rep)
    let last = await long.request('GET', '/api/progress')
    let hours = 0
    while (last.statusCode === 200 && hours < 8 * 24) {
      server.clock.advance(7 * HOUR)
      hours += 7
      last = await long.request('GET', '/api/progress')
    }
    expect([last.statusCode, codeOf(last.body)]).toEqual([401, 'auth.session_expired'])
    expect(hours).toBeGreaterThanOrEqual(7 * 24)
  })

  it('refuses a session after sign-out everywhere; API tokens keep their scopes', async () => {
    const owner = await signIn(server.app, DEMO_EMAIL.owner)
    const token = async (scopes: string[]): Promise<string> => {
      const res = await owner.request('POST', '/api/auth/tokens', { name: scopes.join('+'), scopes })
      expect(res.statusCode, res.body).toBe(201)
      return (res.json() as { token: string }).token
    }
    const read = await token(['read'])
    const write = await token(['write'])
    const asToken = (secret: string) =>
      server.app.inject({
        method: 'GET',
        url: '/api/progress',
        headers: { authorization: `Bearer ${secret}` },
      })
    expect((await asToken(read)).statusCode).toBe(200)
    const noRead = await asToken(write)
    expect([noRead.statusCode, codeOf(noRead.body)]).toEqual([403, 'auth.scope'])

    const own = await signIn(server.app, DEMO_EMAIL.rep)
    expect(await repsOf(own)).toEqual(['r01'])
    const elsewhere = await signIn(server.app, DEMO_EMAIL.rep)
    expect((await elsewhere.request('POST', '/api/auth/logout-all')).statusCode).toBe(200)
    const after = await own.request('GET', '/api/progress')
    expect([after.statusCode, codeOf(after.body)]).toEqual([401, 'auth.required'])
  })
})
