import { percentText } from '../../core/followthrough/pace.ts'
import { formatMoneyForPeople, getCurrency } from '../../core/money/money.ts'
import type { Database } from '../ports/sql.ts'
import type { Directory } from './directory.ts'
import { describeOutcomeEffect, type OutcomeToNotify } from './outcome-notes.ts'
import type { PaceOfRep } from './pace-warnings.ts'
import { composeEach, type Note, type Posted, postNotifications } from './post-notifications.ts'
import { type Block, count, dateForPeople } from './render.ts'
import { weekOf } from './week.ts'

/** An open dispute of a statement line, as the digest lists it. */
export interface OpenDispute {
  readonly id: string
  readonly repId: string
  readonly period: string
  /** What is disputed, in a few words (the line, the rep's message). */
  readonly summary: string
  /** The disputed line's amount, minor units of the organization's currency; null when not known. */
  readonly amountMinor: bigint | null
}

export interface DigestInput {
  readonly due: readonly OutcomeToNotify[]
  readonly overdue: readonly OutcomeToNotify[]
  /** The pace of reps in the open period; undefined when progress is not available. */
  readonly paces?: readonly PaceOfRep[]
  /** Open disputes; undefined when disputes are not available. */
  readonly disputes?: readonly OpenDispute[]
}

/**
 * The weekly digest to every manager (a rep others report to): the team's progress and pace, the
 * outcomes the manager owns that are due or overdue, and the team's open disputes. Once per manager
 * and week (the week of `now` in the organization's time zone), in the app and by email.
 */
export async function weeklyDigest(
  db: Database,
  args: { orgId: string; now: Date; directory: Directory; input: DigestInput },
): Promise<Posted> {
  const dir = args.directory
  const week = weekOf(args.now, dir.timeZone)
  const notes: Note[] = []
  for (const manager of dir.managers) {
    const team = dir.teamOf(manager)
    const inTeam = new Set(team)
    const due = args.input.due.filter((o) => o.owner === manager)
    const overdue = args.input.overdue.filter((o) => o.owner === manager)
    const disputes = args.input.disputes?.filter((d) => inTeam.has(d.repId))
    const recipient = dir.rep(manager)
    const item = (o: OutcomeToNotify): string =>
      `${dir.repName(o.repId)}: ${describeOutcomeEffect(o.effect, o.detail, dir.currency)} (${o.period}, rule ${o.rule}${o.dueOn === null ? '' : `, due ${dateForPeople(o.dueOn)}`})`
    const blocks: Block[] = [
      { p: `Hello ${recipient.name}, here is your team's week (${week.slice(5)}).` },
      ...progressBlocks(team, args.input.paces, dir),
      { heading: `Follow-through: ${count(due.length, 'item')} due, ${overdue.length} overdue` },
      ...(overdue.length > 0
        ? [{ p: 'Overdue (past the due date, neither applied nor waived):' }, { list: overdue.map(item) }]
        : []),
      ...(due.length > 0 ? [{ p: 'Due:' }, { list: due.map(item) }] : []),
      ...(due.length + overdue.length === 0 ? [{ p: 'Nothing you own is due or overdue.' }] : []),
      ...(disputes === undefined
        ? []
        : [
            { heading: `Open disputes: ${disputes.length}` },
            disputes.length === 0
              ? { p: 'No statement line of your team is disputed.' }
              : {
                  list: disputes.map(
                    (d) =>
                      `${dir.repName(d.repId)} (${d.period}): ${d.summary}${d.amountMinor === null ? '' : ` (${formatMoneyForPeople(d.amountMinor, dir.currency)})`}`,
                  ),
                },
          ]),
    ]
    notes.push({
      recipient,
      kind: 'weekly_digest',
      about: `weekly_digest:${manager}:${week}`,
      subject: `Weekly digest ${week.slice(5)}: ${count(team.length, 'rep')}, ${due.length} due, ${overdue.length} overdue`,
      blocks,
      data: {
        manager,
        week,
        team,
        due: due.map((o) => o.id),
        overdue: overdue.map((o) => o.id),
        disputes: disputes?.map((d) => d.id) ?? null,
      },
    })
  }
  return postNotifications(db, { orgId: args.orgId, now: args.now, notes, compose: composeEach })
}

function progressBlocks(
  team: readonly string[],
  paces: readonly PaceOfRep[] | undefined,
  dir: Directory,
): Block[] {
  if (paces === undefined) return []
  const lines = team.flatMap((rep) =>
    paces
      .filter((p) => p.pace.rep === rep)
      .map(({ period, pace, currency }) => {
        const metrics = pace.metrics
          .filter((m) => m.attainment !== null)
          .map((m) => {
            const pace =
              m.projectedAttainment === null ? '' : `, ${percentText(m.projectedAttainment)} at this pace`
            return `${m.metric} ${percentText(m.attainment ?? m.value)}${pace}`
          })
        const earned = formatMoneyForPeople(
          pace.earnedSoFarMinor,
          (currency === undefined ? null : getCurrency(currency)) ?? dir.currency,
        )
        return `${dir.repName(rep)} (${period}): ${metrics.length > 0 ? metrics.join('; ') : 'no goal set'}; earned so far ${earned}`
      }),
  )
  return [
    { heading: "Your team's progress" },
    lines.length === 0 ? { p: 'No open period with progress to show.' } : { list: lines },
  ]
}
