import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Agent, DEMO_EMAIL, demoServer, signIn, type DemoServer } from './support.ts'

// The demo company served over HTTP with January and February 2026 closed, on 2026-03-02 (Chicago).
// Outcomes someone has to carry out (money effects are applied by the close):
//   January (due Feb 7): r01 pto_days (owner m1); r07, r09, r12 warnings (owner m2)
//   February (due Mar 7): r01 pto_days, r03 warning, r05 warning (m1); r09 pto_days, r11 warning (m2)
// Bonuses of 500.00 for r01 in January and February and r09 in February: 1,500.00 stated and paid.

let server: DemoServer
let owner: Agent, admin: Agent, finance: Agent, manager: Agent, rep: Agent

interface Outcome {
  id: string
  repId: string
  period: string
  effect: string
  state: string
  owner: string | null
  waiveRequestedBy: string | null
  waivedBy: string | null
  appliedNote: string | null
}

beforeAll(async () => {
  server = await demoServer()
  owner = await signIn(server.app, DEMO_EMAIL.owner)
  admin = await signIn(server.app, DEMO_EMAIL.admin)
  finance = await signIn(server.app, DEMO_EMAIL.finance)
  manager = await signIn(server.app, DEMO_EMAIL.manager)
  rep = await signIn(server.app, DEMO_EMAIL.rep)
}, 120_000)
afterAll(async () => server?.close())

const json = async <T>(
  agent: Agent,
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  body?: unknown,
  status = 200,
) => {
  const res = await agent.request(method, url, body)
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status)
  return res.json() as T
}

