import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyOutcome } from '../../src/app/followthrough/apply-outcome.ts'
import { approveWaiver } from '../../src/app/followthrough/approve-waiver.ts'
import { listOutcomeEvents, listOutcomes } from '../../src/app/followthrough/list-outcomes.ts'
import type { Outcome } from '../../src/app/followthrough/outcome-record.ts'
import { rejectWaiver } from '../../src/app/followthrough/reject-waiver.ts'
import { requestWaiver } from '../../src/app/followthrough/request-waiver.ts'
import { verifyLedger } from '../../src/app/ledger/ledger.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import { testDatabase } from '../support/db.ts'
import { as, closeMonths, seedExample } from './setup.ts'

const closedAt = new Date('2026-04-02T15:00:00Z')
const t = (minutes: number) => new Date(closedAt.getTime() + minutes * 60_000)

/** The audit rows of an item, oldest first. */
async function auditOf(db: Database, id: string) {
  return db.query<{ actor: string; action: string; before: unknown; after: unknown }>(
    `select actor, action, before, after from audit_log where org_id = 'acme' and subject = $1 order by id`,
    [id],
  )
}

async function ledgerOf(db: Database, id: string) {
  return db.query<{ kind: string; amount_minor: bigint; ref: Record<string, unknown> }>(
    `select kind, amount_minor, ref from ledger_entries where org_id = 'acme' and ref ->> 'outcome' = $1 order by seq`,
    [id],
  )
}

