import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '../../src/app/acknowledgements/actor.ts'
import { closePeriod } from '../../src/app/close/close-period.ts'
import { reopenPeriod } from '../../src/app/close/reopen-period.ts'
import { listDisputes } from '../../src/app/disputes/list-disputes.ts'
import { openDispute } from '../../src/app/disputes/open-dispute.ts'
import { resolveDispute } from '../../src/app/disputes/resolve-dispute.ts'
import { statementNotes } from '../../src/app/disputes/statement-notes.ts'
import { verifyLedger } from '../../src/app/ledger/ledger.ts'
import { payrollFor } from '../../src/app/payouts/payouts.ts'
import { withOrgScope } from '../../src/app/ports/org-scope.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import { testDatabase } from '../support/db.ts'
import { example, seed } from '../support/seed.ts'

const ORG = 'acme'
const rep = (repId: string): Actor => ({ id: `person-${repId}`, role: 'rep', repId })
const m1: Actor = { id: 'person-m1', role: 'manager', repId: 'm1' }
const m2: Actor = { id: 'person-m2', role: 'manager', repId: 'm2' }
const admin: Actor = { id: 'admin-1', role: 'admin', repId: null }
const at = (day: string): Date => new Date(`${day}T12:00:00Z`)

const reps = `id,name,email,manager,team,plan,hired_on,left_on
d1,Dana Whitfield,,,Sales,,2017-01-01,
m1,Marcus Bell,,d1,North,,2020-01-01,
m2,Priya Raman,,d1,South,,2020-01-01,
r01,Ana Castillo,,m1,North,msp-ae,2021-01-01,
r02,Ben Okafor,,m2,South,msp-ae,2021-01-01,
`
const deals = `id,rep,closed_on,type,mrr,term_months,amount
D1,r01,2026-01-10,managed,3000.00,12,
D2,r02,2026-01-12,managed,5000.00,12,
D3,r01,2026-02-10,managed,4000.00,12,
D4,r01,2026-03-10,managed,4000.00,12,
`

async function total(db: Database, period: string, repId: string): Promise<bigint> {
  const payroll = await payrollFor(db, { orgId: ORG, period, lines: false })
  return payroll.rows.find((r) => r.rep === repId)?.amountMinor ?? 0n
}

