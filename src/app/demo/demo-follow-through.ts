import { acknowledgePlan } from '../acknowledgements/acknowledge-plan.ts'
import { applyOutcome } from '../followthrough/apply-outcome.ts'
import { approveWaiver } from '../followthrough/approve-waiver.ts'
import { decideTerminationReview } from '../followthrough/decide-termination-review.ts'
import type { Actor } from '../followthrough/outcome-record.ts'
import { requestWaiver } from '../followthrough/request-waiver.ts'
import { scheduleCoachingItem } from '../followthrough/schedule-coaching-item.ts'
import type { Database } from '../ports/sql.ts'

/** Who acts in the demo's history: the admin follows through, the owner approves waivers. */
export interface DemoActors {
  readonly admin: Actor
  readonly owner: Actor
}

const at = (date: string, hourUtc = 15): Date =>
  new Date(`${date}T${String(hourUtc).padStart(2, '0')}:00:00Z`)

/** 'YYYY-MM-DD' plus days, through UTC dates (no time zone involved: whole days). */
function plusDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/**
 * What a company that mostly follows through did with one closed month's outcomes, decided by the
 * items' order so that the demo is the same every time: most are applied on time, some late, some
 * waived with a reason and a second approver (misses that went unenforced), and in the latest
 * months some are left alone, to become overdue. Termination reviews are decided (retain).
 */
export async function demoFollowThrough(
  db: Database,
  args: {
    orgId: string
    period: string
    closedOn: string
    leaveOpen: boolean
    actors: DemoActors
    now: Date
  },
): Promise<{ applied: number; waived: number; open: number }> {
  const items = await db.query<{
    id: string
    rep_id: string
    effect: string
    detail: unknown
    due_on: string
  }>(
    `select id, rep_id, effect, detail, due_on::text as due_on from outcomes
      where org_id = $1 and period = $2 and state = 'due' order by rep_id, rule, effect, id`,
    [args.orgId, args.period],
  )
  const counts = { applied: 0, waived: 0, open: 0 }
  for (const [i, o] of items.entries()) {
    const onTime = at(plusDays(args.closedOn, 2))
    // Nothing is done after now: such items are still open.
    if (onTime.getTime() > args.now.getTime()) {
      counts.open++
      continue
    }
    if (o.effect === 'termination_review') {
      await decideTerminationReview(db, {
        orgId: args.orgId,
        actor: args.actors.admin,
        now: onTime,
        id: o.id,
        decision: 'retain',
        reason: 'Pipeline rebuilt after coaching; the plan applies again as stated.',
      })
      counts.applied++
      continue
    }
    if (args.leaveOpen && i % 3 === 0) {
      counts.open++
      continue
    }
    if (!args.leaveOpen && i % 5 === 3 && o.effect !== 'coaching') {
      await requestWaiver(db, {
        orgId: args.orgId,
        actor: args.actors.admin,
        now: onTime,
        id: o.id,
        reason: 'Two weeks of approved leave this month; the team lead asked to let it go.',
      })
      await approveWaiver(db, {
        orgId: args.orgId,
        actor: args.actors.owner,
        now: at(plusDays(args.closedOn, 3)),
        id: o.id,
      })
      counts.waived++
      continue
    }
    const late = at(plusDays(o.due_on, 5))
    const when = !args.leaveOpen && i % 7 === 5 && late.getTime() <= args.now.getTime() ? late : onTime
    const day = when.toISOString().slice(0, 10)
    if (o.effect === 'coaching') {
      for (const [kind, title, offset] of [
        ['training', 'Managed-services discovery workshop', 10],
        ['check_in', 'Pipeline review with the team lead', 20],
      ] as const) {
        await scheduleCoachingItem(db, {
          orgId: args.orgId,
          actor: args.actors.admin,
          now: when,
          rep: o.rep_id,
          kind,
          title,
          dueOn: plusDays(day, offset),
        })
      }
    }
    const detail: Record<string, unknown> =
      o.effect === 'pto_days'
        ? { days: Number(o.detail), exported: `HR-${args.period}-${o.rep_id}` }
        : o.effect === 'warning'
          ? { delivered_on: day, acknowledged_on: day }
          : o.effect === 'raise'
            ? { effective_on: plusDays(day, 10), raise: String(o.detail) }
            : {}
    await applyOutcome(db, {
      orgId: args.orgId,
      actor: args.actors.admin,
      now: when,
      id: o.id,
      note: `Done: ${o.effect.replace('_', ' ')} for ${o.rep_id}.`,
      detail,
    })
    counts.applied++
  }
  return counts
}

/** Every rep but the first of each plan acknowledges the plan version in force (so the demo has both). */
export async function demoAcknowledgements(
  db: Database,
  args: { orgId: string; now: Date },
): Promise<number> {
  const reps = await db.query<{ rep_id: string; plan_id: string; name: string }>(
    `select a.rep_id, a.plan_id, r.name from plan_assignments a join reps r on r.org_id = a.org_id and r.id = a.rep_id
      where a.org_id = $1 and a.valid_to is null and r.left_on is null order by a.plan_id, a.rep_id`,
    [args.orgId],
  )
  let count = 0
  for (const [i, r] of reps.entries()) {
    if (i === 0 || reps[i - 1]?.plan_id !== r.plan_id) continue
    await db.transaction((tx) =>
      acknowledgePlan(tx, {
        orgId: args.orgId,
        actor: { id: `rep:${r.rep_id}`, role: 'rep', repId: r.rep_id },
        repId: r.rep_id,
        planId: r.plan_id,
        typedName: r.name,
        now: args.now,
      }),
    )
    count++
  }
  return count
}