describe('outcome lifecycle', () => {
  let db: Database
  let warnings: Outcome[]
  beforeAll(async () => {
    db = await testDatabase()
    await seedExample(db, 'acme')
    await seedExample(db, 'other')
    await closeMonths(db, 'acme', ['2026-01', '2026-02', '2026-03'], closedAt)
    warnings = await listOutcomes(db, { orgId: 'acme', actor: as.admin, now: closedAt, state: 'due' })
    warnings = warnings.filter((o) => o.effect === 'warning')
    // Four due warnings are needed below.
    expect(warnings.length).toBeGreaterThanOrEqual(4)
  })
  afterAll(() => db.close())

  const item = (i: number): Outcome => {
    const o = warnings[i]
    if (o === undefined) throw new Error(`no warning ${i}`)
    return o
  }
  /** The manager who owns an item, and the other one. */
  const ownerOf = (o: Outcome) => (o.owner === 'm1' ? as.m1 : as.m2)
  const notOwnerOf = (o: Outcome) => (o.owner === 'm1' ? as.m2 : as.m1)
  const letter = { delivered_on: '2026-04-03', acknowledged_on: '2026-04-04' }

  it('applies a warning with what was done (due → applied), recorded in events, audit and ledger', async () => {
    const o = item(0)
    // When the owning manager applies it without the delivery, then with it
    const manager = ownerOf(o)
    await expect(
      applyOutcome(db, { orgId: 'acme', actor: manager, now: t(1), id: o.id, note: 'Letter handed over' }),
    ).rejects.toMatchObject({
      code: 'outcome.detail_required',
    })
    await expect(
      applyOutcome(db, { orgId: 'acme', actor: manager, now: t(1), id: o.id, note: ' ', detail: letter }),
    ).rejects.toMatchObject({
      code: 'outcome.note_required',
    })
    const applied = await applyOutcome(db, {
      orgId: 'acme',
      actor: manager,
      now: t(2),
      id: o.id,
      note: 'Letter handed over',
      detail: letter,
    })
    // Then it is applied by the manager, with the delivery and acknowledgement, and the history says so
    expect(applied).toMatchObject({
      state: 'applied',
      appliedBy: manager.id,
      appliedAt: t(2).toISOString(),
      appliedDetail: letter,
    })
    const events = await listOutcomeEvents(db, { orgId: 'acme', id: o.id })
    expect(events.map((e) => [e.seq, e.action, e.actor])).toEqual([
      [1, 'open', 'closer'],
      [2, 'apply', manager.id],
    ])
    expect(events[1]?.before).toMatchObject({ state: 'due', appliedBy: null })
    expect(events[1]?.after).toMatchObject({
      state: 'applied',
      appliedBy: manager.id,
      appliedNote: 'Letter handed over',
      appliedDetail: letter,
    })
    expect((await auditOf(db, o.id)).map((a) => [a.actor, a.action])).toEqual([
      ['closer', 'outcome.open'],
      [manager.id, 'outcome.apply'],
    ])
    expect((await ledgerOf(db, o.id)).map((e) => [e.kind, e.amount_minor, e.ref.action])).toEqual([
      ['outcome', 0n, 'open'],
      ['outcome', 0n, 'apply'],
    ])
  })

  it('refuses applying twice, and adds nothing to the history', async () => {
    const o = item(0)
    await expect(
      applyOutcome(db, {
        orgId: 'acme',
        actor: as.owner,
        now: t(3),
        id: o.id,
        note: 'again',
        detail: letter,
      }),
    ).rejects.toMatchObject({ code: 'outcome.already_applied' })
    expect(await listOutcomeEvents(db, { orgId: 'acme', id: o.id })).toHaveLength(2)
    expect(await auditOf(db, o.id)).toHaveLength(2)
  })

  it('refuses a rep, a manager who does not own the item, and another organization', async () => {
    const o = item(1)
    const apply = (actor: (typeof as)[keyof typeof as], orgId = 'acme') =>
      applyOutcome(db, { orgId, actor, now: t(4), id: o.id, note: 'done', detail: letter })
    await expect(apply(as.rep)).rejects.toMatchObject({ code: 'outcome.forbidden' })
    await expect(apply(as.finance)).rejects.toMatchObject({ code: 'outcome.forbidden' })
    await expect(apply(notOwnerOf(o))).rejects.toMatchObject({ code: 'outcome.forbidden_not_owner' })
    await expect(apply(as.admin, 'other')).rejects.toMatchObject({ code: 'outcome.not_found' })
    await expect(
      requestWaiver(db, { orgId: 'other', actor: as.admin, now: t(4), id: o.id, reason: 'x' }),
    ).rejects.toMatchObject({ code: 'outcome.not_found' })
    expect(await listOutcomeEvents(db, { orgId: 'acme', id: o.id })).toHaveLength(1)
  })

  it('waives only with a written reason and a second owner or admin (due → waived)', async () => {
    const o = item(2)
    const approve = (actor: (typeof as)[keyof typeof as]) =>
      approveWaiver(db, { orgId: 'acme', actor, now: t(6), id: o.id })
    // No request yet
    await expect(approve(as.owner)).rejects.toMatchObject({ code: 'outcome.conflict_no_waiver' })
    // Waive without a reason
    await expect(
      requestWaiver(db, { orgId: 'acme', actor: as.admin, now: t(5), id: o.id, reason: '  ' }),
    ).rejects.toMatchObject({
      code: 'outcome.reason_required',
    })
    const asked = await requestWaiver(db, {
      orgId: 'acme',
      actor: as.admin,
      now: t(5),
      id: o.id,
      reason: 'Rep was on medical leave',
    })
    expect(asked).toMatchObject({
      state: 'due',
      waiveRequestedBy: 'adam',
      waiveReason: 'Rep was on medical leave',
    })
    // A second request while one is pending; applying while pending
    await expect(
      requestWaiver(db, { orgId: 'acme', actor: ownerOf(o), now: t(5), id: o.id, reason: 'again' }),
    ).rejects.toMatchObject({
      code: 'outcome.conflict_waiver_pending',
    })
    await expect(
      applyOutcome(db, { orgId: 'acme', actor: ownerOf(o), now: t(5), id: o.id, note: 'x', detail: letter }),
    ).rejects.toMatchObject({
      code: 'outcome.conflict_waiver_pending',
    })
    // Approval by a rep, by a manager, by the requester
    await expect(approve(as.rep)).rejects.toMatchObject({ code: 'outcome.forbidden_rep_approval' })
    await expect(approve(ownerOf(o))).rejects.toMatchObject({ code: 'outcome.forbidden' })
    await expect(approve(as.admin)).rejects.toMatchObject({ code: 'outcome.forbidden_self_approval' })
    // Approval by the owner, a second person
    const waived = await approve(as.owner)
    expect(waived).toMatchObject({
      state: 'waived',
      waivedBy: 'olga',
      waivedAt: t(6).toISOString(),
      waiveRequestedBy: 'adam',
    })
    const events = await listOutcomeEvents(db, { orgId: 'acme', id: o.id })
    expect(events.map((e) => [e.action, e.actor])).toEqual([
      ['open', 'closer'],
      ['waive.request', 'adam'],
      ['waive.approve', 'olga'],
    ])
    expect(events[1]?.after).toEqual({
      waiveRequestedBy: 'adam',
      waiveRequestedAt: t(5).toISOString(),
      waiveReason: 'Rep was on medical leave',
    })
    expect(events[2]).toMatchObject({
      before: { state: 'due', waivedBy: null },
      after: { state: 'waived', waivedBy: 'olga' },
    })
    expect((await auditOf(db, o.id)).map((a) => [a.actor, a.action])).toEqual([
      ['closer', 'outcome.open'],
      ['adam', 'outcome.waive.request'],
      ['olga', 'outcome.waive.approve'],
    ])
    expect((await ledgerOf(db, o.id)).map((e) => e.ref.action)).toEqual([
      'open',
      'waive.request',
      'waive.approve',
    ])
  })

  it('refuses acting on a waived item', async () => {
    const o = item(2)
    await expect(
      applyOutcome(db, { orgId: 'acme', actor: as.owner, now: t(7), id: o.id, note: 'x', detail: letter }),
    ).rejects.toMatchObject({
      code: 'outcome.already_waived',
    })
    await expect(
      requestWaiver(db, { orgId: 'acme', actor: as.owner, now: t(7), id: o.id, reason: 'x' }),
    ).rejects.toMatchObject({
      code: 'outcome.already_waived',
    })
    await expect(
      approveWaiver(db, { orgId: 'acme', actor: as.admin, now: t(7), id: o.id }),
    ).rejects.toMatchObject({
      code: 'outcome.already_waived',
    })
  })

  it('rejects a waiver with a reason: the item stays due and can then be applied', async () => {
    const o = item(3)
    await requestWaiver(db, {
      orgId: 'acme',
      actor: ownerOf(o),
      now: t(8),
      id: o.id,
      reason: 'Quota was set late',
    })
    await expect(
      rejectWaiver(db, { orgId: 'acme', actor: as.owner, now: t(9), id: o.id, reason: '' }),
    ).rejects.toMatchObject({
      code: 'outcome.reason_required',
    })
    await expect(
      rejectWaiver(db, { orgId: 'acme', actor: as.rep, now: t(9), id: o.id, reason: 'no' }),
    ).rejects.toMatchObject({
      code: 'outcome.forbidden_rep_approval',
    })
    const rejected = await rejectWaiver(db, {
      orgId: 'acme',
      actor: as.owner,
      now: t(9),
      id: o.id,
      reason: 'The quota was known on Jan 2',
    })
    expect(rejected).toMatchObject({ state: 'due', waiveRequestedBy: null, waiveReason: null })
    const events = await listOutcomeEvents(db, { orgId: 'acme', id: o.id })
    expect(events[2]).toMatchObject({
      action: 'waive.reject',
      actor: 'olga',
      before: { waiveRequestedBy: ownerOf(o).id, waiveReason: 'Quota was set late' },
      after: { waiveRequestedBy: null, rejectReason: 'The quota was known on Jan 2' },
    })
    const applied = await applyOutcome(db, {
      orgId: 'acme',
      actor: ownerOf(o),
      now: t(10),
      id: o.id,
      note: 'Delivered; the rep refused to sign',
      detail: { delivered_on: '2026-02-03', refused: true },
    })
    expect(applied.state).toBe('applied')
  })

  it('refuses applying or waiving a money effect: the close applied it', async () => {
    const money = (
      await listOutcomes(db, { orgId: 'acme', actor: as.admin, now: t(11), state: 'applied' })
    ).find((o) => o.appliedBy === 'close')
    if (money === undefined) throw new Error('no money effect in January')
    await expect(
      requestWaiver(db, { orgId: 'acme', actor: as.owner, now: t(11), id: money.id, reason: 'x' }),
    ).rejects.toMatchObject({
      code: 'outcome.already_applied',
    })
  })

  it('lists by state, owner and rep; a rep sees only their own items', async () => {
    const mine = await listOutcomes(db, { orgId: 'acme', actor: as.rep, now: t(12) })
    expect(mine.length).toBeGreaterThan(0)
    expect(new Set(mine.map((o) => o.repId))).toEqual(new Set(['r04']))
    const waived = await listOutcomes(db, { orgId: 'acme', actor: as.admin, now: t(12), state: 'waived' })
    expect(waived.map((o) => o.id)).toEqual([item(2).id])
    const m2 = await listOutcomes(db, { orgId: 'acme', actor: as.admin, now: t(12), owner: 'm2' })
    expect(m2.every((o) => o.owner === 'm2')).toBe(true)
    expect(await verifyLedger(db, 'acme')).toMatchObject({ ok: true })
  })
})