describe('disputes', () => {
  let db: Database
  let mrrLine: bigint
  let r02Line: bigint
  beforeAll(async () => {
    db = await testDatabase()
    await seed(db, ORG, { plans: [example('plan.yaml')], reps, deals })
    await db.query(
      `insert into plan_assignments (org_id, rep_id, plan_id, valid_from)
       select org_id, id, plan, '2025-01-01' from reps where org_id = $1 and plan is not null`,
      [ORG],
    )
    await closePeriod(db, {
      orgId: ORG,
      period: '2026-01',
      actor: 'test',
      now: at('2026-02-02'),
      dryRun: false,
    })
    const lines = (await statementNotes(db, { orgId: ORG, rep: 'r01', period: '2026-01' })).ledgerLines
    // r01 in January: 3,000.00 of new_mrr (75% of 4,000.00) pays the mrr commission 3,000.00
    const mrr = lines.find((l) => l.kind === 'commission' && l.rule === 'mrr')
    expect(mrr?.amountMinor).toBe(300000n)
    mrrLine = mrr?.seq ?? 0n
    r02Line =
      (await statementNotes(db, { orgId: ORG, rep: 'r02', period: '2026-01' })).ledgerLines.find(
        (l) => l.rule === 'mrr',
      )?.seq ?? 0n
  })
  afterAll(() => db.close())

  it('refuses to open a dispute on another rep’s line, without a message, or on an unknown line', async () => {
    const base = { orgId: ORG, now: at('2026-02-03'), message: 'D1 was 3,500' }
    await expect(openDispute(db, { ...base, actor: rep('r02'), ledgerSeq: mrrLine })).rejects.toMatchObject({
      code: 'dispute.not_own_line',
    })
    await expect(openDispute(db, { ...base, actor: m1, ledgerSeq: mrrLine })).rejects.toMatchObject({
      code: 'dispute.not_own_line',
    })
    await expect(
      openDispute(db, { ...base, actor: rep('r01'), ledgerSeq: mrrLine, message: '  ' }),
    ).rejects.toMatchObject({
      code: 'dispute.no_message',
    })
    await expect(openDispute(db, { ...base, actor: rep('r01'), ledgerSeq: 99999n })).rejects.toMatchObject({
      code: 'dispute.unknown_line',
    })
  })

  it('opens a dispute on the rep’s own line, with its history and audit entry', async () => {
    const d = await db.transaction((tx) =>
      openDispute(tx, {
        orgId: ORG,
        actor: rep('r01'),
        now: at('2026-02-03'),
        ledgerSeq: mrrLine,
        message: 'D1 was 3,500.00 MRR',
      }),
    )
    expect(d).toMatchObject({
      id: 1,
      repId: 'r01',
      period: '2026-01',
      ledgerSeq: mrrLine,
      line: { kind: 'commission', rule: 'mrr', deal: null, amountMinor: 300000n },
      state: 'open',
      openedBy: 'person-r01',
      adjustment: null,
    })
    expect(d.history.map((e) => e.action)).toEqual(['open'])
    await expect(
      openDispute(db, {
        orgId: ORG,
        actor: rep('r01'),
        now: at('2026-02-03'),
        ledgerSeq: mrrLine,
        message: 'again',
      }),
    ).rejects.toMatchObject({ code: 'dispute.already_open' })
  })

  it('refuses an answer from a rep, finance, a manager of other reps, a reject without reason, a zero amount and a closed period', async () => {
    const base = { orgId: ORG, now: at('2026-02-04'), id: 1 }
    const refused = async (args: Parameters<typeof resolveDispute>[1], code: string) =>
      expect(resolveDispute(db, args)).rejects.toMatchObject({ code })
    await refused({ ...base, actor: rep('r01'), decision: 'accept', amountMinor: 100n }, 'dispute.forbidden')
    await refused(
      { ...base, actor: { id: 'fin', role: 'finance' }, decision: 'reject', reason: 'no' },
      'dispute.forbidden',
    )
    await refused({ ...base, actor: m2, decision: 'reject', reason: 'no' }, 'dispute.not_your_rep')
    await refused({ ...base, actor: m1, decision: 'reject', reason: '  ' }, 'dispute.no_reason')
    await refused({ ...base, actor: m1, decision: 'accept', amountMinor: 0n }, 'dispute.bad_amount')
    await refused(
      { ...base, actor: m1, decision: 'accept', amountMinor: 100n, period: '2026-01' },
      'dispute.bad_period',
    )
    await refused({ ...base, id: 7, actor: m1, decision: 'reject', reason: 'x' }, 'dispute.unknown')
    expect((await listDisputes(db, { orgId: ORG, actor: admin }))[0]?.state).toBe('open')
  })

  it('books an accepted dispute as an adjustment in the next open period; the chain still verifies', async () => {
    // When m1 accepts 500.00 (D1 was 3,500.00: 500.00 more at 100%)
    const d = await db.transaction((tx) =>
      resolveDispute(tx, {
        orgId: ORG,
        actor: m1,
        now: at('2026-02-05'),
        id: 1,
        decision: 'accept',
        amountMinor: 50000n,
        reason: 'CRM had 3,000',
      }),
    )
    expect(d).toMatchObject({ state: 'accepted', resolvedBy: 'person-m1', reason: 'CRM had 3,000' })
    expect(d.adjustment).toMatchObject({ amountMinor: 50000n, period: '2026-02' })
    expect(d.history.map((e) => e.action)).toEqual(['open', 'accept'])
    const [entry] = await db.query<{
      period: string
      rep_id: string
      kind: string
      rule: string
      amount_minor: bigint
      close_id: string
      ref: Record<string, unknown>
    }>(
      'select period, rep_id, kind, rule, amount_minor, close_id, ref from ledger_entries where org_id = $1 and seq = $2',
      [ORG, String(d.adjustment?.ledgerSeq)],
    )
    expect(entry).toMatchObject({
      period: '2026-02',
      rep_id: 'r01',
      kind: 'adjustment',
      rule: 'mrr',
      close_id: 'dispute:1',
    })
    expect(BigInt(entry?.amount_minor ?? 0n)).toBe(50000n)
    expect(entry?.ref).toMatchObject({
      dispute: '1',
      disputedSeq: String(mrrLine),
      disputedPeriod: '2026-01',
    })
    expect(await verifyLedger(db, ORG)).toMatchObject({ ok: true })
    const [head] = await db.query<{ seq: bigint }>(
      `select seq from ledger_heads where org_id = $1 and close_id = 'dispute:1'`,
      [ORG],
    )
    expect(BigInt(head?.seq ?? 0n)).toBe(d.adjustment?.ledgerSeq)
    const audit = await db.query<{ action: string; actor: string }>(
      `select action, actor from audit_log where org_id = $1 and subject = 'dispute:1' order by id`,
      [ORG],
    )
    expect(audit).toEqual([
      { action: 'dispute.open', actor: 'person-r01' },
      { action: 'dispute.accept', actor: 'person-m1' },
    ])
    await expect(
      resolveDispute(db, {
        orgId: ORG,
        actor: admin,
        now: at('2026-02-06'),
        id: 1,
        decision: 'reject',
        reason: 'late',
      }),
    ).rejects.toMatchObject({ code: 'dispute.already_resolved' })
    // the adjustment is not a statement line of a closed period
    await expect(
      openDispute(db, {
        orgId: ORG,
        actor: rep('r01'),
        now: at('2026-02-06'),
        ledgerSeq: d.adjustment?.ledgerSeq ?? 0n,
        message: 'x',
      }),
    ).rejects.toMatchObject({ code: 'dispute.period_open' })
  })

  it('rejects with a written reason, and each rep sees only their own answers', async () => {
    const opened = await openDispute(db, {
      orgId: ORG,
      actor: rep('r02'),
      now: at('2026-02-06'),
      ledgerSeq: r02Line,
      message: 'rate?',
    })
    const d = await resolveDispute(db, {
      orgId: ORG,
      actor: m2,
      now: at('2026-02-07'),
      id: opened.id,
      decision: 'reject',
      reason: 'The rate is 100% below goal.',
    })
    expect(d).toMatchObject({
      id: 2,
      state: 'rejected',
      reason: 'The rate is 100% below goal.',
      adjustment: null,
    })
    expect(
      (await listDisputes(db, { orgId: ORG, actor: rep('r02') })).map((x) => [x.id, x.state, x.reason]),
    ).toEqual([[2, 'rejected', 'The rate is 100% below goal.']])
    expect((await listDisputes(db, { orgId: ORG, actor: rep('r01') })).map((x) => x.id)).toEqual([1])
    expect((await listDisputes(db, { orgId: ORG, actor: m1 })).map((x) => x.id)).toEqual([1])
    expect((await listDisputes(db, { orgId: ORG, actor: admin })).map((x) => x.id)).toEqual([2, 1])
    expect(await listDisputes(db, { orgId: ORG, actor: admin, state: 'open' })).toEqual([])
    await expect(db.query(`delete from dispute_events where org_id = $1`, [ORG])).rejects.toThrow(
      /append-only/,
    )
  })

  it('keeps the adjustment through later closes and a reopen: never taken back as a difference', async () => {
    await closePeriod(db, {
      orgId: ORG,
      period: '2026-02',
      actor: 'test',
      now: at('2026-03-02'),
      dryRun: false,
    })
    const february = await total(db, '2026-02', 'r01')
    // 2026-02: D3 4,000.00 = 100% → 4,000.00 commission, plus the 500.00 adjustment of dispute 1
    expect(february).toBe(400000n + 50000n)
    await closePeriod(db, {
      orgId: ORG,
      period: '2026-03',
      actor: 'test',
      now: at('2026-04-02'),
      dryRun: false,
    })
    // no prior-period adjustment in March takes the 500.00 back: March pays its own 4,000.00
    expect(await total(db, '2026-03', 'r01')).toBe(400000n)
    await reopenPeriod(db, {
      orgId: ORG,
      period: '2026-03',
      reason: 'test',
      actor: 'test',
      now: at('2026-04-03'),
    })
    await reopenPeriod(db, {
      orgId: ORG,
      period: '2026-02',
      reason: 'test',
      actor: 'test',
      now: at('2026-04-03'),
    })
    expect(
      await db.query(
        `select 1 from ledger_entries where org_id = $1 and ref ->> 'reverses' = (select adjustment_seq::text from disputes where id = 1)`,
        [ORG],
      ),
    ).toEqual([])
    await closePeriod(db, {
      orgId: ORG,
      period: '2026-02',
      actor: 'test',
      now: at('2026-04-04'),
      dryRun: false,
    })
    expect(await total(db, '2026-02', 'r01')).toBe(450000n)
    const lines = await payrollFor(db, { orgId: ORG, period: '2026-02', lines: true })
    expect(
      lines.rows.filter((r) => r.rep === 'r01' && r.kind === 'adjustment').map((r) => r.amountMinor),
    ).toEqual([50000n])
    const notes = await statementNotes(db, { orgId: ORG, rep: 'r01', period: '2026-02' })
    expect(notes.disputeAdjustments).toMatchObject([
      { disputeId: 1, disputedPeriod: '2026-01', amountMinor: 50000n },
    ])
    expect(await verifyLedger(db, ORG)).toMatchObject({ ok: true })
  })
  it('runs as the app role under row-level security', async () => {
    // Given February closed again; March reopened, so open
    const line = (await statementNotes(db, { orgId: ORG, rep: 'r01', period: '2026-02' })).ledgerLines.find(
      (l) => l.kind === 'commission' && l.rule === 'mrr',
    )
    const d = await withOrgScope(db, ORG, (tx) =>
      openDispute(tx, {
        orgId: ORG,
        actor: rep('r01'),
        now: at('2026-04-05'),
        ledgerSeq: line?.seq ?? 0n,
        message: 'D3?',
      }),
    )
    const accepted = await withOrgScope(db, ORG, (tx) =>
      resolveDispute(tx, {
        orgId: ORG,
        actor: admin,
        now: at('2026-04-06'),
        id: d.id,
        decision: 'accept',
        amountMinor: -1000n,
      }),
    )
    expect(accepted.adjustment).toMatchObject({ amountMinor: -1000n, period: '2026-03' })
    expect(await withOrgScope(db, 'other', (tx) => listDisputes(tx, { orgId: ORG, actor: admin }))).toEqual(
      [],
    )
    expect(await verifyLedger(db, ORG)).toMatchObject({ ok: true })
  })
})
