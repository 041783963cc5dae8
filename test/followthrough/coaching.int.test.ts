import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyOutcome } from '../../src/app/followthrough/apply-outcome.ts'
import { completeCoachingItem } from '../../src/app/followthrough/complete-coaching-item.ts'
import { decideTerminationReview } from '../../src/app/followthrough/decide-termination-review.ts'
import { getCoachingPlan } from '../../src/app/followthrough/get-coaching-plan.ts'
import { listCoachingPlans } from '../../src/app/followthrough/list-coaching-plans.ts'
import { listOutcomeEvents, listOutcomes } from '../../src/app/followthrough/list-outcomes.ts'
import { scheduleCoachingItem } from '../../src/app/followthrough/schedule-coaching-item.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import { testDatabase } from '../support/db.ts'
import { as, closeMonths, month, seedExample } from './setup.ts'

const at = (day: string) => new Date(`${day}T15:00:00Z`)

/** The attainment of new_mrr the close stored for a rep and period (6 places). */
async function attainment(db: Database, rep: string, period: string): Promise<number> {
  const [row] = await db.query<{ a: string }>(
    `select result -> 'metrics' -> 'new_mrr' ->> 'attainment' as a from results r
       join close_runs c on c.org_id = r.org_id and c.id = r.close_id
      where r.org_id = 'acme' and r.rep_id = $1 and r.period = $2 order by c.started_at desc limit 1`,
    [rep, period],
  )
  return Number(row?.a)
}