const refusal = async (agent: Agent, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => {
  const res = await agent.request(method, url, body)
  return [res.statusCode, (res.json() as { error: { code: string } }).error.code]
}

const outcomes = async (agent: Agent, query = '') =>
  (await json<{ items: Outcome[] }>(agent, 'GET', `/api/outcomes?limit=500${query}`)).items

const findOutcome = async (period: string, repId: string, effect: string): Promise<Outcome> => {
  const found = (await outcomes(owner, `&period=${period}&rep=${repId}`)).filter((o) => o.effect === effect)
  expect(found).toHaveLength(1)
  return found[0] as Outcome
}

const personId = async (agent: Agent) =>
  (await json<{ personId: string }>(agent, 'GET', '/api/auth/me')).personId

describe('follow-through reports', () => {
  it('gives the company figures by hand', async () => {
    // As of Mar 2 the four January items are past due and not applied (overdue); February's are pending.
    const out = await json<{ asOf: string; groups: unknown[] }>(owner, 'GET', '/api/reports/follow-through')
    expect(out.asOf).toBe('2026-03-02')
    expect(out.groups).toEqual([
      {
        group: 'company',
        figures: {
          due: 4,
          appliedOnTime: 0,
          appliedLate: 0,
          waived: 0,
          overdue: 4,
          pending: 5,
          rate: { numerator: 0, denominator: 4 },
          moneyStatedMinor: 150000,
          moneyAppliedMinor: 150000,
        },
      },
    ])
    const feb = await json<{ groups: { group: string; figures: { due: number; pending: number } }[] }>(
      finance,
      'GET',
      '/api/reports/follow-through?by=manager&period=2026-02',
    )
    expect(feb.groups.map((g) => [g.group, g.figures.due, g.figures.pending])).toEqual([
      ['m1', 0, 3],
      ['m2', 0, 2],
    ])
  })

  it("shows a manager only their tree's outcomes and refuses a rep", async () => {
    const mine = await json<{ groups: { group: string; figures: Record<string, unknown> }[] }>(
      manager,
      'GET',
      '/api/reports/follow-through?by=manager',
    )
    // m1's tree: r01's January PTO (overdue); r01's PTO, r03's and r05's warnings of February (pending).
    expect(mine.groups).toEqual([
      {
        group: 'm1',
        figures: expect.objectContaining({ due: 1, overdue: 1, pending: 3, moneyStatedMinor: 100000 }),
      },
    ])
    const misses = await json<{ misses: { rep: string; status: string }[] }>(
      owner,
      'GET',
      '/api/reports/unenforced',
    )
    expect(misses.misses.map((m) => [m.rep, m.status])).toEqual([
      ['r07', 'overdue'],
      ['r09', 'overdue'],
      ['r12', 'overdue'],
    ])
    expect((await json<{ misses: unknown[] }>(manager, 'GET', '/api/reports/unenforced')).misses).toEqual([])
    for (const url of [
      '/api/reports/follow-through',
      '/api/reports/unenforced',
      '/api/reports/after-miss',
      '/api/reports/under-performers',
    ])
      expect(await refusal(rep, 'GET', url)).toEqual([403, 'auth.forbidden'])
  })

  it('answers the peer reports and refuses bad arguments with 400', async () => {
    const after = await json<{ minimum: number; teams: { team: string; sentence: string }[] }>(
      admin,
      'GET',
      '/api/reports/after-miss',
    )
    expect(after.minimum).toBe(5)
    // Only South had misses (January's warnings) followed by a closed period: not enough data yet.
    expect(after.teams.map((t) => [t.team, t.sentence.startsWith('Not enough data yet')])).toEqual([
      ['South', true],
    ])
    // North, the manager's team, had no miss in January: nothing to compare.
    expect((await json<{ teams: unknown[] }>(manager, 'GET', '/api/reports/after-miss')).teams).toEqual([])
    // Two closed periods: nobody is in the bottom quartile in 3 of the last 4.
    const under = await json<{ options: { k: number; n: number }; reps: unknown[] }>(
      owner,
      'GET',
      '/api/reports/under-performers',
    )
    expect([under.options.k, under.options.n, under.reps]).toEqual([3, 4, []])
    expect(await refusal(owner, 'GET', '/api/reports/under-performers?k=3&n=2')).toEqual([
      400,
      'report.bad_options',
    ])
    expect(await refusal(owner, 'GET', '/api/reports/follow-through?period=2026-01&trailing=6')).toEqual([
      400,
      'report.bad_scope',
    ])
  })
})

describe('follow-through settings', () => {
  it('reads and changes due days and K of N (owner, admin only)', async () => {
    const before = await json<{ dueDays: Record<string, number>; underPerformers: unknown }>(
      owner,
      'GET',
      '/api/settings/follow-through',
    )
    expect(before.dueDays.default).toBe(7)
    expect(before.dueDays.warning).toBe(7)
    expect(before.underPerformers).toEqual({ k: 3, n: 4 })
    const after = await json<{ dueDays: Record<string, number>; underPerformers: unknown }>(
      admin,
      'PUT',
      '/api/settings/follow-through',
      { dueDays: { default: 10, warning: 3 }, underPerformers: { k: 2, n: 3 } },
    )
    expect(after.dueDays).toEqual({
      default: 10,
      pto_days: 10,
      raise: 10,
      warning: 3,
      coaching: 10,
      termination_review: 10,
    })
    expect(after.underPerformers).toEqual({ k: 2, n: 3 })
    expect(
      await refusal(owner, 'PUT', '/api/settings/follow-through', { underPerformers: { k: 4, n: 3 } }),
    ).toEqual([400, 'report.bad_options'])
    expect(await refusal(manager, 'GET', '/api/settings/follow-through')).toEqual([403, 'auth.forbidden'])
    await json(owner, 'PUT', '/api/settings/follow-through', { dueDays: {}, underPerformers: { k: 3, n: 4 } })
  })
})

describe('outcomes over HTTP', () => {
  it("lists a manager's tree and a rep's own", async () => {
    const tree = new Set(['m1', 'r01', 'r02', 'r03', 'r04', 'r05', 'r06'])
    const managers = await outcomes(manager)
    expect(managers.length).toBeGreaterThan(0)
    expect(managers.every((o) => tree.has(o.repId))).toBe(true)
    expect(
      managers.filter((o) => ['pto_days', 'warning'].includes(o.effect)).map((o) => [o.period, o.repId]),
    ).toEqual([
      ['2026-01', 'r01'],
      ['2026-02', 'r01'],
      ['2026-02', 'r03'],
      ['2026-02', 'r05'],
    ])
    const reps = await outcomes(rep)
    expect(reps.length).toBeGreaterThan(0)
    expect(reps.every((o) => o.repId === 'r01')).toBe(true)
    expect(await refusal(manager, 'GET', '/api/outcomes?rep=r07')).toEqual([403, 'auth.forbidden'])
    const r07 = await findOutcome('2026-01', 'r07', 'warning')
    expect(await refusal(manager, 'GET', `/api/outcomes/${r07.id}`)).toEqual([403, 'auth.forbidden'])
    // Pages of 2 give the same items in the same order.
    const paged: Outcome[] = []
    let cursor: string | null = null
    do {
      const page: { items: Outcome[]; nextCursor: string | null } = await json(
        manager,
        'GET',
        `/api/outcomes?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`,
      )
      paged.push(...page.items)
      cursor = page.nextCursor
    } while (cursor !== null)
    expect(paged.map((o) => o.id)).toEqual(managers.map((o) => o.id))
  })

  it('lets a manager apply an outcome of their team, once, and not one of another team', async () => {
    const r03 = await findOutcome('2026-02', 'r03', 'warning')
    expect(
      await refusal(manager, 'POST', `/api/outcomes/${r03.id}/apply`, { note: 'Letter handed over' }),
    ).toEqual([400, 'outcome.detail_required'])
    const body = {
      note: 'Letter handed over',
      detail: { delivered_on: '2026-03-02', acknowledged_on: '2026-03-02' },
    }
    const applied = await json<Outcome>(manager, 'POST', `/api/outcomes/${r03.id}/apply`, body)
    expect([applied.state, applied.appliedNote]).toEqual(['applied', 'Letter handed over'])
    expect(await refusal(manager, 'POST', `/api/outcomes/${r03.id}/apply`, body)).toEqual([
      409,
      'outcome.already_applied',
    ])
    const r07 = await findOutcome('2026-01', 'r07', 'warning')
    expect(await refusal(manager, 'POST', `/api/outcomes/${r07.id}/apply`, body)).toEqual([
      403,
      'outcome.forbidden_not_owner',
    ])
    expect(await refusal(rep, 'POST', `/api/outcomes/${r07.id}/apply`, body)).toEqual([403, 'auth.forbidden'])
    expect(await refusal(manager, 'POST', '/api/outcomes/no-such-outcome/apply', body)).toEqual([
      404,
      'outcome.not_found',
    ])
  })

  it('takes a waiver asked by a manager and approved by the owner, never by the requester or a rep', async () => {
    const r05 = await findOutcome('2026-02', 'r05', 'warning')
    expect(await refusal(manager, 'POST', `/api/outcomes/${r05.id}/waive`, { reason: ' ' })).toEqual([
      400,
      'outcome.reason_required',
    ])
    const asked = await json<Outcome>(manager, 'POST', `/api/outcomes/${r05.id}/waive`, {
      reason: 'Out sick for two weeks of February',
    })
    expect(asked.waiveRequestedBy).toBe(await personId(manager))
    expect(asked.state).toBe('due')
    expect(await refusal(manager, 'POST', `/api/outcomes/${r05.id}/approve`)).toEqual([403, 'auth.forbidden'])
    expect(await refusal(rep, 'POST', `/api/outcomes/${r05.id}/approve`)).toEqual([403, 'auth.forbidden'])
    const waived = await json<Outcome>(owner, 'POST', `/api/outcomes/${r05.id}/approve`)
    expect([waived.state, waived.waivedBy]).toEqual(['waived', await personId(owner)])
    // The report people read names the approver, not their id.
    const me = await json<{ name: string; email: string }>(owner, 'GET', '/api/auth/me')
    const unenforced = await json<{ misses: { rep: string; period: string; waivedBy: string | null }[] }>(
      owner,
      'GET',
      '/api/reports/unenforced',
    )
    const shown = unenforced.misses.find((m) => m.rep === 'r05' && m.period === '2026-02')
    expect(shown?.waivedBy).toBe(me.name === '' ? me.email : me.name)
    const { events } = await json<{ events: { action: string; actor: string }[] }>(
      manager,
      'GET',
      `/api/outcomes/${r05.id}`,
    )
    expect(events.map((e) => e.action)).toEqual(['open', 'waive.request', 'waive.approve'])

    // The owner asks for r12's waiver: the owner cannot approve it, the admin can; or rejects another.
    const r12 = await findOutcome('2026-01', 'r12', 'warning')
    await json(owner, 'POST', `/api/outcomes/${r12.id}/waive`, { reason: 'Left the team in January' })
    expect(await refusal(owner, 'POST', `/api/outcomes/${r12.id}/approve`)).toEqual([
      403,
      'outcome.forbidden_self_approval',
    ])
    expect((await json<Outcome>(admin, 'POST', `/api/outcomes/${r12.id}/approve`)).state).toBe('waived')
    const r09 = await findOutcome('2026-01', 'r09', 'warning')
    await json(owner, 'POST', `/api/outcomes/${r09.id}/waive`, { reason: 'Parental leave' })
    const rejected = await json<Outcome>(admin, 'POST', `/api/outcomes/${r09.id}/reject`, {
      reason: 'The plan says a warning; deliver it',
    })
    expect([rejected.state, rejected.waiveRequestedBy]).toEqual(['due', null])
  })

  it('marks overdue the due items past their date (owner, admin)', async () => {
    expect(await refusal(manager, 'POST', '/api/outcomes/check-overdue')).toEqual([403, 'auth.forbidden'])
    const out = await json<{ today: string; overdue: Outcome[] }>(
      owner,
      'POST',
      '/api/outcomes/check-overdue',
    )
    // Still due from January (due Feb 7): r01's PTO and r07's and r09's warnings; r12's was waived.
    expect(out.today).toBe('2026-03-02')
    expect(out.overdue.map((o) => [o.repId, o.effect]).sort()).toEqual([
      ['r01', 'pto_days'],
      ['r07', 'warning'],
      ['r09', 'warning'],
    ])
    expect(
      (await json<{ overdue: unknown[] }>(admin, 'POST', '/api/outcomes/check-overdue')).overdue,
    ).toEqual([])
    expect((await outcomes(owner, '&overdue=true')).length).toBe(3)
  })
})
