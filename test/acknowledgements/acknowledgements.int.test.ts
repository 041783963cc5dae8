import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { acknowledgePlan } from '../../src/app/acknowledgements/acknowledge-plan.ts'
import { acknowledgementStatus } from '../../src/app/acknowledgements/acknowledgement-status.ts'
import type { Actor } from '../../src/app/acknowledgements/actor.ts'
import { listUnacknowledged } from '../../src/app/acknowledgements/list-unacknowledged.ts'
import { closePeriod } from '../../src/app/close/close-period.ts'
import { statementFor } from '../../src/app/payouts/payouts.ts'
import { publishPlan } from '../../src/app/plans/publish-plan.ts'
import { withOrgScope } from '../../src/app/ports/org-scope.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import { statementCommand } from '../../src/adapters/cli/payout-command.ts'
import { testDatabase } from '../support/db.ts'
import { example, seed } from '../support/seed.ts'

const ORG = 'acme'
const now = new Date('2026-02-03T10:00:00Z')
const rep = (repId: string): Actor => ({ id: `person-${repId}`, role: 'rep', repId })
const admin: Actor = { id: 'admin-1', role: 'admin', repId: null }
const manager: Actor = { id: 'person-m1', role: 'manager', repId: 'm1' }

describe('acknowledgements', () => {
  let db: Database
  beforeAll(async () => {
    db = await testDatabase()
    await seed(db, ORG, {
      plans: [example('plan.yaml'), example('manager-plan.yaml')],
      reps: example('reps.csv'),
      deals: example('deals.csv'),
      activities: example('activities.csv'),
      quotas: example('quotas.csv'),
    })
    await db.query(
      `insert into plan_assignments (org_id, rep_id, plan_id, valid_from)
       select org_id, id, plan, '2025-01-01' from reps where org_id = $1 and plan is not null`,
      [ORG],
    )
    await closePeriod(db, { orgId: ORG, period: '2026-01', actor: 'test', now, dryRun: false })
  })
  afterAll(() => db.close())

  it('lists for a manager the reps under them whose version in force is not acknowledged', async () => {
    // m1 leads r01…r06 (and is on msp-mgr under d1): every one of them unacknowledged
    const list = await listUnacknowledged(db, { orgId: ORG, actor: manager, now })
    expect(list.map((u) => `${u.repId} ${u.planId} v${u.version}`)).toEqual([
      'm1 msp-mgr v1',
      'r01 msp-ae v1',
      'r02 msp-ae v1',
      'r03 msp-ae v1',
      'r04 msp-ae v1',
      'r05 msp-ae v1',
      'r06 msp-ae v1',
    ])
    expect(list[1]).toMatchObject({
      repName: 'Ana Castillo',
      manager: 'm1',
      appliesFrom: '2026-02-03',
      inForce: true,
    })
    // an admin sees all 14 reps on a plan (12 on msp-ae, 2 on msp-mgr)
    expect(await listUnacknowledged(db, { orgId: ORG, actor: admin, now })).toHaveLength(14)
    // a rep only themselves
    expect(
      (await listUnacknowledged(db, { orgId: ORG, actor: rep('r08'), now })).map((u) => u.repId),
    ).toEqual(['r08'])
  })

  it('says on the statement of a closed period that the rep had not acknowledged the version in force', async () => {
    const s = await statementFor(db, { orgId: ORG, rep: 'r01', period: '2026-01' })
    expect(s.notes.acknowledgement).toMatchObject({ planId: 'msp-ae', version: 1, acknowledgement: null })
    const out: string[] = []
    const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => out.push(t), isTTY: false }
    const status = await statementCommand('r01', '2026-01', {}, io, async () => ({
      ...db,
      close: async () => undefined,
    }))
    expect(status).toBe(0)
    expect(out.join('')).toMatch(
      /note: r01 had not acknowledged msp-ae v1 \(sha256 [0-9a-f]{64}\), the plan version in force for 2026-01\./,
    )
  })

  it('refuses a name that is not the rep’s, another rep, an unknown version and a plan not assigned', async () => {
    const base = { orgId: ORG, repId: 'r01', planId: 'msp-ae', now }
    await expect(
      acknowledgePlan(db, { ...base, actor: rep('r01'), typedName: 'Ana Castilo' }),
    ).rejects.toMatchObject({
      code: 'acknowledgement.name_mismatch',
    })
    await expect(
      acknowledgePlan(db, { ...base, actor: rep('r02'), typedName: 'Ana Castillo' }),
    ).rejects.toMatchObject({
      code: 'acknowledgement.not_own',
    })
    await expect(
      acknowledgePlan(db, { ...base, actor: manager, typedName: 'Ana Castillo' }),
    ).rejects.toMatchObject({
      code: 'acknowledgement.not_own',
    })
    await expect(
      acknowledgePlan(db, { ...base, actor: rep('r01'), version: 9, typedName: 'Ana Castillo' }),
    ).rejects.toMatchObject({ code: 'acknowledgement.unknown_version' })
    await expect(
      acknowledgePlan(db, { ...base, planId: 'msp-mgr', actor: rep('r01'), typedName: 'Ana Castillo' }),
    ).rejects.toMatchObject({ code: 'acknowledgement.not_assigned' })
    const [count] = await db.query<{ n: number }>(
      'select count(*)::int as n from plan_acknowledgements where org_id = $1',
      [ORG],
    )
    expect(count?.n).toBe(0)
  })

  it('records the typed name, the time and the hash, case- and space-insensitively, once', async () => {
    const at = new Date('2026-02-04T08:30:00Z')
    const args = {
      orgId: ORG,
      actor: rep('r01'),
      repId: 'r01',
      planId: 'msp-ae',
      typedName: '  ana   CASTILLO ',
      now: at,
    }
    const first = await db.transaction((tx) => acknowledgePlan(tx, args))
    const [version] = await db.query<{ hash: string }>(
      `select hash from plan_versions where org_id = $1 and plan_id = 'msp-ae' and version = 1`,
      [ORG],
    )
    expect(first).toEqual({
      already: false,
      acknowledgement: {
        repId: 'r01',
        planId: 'msp-ae',
        version: 1,
        hash: version?.hash,
        typedName: 'ana   CASTILLO',
        acknowledgedAt: '2026-02-04T08:30:00.000Z',
        recordedBy: 'person-r01',
      },
    })
    const again = await acknowledgePlan(db, { ...args, now: new Date('2026-02-05T00:00:00Z') })
    expect(again.already).toBe(true)
    expect(again.acknowledgement.acknowledgedAt).toBe('2026-02-04T08:30:00.000Z')
    const audit = await db.query<{ action: string; subject: string; actor: string }>(
      `select action, subject, actor from audit_log where org_id = $1 and action = 'plan.acknowledge'`,
      [ORG],
    )
    expect(audit).toEqual([{ action: 'plan.acknowledge', subject: 'r01', actor: 'person-r01' }])
    const status = await acknowledgementStatus(db, { orgId: ORG, repId: 'r01', period: '2026-01' })
    expect(status?.acknowledgement?.typedName).toBe('ana   CASTILLO')
    // acknowledged after 2026-01 was closed (2026-02-03): the statement still says so
    expect(status?.closedAt).toBe('2026-02-03T10:00:00.000Z')
    const out: string[] = []
    const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => out.push(t), isTTY: false }
    await statementCommand('r01', '2026-01', {}, io, async () => ({ ...db, close: async () => undefined }))
    expect(out.join('')).toContain(
      'the plan version in force for 2026-01, when it was closed (acknowledged on 2026-02-04T08:30:00.000Z).',
    )
    expect(
      (await listUnacknowledged(db, { orgId: ORG, actor: manager, now: at })).map((u) => u.repId),
    ).not.toContain('r01')
    // the table is append-only
    await expect(
      db.query(`update plan_acknowledgements set typed_name = 'x' where org_id = $1`, [ORG]),
    ).rejects.toThrow(/append-only/)
  })

  it('lists a version published to apply later until the rep acknowledges it too', async () => {
    // Given a new version of msp-ae published on 2026-02-10; 2026-01 is closed, so it applies from 2026-02-01
    const text = example('plan.yaml').replace('cap: 12000', 'cap: 13000')
    const published = await publishPlan(db, {
      orgId: ORG,
      text,
      file: 'plan.yaml',
      actor: 'test',
      now: new Date('2026-02-10T00:00:00Z'),
    })
    expect(published).toMatchObject({ ok: true, version: 2, effectiveFrom: '2026-02-01' })
    const later = new Date('2026-02-11T00:00:00Z')
    const r01 = (await listUnacknowledged(db, { orgId: ORG, actor: rep('r01'), now: later })).map((u) => [
      u.version,
      u.inForce,
    ])
    expect(r01).toEqual([[2, true]])
    // the statement of 2026-01 keeps the version it was closed with
    expect((await acknowledgementStatus(db, { orgId: ORG, repId: 'r01', period: '2026-01' }))?.version).toBe(
      1,
    )
    expect((await acknowledgementStatus(db, { orgId: ORG, repId: 'r01', period: '2026-02' }))?.version).toBe(
      2,
    )
  })
  it('runs as the app role under row-level security', async () => {
    const out = await withOrgScope(db, ORG, (tx) =>
      acknowledgePlan(tx, {
        orgId: ORG,
        actor: rep('r02'),
        repId: 'r02',
        planId: 'msp-ae',
        version: 1,
        typedName: 'Ben Okafor',
        now,
      }),
    )
    expect(out).toMatchObject({ already: false, acknowledgement: { repId: 'r02', version: 1 } })
    // another organization's scope sees no row of acme
    expect(
      await withOrgScope(db, 'other', (tx) => listUnacknowledged(tx, { orgId: ORG, actor: admin, now })),
    ).toEqual([])
  })
})
