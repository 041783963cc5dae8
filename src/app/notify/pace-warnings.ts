import { type MetricPace, percentText, type RepPace } from '../../core/followthrough/pace.ts'
import { cmp, type Rational } from '../../core/money/rational.ts'
import type { Database } from '../ports/sql.ts'
import type { Directory } from './directory.ts'
import { composeEach, type Note, type Posted, postNotifications } from './post-notifications.ts'
import { type Block, dateForPeople } from './render.ts'
import { weekOf } from './week.ts'

/** A rep's pace in an open period (src/core/followthrough/pace.ts), with the period's key. */
export interface PaceOfRep {
  readonly period: string
  readonly pace: RepPace
  /** The plan's currency code (the organization's when absent). */
  readonly currency?: string
}

export interface PaceWarningOptions {
  /** Also warn when the projected attainment is below this factor (e.g. 0.8), gate or not. */
  readonly threshold?: Rational
  /** No warning before this many business days of the period have passed (the run-rate is noise before). Default 3. */
  readonly minElapsedBusinessDays?: number
}

/**
 * Why a metric is at risk, or null: at this pace the rep ends the period below a gate (the
 * commission is forfeited), still inside a consequence the plan states, or below `threshold`.
 */
export function riskOf(m: MetricPace, threshold?: Rational): string | null {
  const projected = m.projectedAttainment
  if (projected === null) return null
  for (const s of m.stakes) {
    if (s.kind === 'gate' && cmp(projected, s.at) < 0) return s.words
    // A consequence below a threshold (`attainment < x`) that holds now and still holds at this pace.
    if (s.kind === 'rule' && s.now && s.gap === null && cmp(projected, s.at) < 0) return s.words
  }
  if (threshold !== undefined && cmp(projected, threshold) < 0)
    return `at this pace you end below ${percentText(threshold)} of the ${m.metric} goal`
  return null
}

/**
 * Warns reps whose projected attainment at period end is below a gate, a stated consequence or
 * the threshold, while the period is still open (before its last day): once per rep, period and
 * week, in the app and by email, with what is at stake in the plan's words.
 */
export async function paceWarnings(
  db: Database,
  args: {
    orgId: string
    now: Date
    directory: Directory
    paces: readonly PaceOfRep[]
    options?: PaceWarningOptions
  },
): Promise<Posted> {
  const week = weekOf(args.now, args.directory.timeZone)
  const minElapsed = args.options?.minElapsedBusinessDays ?? 3
  const notes: Note[] = []
  for (const { period, pace } of args.paces) {
    if (pace.asOf >= pace.periodEnd || pace.elapsedBusinessDays < minElapsed) continue
    const risks = pace.metrics.flatMap((m) => {
      const risk = riskOf(m, args.options?.threshold)
      return risk === null ? [] : [{ m, risk }]
    })
    const [first] = risks
    if (first === undefined) continue
    const recipient = args.directory.rep(pace.rep)
    const left = businessDaysLeft(pace)
    const projected = first.m.projectedAttainment === null ? '' : percentText(first.m.projectedAttainment)
    const blocks: Block[] = [
      { p: `Hello ${recipient.name},` },
      {
        p: `${period} ends on ${dateForPeople(pace.periodEnd)}, ${left === 1 ? '1 business day' : `${left} business days`} from now. At the pace so far, this is where you end:`,
      },
      { list: risks.map(({ m }) => m.sentence) },
      { p: 'This is a warning while there is still time, not a decision: the period is not closed.' },
    ]
    notes.push({
      recipient,
      kind: 'pace_warning',
      about: `pace_warning:${pace.rep}:${period}:${week}`,
      subject: `Pace warning for ${period}: ${first.m.metric} at ${projected} by ${dateForPeople(pace.periodEnd)} at this pace`,
      blocks,
      data: {
        rep: pace.rep,
        period,
        week,
        asOf: pace.asOf,
        metrics: risks.map(({ m, risk }) => ({
          metric: m.metric,
          projectedPercent: m.projectedAttainment === null ? null : percentText(m.projectedAttainment),
          risk,
        })),
      },
    })
  }
  return postNotifications(db, {
    orgId: args.orgId,
    now: args.now,
    notes,
    compose: composeEach,
  })
}

const businessDaysLeft = (pace: RepPace): number => pace.totalBusinessDays - pace.elapsedBusinessDays