// The example plan: two misses of new_mrr open a 2-period coaching plan ("Managed services
// selling"), passed at its last close when attainment.new_mrr >= 0.9; a failure fires the rule
// review-after-failed-coaching (termination_review).
describe('coaching plans', () => {
  let db: Database
  beforeAll(async () => {
    db = await testDatabase()
    await seedExample(db, 'acme')
    await closeMonths(db, 'acme', [1, 2, 3, 4, 5, 6].map(month), at('2026-07-01'))
  })
  afterAll(() => db.close())

  it('opens a plan at the close where the rule fires and decides it at its last close as the engine did', async () => {
    const plans = await listCoachingPlans(db, { orgId: 'acme', actor: as.admin })
    expect(plans.map((p) => [p.repId, p.openedPeriod, p.lastPeriod, p.state, p.decidedPeriod])).toEqual([
      ['r03', '2026-03', '2026-05', 'passed', '2026-05'],
      ['r04', '2026-06', '2026-08', 'open', null],
    ])
    expect(plans[0]).toMatchObject({
      program: 'Managed services selling',
      periods: 2,
      passCondition: 'attainment.new_mrr >= 0.9',
    })
    // The stored result of r03's last period agrees: at least 90% of the goal
    expect(await attainment(db, 'r03', '2026-05')).toBeGreaterThanOrEqual(0.9)
    const coaching = (
      await listOutcomes(db, { orgId: 'acme', actor: as.admin, now: at('2026-07-01'), rep: 'r03' })
    ).find((o) => o.effect === 'coaching')
    const events = await listOutcomeEvents(db, { orgId: 'acme', id: coaching?.id ?? '' })
    expect(events.map((e) => [e.action, e.actor])).toEqual([
      ['open', 'closer'],
      ['coaching.decide', 'close'],
    ])
    expect(events[1]?.after).toMatchObject({ state: 'passed', decidedPeriod: '2026-05' })
  })

  it('lets the owning manager schedule and record training and check-ins; the rep sees what is expected', async () => {
    const outcome = (
      await listOutcomes(db, {
        orgId: 'acme',
        actor: as.admin,
        now: at('2026-07-02'),
        rep: 'r04',
        period: '2026-06',
      })
    ).find((o) => o.effect === 'coaching')
    if (outcome === undefined) throw new Error('no coaching outcome for r04')
    // Applying the coaching outcome needs the program scheduled first
    await expect(
      applyOutcome(db, {
        orgId: 'acme',
        actor: as.m1,
        now: at('2026-07-02'),
        id: outcome.id,
        note: 'Started',
      }),
    ).rejects.toMatchObject({ code: 'outcome.detail_required' })
    const schedule = (actor: (typeof as)[keyof typeof as], over: Record<string, string> = {}) =>
      scheduleCoachingItem(db, {
        orgId: 'acme',
        actor,
        now: at('2026-07-02'),
        rep: 'r04',
        kind: 'training',
        title: 'Discovery calls for managed services',
        dueOn: '2026-07-15',
        ...over,
      })
    await expect(schedule(as.rep)).rejects.toMatchObject({ code: 'coaching.forbidden' })
    await expect(schedule(as.m2)).rejects.toMatchObject({ code: 'coaching.forbidden_not_owner' })
    await expect(schedule(as.m1, { kind: 'lecture' })).rejects.toMatchObject({ code: 'coaching.bad_kind' })
    await expect(schedule(as.m1, { title: ' ' })).rejects.toMatchObject({ code: 'coaching.title_required' })
    await expect(schedule(as.m1, { dueOn: '2026-07-32' })).rejects.toMatchObject({
      code: 'coaching.bad_date',
    })
    const training = await schedule(as.m1)
    const checkIn = await schedule(as.m1, { kind: 'check_in', title: 'Pipeline review', dueOn: '2026-07-10' })
    expect(training).toMatchObject({ kind: 'training', scheduledBy: 'mia', doneAt: null })

    const applied = await applyOutcome(db, {
      orgId: 'acme',
      actor: as.m1,
      now: at('2026-07-02'),
      id: outcome.id,
      note: 'Program started',
    })
    expect(applied).toMatchObject({ state: 'applied', appliedDetail: { items: 2 } })

    await expect(
      completeCoachingItem(db, {
        orgId: 'acme',
        actor: as.m1,
        now: at('2026-07-10'),
        item: checkIn.id,
        notes: '',
      }),
    ).rejects.toMatchObject({ code: 'coaching.notes_required' })
    const done = await completeCoachingItem(db, {
      orgId: 'acme',
      actor: as.m1,
      now: at('2026-07-10'),
      item: checkIn.id,
      notes: 'Three qualified opportunities',
    })
    expect(done).toMatchObject({ doneBy: 'mia', notes: 'Three qualified opportunities' })
    await expect(
      completeCoachingItem(db, {
        orgId: 'acme',
        actor: as.m1,
        now: at('2026-07-11'),
        item: checkIn.id,
        notes: 'again',
      }),
    ).rejects.toMatchObject({ code: 'coaching.already_done' })
    await expect(
      db.query(`update coaching_items set notes = 'edited' where id = $1`, [checkIn.id]),
    ).rejects.toThrow(/not changed again/)
    await expect(db.query(`delete from coaching_items where id = $1`, [training.id])).rejects.toThrow(
      /DELETE is not allowed/,
    )

    // The rep's view on July 20: the check-in done, the training late
    const view = await getCoachingPlan(db, {
      orgId: 'acme',
      actor: as.rep,
      now: at('2026-07-20'),
      rep: 'r04',
    })
    expect(view.items.map((i) => [i.title, i.status])).toEqual([
      ['Pipeline review', 'done'],
      ['Discovery calls for managed services', 'late'],
    ])
    expect(view.expected[0]).toBe(
      'The coaching program "Managed services selling" runs in 2026-07 through 2026-08, opened by the rule "coach-after-two-misses" at the close of 2026-06.',
    )
    expect(view.expected[1]).toMatch(
      /^It is decided at the close of 2026-08: it is passed if .*90%.*, otherwise failed\.$/,
    )
    await expect(
      getCoachingPlan(db, { orgId: 'acme', actor: as.rep, now: at('2026-07-20'), rep: 'r03' }),
    ).rejects.toMatchObject({
      code: 'coaching.forbidden',
    })
    const history = await listOutcomeEvents(db, { orgId: 'acme', id: outcome.id })
    expect(history.map((e) => e.action)).toEqual([
      'open',
      'coaching.schedule',
      'coaching.schedule',
      'apply',
      'coaching.complete',
    ])
  })

  it('fails a plan at its last close, opening a termination review decided with who decided', async () => {
    await closeMonths(db, 'acme', [7, 8].map(month), at('2026-09-01'))
    const [plan] = await listCoachingPlans(db, {
      orgId: 'acme',
      actor: as.admin,
      rep: 'r04',
      state: 'failed',
    })
    expect(plan).toMatchObject({ lastPeriod: '2026-08', decidedPeriod: '2026-08', items: 2, done: 1 })
    expect(await attainment(db, 'r04', '2026-08')).toBeLessThan(0.9)
    const review = (
      await listOutcomes(db, {
        orgId: 'acme',
        actor: as.admin,
        now: at('2026-09-01'),
        rep: 'r04',
        period: '2026-08',
      })
    ).find((o) => o.effect === 'termination_review')
    if (review === undefined) throw new Error('no termination review')
    expect(plan?.reviewOutcomeId).toBe(review.id)
    expect(review).toMatchObject({ state: 'due', owner: 'm1', detail: 'Still below goal after coaching' })

    const decide = (actor: (typeof as)[keyof typeof as], decision: string, reason?: string) =>
      decideTerminationReview(db, {
        orgId: 'acme',
        actor,
        now: at('2026-09-03'),
        id: review.id,
        decision,
        reason,
      })
    await expect(decide(as.m1, 'retain', 'x')).rejects.toMatchObject({ code: 'outcome.forbidden' })
    await expect(
      applyOutcome(db, { orgId: 'acme', actor: as.owner, now: at('2026-09-03'), id: review.id, note: 'x' }),
    ).rejects.toMatchObject({ code: 'outcome.conflict_use_decide' })
    await expect(decide(as.owner, 'fire')).rejects.toMatchObject({ code: 'outcome.bad_decision' })
    await expect(decide(as.owner, 'retain', ' ')).rejects.toMatchObject({ code: 'outcome.reason_required' })
    const decided = await decide(
      as.owner,
      'retain',
      'Pipeline for Q4 is strong; the plan applies again as stated',
    )
    expect(decided).toMatchObject({
      state: 'applied',
      decision: 'retain',
      decidedBy: 'olga',
      decidedAt: at('2026-09-03').toISOString(),
      decisionReason: 'Pipeline for Q4 is strong; the plan applies again as stated',
    })
    await expect(decide(as.admin, 'separate')).rejects.toMatchObject({ code: 'outcome.already_decided' })
    const events = await listOutcomeEvents(db, { orgId: 'acme', id: review.id })
    expect(events.map((e) => [e.action, e.actor])).toEqual([
      ['open', 'closer'],
      ['decide', 'olga'],
    ])
    const warning = (
      await listOutcomes(db, { orgId: 'acme', actor: as.admin, now: at('2026-09-03'), period: '2026-08' })
    ).find((o) => o.effect === 'warning')
    await expect(
      decideTerminationReview(db, {
        orgId: 'acme',
        actor: as.owner,
        now: at('2026-09-03'),
        id: warning?.id ?? '',
        decision: 'separate',
      }),
    ).rejects.toMatchObject({ code: 'outcome.conflict_not_review' })
    // Retained: the plan's rules applied again as stated, and the rule opened a new coaching plan in 2026-08
    const next = await scheduleCoachingItem(db, {
      orgId: 'acme',
      actor: as.m1,
      now: at('2026-09-03'),
      rep: 'r04',
      kind: 'check_in',
      title: 'Weekly pipeline',
      dueOn: '2026-09-10',
    })
    expect(next.coachingPlanId).not.toBe(plan?.id)
  })

  it('leaves a plan undecided when the rep is not employed in its last period', async () => {
    await closeMonths(db, 'acme', [9, 10].map(month), at('2026-11-01'))
    const plans = await listCoachingPlans(db, { orgId: 'acme', actor: as.admin })
    expect(plans.map((p) => [p.repId, p.openedPeriod, p.state])).toEqual([
      ['r03', '2026-03', 'passed'],
      ['r04', '2026-06', 'failed'],
      ['r04', '2026-08', 'passed'],
      ['r07', '2026-08', 'undecided'],
    ])
    expect(await attainment(db, 'r04', '2026-10')).toBeGreaterThanOrEqual(0.9)
  })
})
