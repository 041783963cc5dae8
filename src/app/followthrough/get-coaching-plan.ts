import { formatLocalDate } from '../../core/calendar/civil.ts'
import { parsePeriodKey, periodKey, periodStart } from '../../core/calendar/period.ts'
import { DomainError } from '../../core/domain-error.ts'
import { describeCondition } from '../../core/plans/describe-condition.ts'
import { PlanVersions } from '../close/plans-of-record.ts'
import type { Queryable } from '../ports/sql.ts'
import { repOfPerson } from './access.ts'
import { type CoachingItem, type CoachingPlan, currentPlanOf, itemsOf } from './coaching-record.ts'
import type { Actor } from './outcome-record.ts'

export interface CoachingView {
  readonly plan: CoachingPlan
  /** The pass condition in plain words ("90% or more of the New MRR goal"), or its CEL text. */
  readonly passInWords: string
  readonly items: readonly (CoachingItem & { status: 'done' | 'due' | 'late' })[]
  /** What is expected of the rep, in sentences. */
  readonly expected: readonly string[]
}

/**
 * The rep's coaching plan as the rep sees it: the program, the periods it runs, what decides it at
 * its last close, and the training items and check-ins with their status at `now` (late: due
 * before today, UTC, and not done). A rep may see only their own.
 */
export async function getCoachingPlan(
  db: Queryable,
  args: { orgId: string; actor: Actor; now: Date; rep: string },
): Promise<CoachingView> {
  if (args.actor.role === 'rep' && (await repOfPerson(db, args.orgId, args.actor.id)) !== args.rep) {
    throw new DomainError('coaching.forbidden', 'A rep sees only their own coaching plan.', { rep: args.rep })
  }
  const plan = await currentPlanOf(db, args.orgId, args.rep)
  const today = args.now.toISOString().slice(0, 10)
  const items = (await itemsOf(db, args.orgId, plan.id)).map((i) => ({
    ...i,
    status: i.doneAt !== null ? ('done' as const) : i.dueOn < today ? ('late' as const) : ('due' as const),
  }))
  const passInWords = await describePass(db, args.orgId, plan)
  const first = nextPeriod(plan.openedPeriod)
  const runs = first === plan.lastPeriod ? first : `${first} through ${plan.lastPeriod}`
  const expected = [
    `${plan.program === '' ? 'A coaching plan' : `The coaching program "${plan.program}"`} runs in ${runs}, opened by the rule "${plan.rule}" at the close of ${plan.openedPeriod}.`,
    `It is decided at the close of ${plan.lastPeriod}: it is passed ${passInWords}, otherwise failed.`,
    ...items.map(
      (i) =>
        `${i.kind === 'training' ? 'Training' : 'Check-in'} "${i.title}" on ${i.dueOn}: ${i.status === 'done' ? `done${i.notes === null ? '' : ` (${i.notes})`}` : i.status}.`,
    ),
    ...(plan.state === 'open'
      ? []
      : [
          `Decided: ${plan.state}${plan.decidedPeriod === null ? '' : ` at the close of ${plan.decidedPeriod}`}.`,
        ]),
  ]
  return { plan, passInWords, items, expected }
}

function nextPeriod(key: string): string {
  const k = parsePeriodKey(key)
  return k === null ? key : periodKey(k.kind, k.index + 1)
}

async function describePass(db: Queryable, orgId: string, plan: CoachingPlan): Promise<string> {
  const key = parsePeriodKey(plan.openedPeriod)
  const versions = await PlanVersions.load(db, orgId)
  const version =
    key === null ? null : versions.effectiveOn(plan.planId, formatLocalDate(periodStart(key.kind, key.index)))
  if (version === null) return `when ${plan.passCondition}`
  const words = describeCondition(plan.passCondition, version.plan)
  return `if ${words.clause}`
}
