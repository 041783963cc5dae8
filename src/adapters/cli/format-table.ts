import type {
  Line,
  MetricResult,
  PeriodResult,
  PlanResult,
  RepResult,
  RunResult,
} from '../../core/engine/result.ts'
import { formatMoney } from '../../core/money/money.ts'
import {
  formatExact,
  formatFixed,
  mul,
  ratio,
  roundHalfAwayFromZero,
  type Rational,
} from '../../core/money/rational.ts'
import type { Effects } from '../../core/plans/plan.ts'

export interface TableOptions {
  /** ANSI colours: red forfeits and negative amounts, green payouts, yellow warnings. */
  readonly color: boolean
  /** Columns to fit; 100 by default. */
  readonly width?: number
}

type Paint = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan'
const CODES: Record<Paint, string> = { bold: '1', dim: '2', red: '31', green: '32', yellow: '33', cyan: '36' }

interface Cell {
  readonly text: string
  readonly paint?: Paint
}

/** Writes one document; `paint` is the identity without colour. */
class Writer {
  readonly out: string[] = []
  constructor(
    private readonly color: boolean,
    readonly width: number,
  ) {}

  paint(text: string, how: Paint | undefined): string {
    return this.color && how !== undefined && text !== '' ? `\x1b[${CODES[how]}m${text}\x1b[0m` : text
  }

  line(text = ''): void {
    this.out.push(text)
  }

  /** Rows of cells padded to `widths`, two spaces apart, trailing blanks dropped. */
  grid(
    indent: string,
    rows: readonly (readonly Cell[])[],
    widths: readonly number[],
    right: readonly boolean[],
  ): void {
    for (const row of rows) {
      const cells = row.map((cell, i) => {
        const pad = ' '.repeat(Math.max(0, (widths[i] ?? 0) - length(cell.text)))
        return right[i] === true
          ? pad + this.paint(cell.text, cell.paint)
          : this.paint(cell.text, cell.paint) + pad
      })
      this.line((indent + cells.join('  ')).trimEnd())
    }
  }

  /** Plain words wrapped at the width, continuation lines indented two more. */
  wrap(indent: string, words: string): string[] {
    const lines: string[] = []
    let current = ''
    for (const word of words.split(' ')) {
      if (current !== '' && length(current) + 1 + length(word) > this.width) {
        lines.push(current)
        current = `${indent}  ${word}`
      } else {
        current = current === '' ? indent + word : `${current} ${word}`
      }
    }
    if (current !== '') lines.push(current)
    return lines
  }
}

const length = (text: string): number => [...text].length

function clip(text: string, max: number): string {
  const chars = [...text]
  return chars.length <= max ? text : chars.slice(0, max - 1).join('') + '…'
}

/** "1234567.50" as "1,234,567.50". */
function grouped(plain: string): string {
  const neg = plain.startsWith('-')
  const [whole = '', frac] = (neg ? plain.slice(1) : plain).split('.')
  const text = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (frac === undefined ? '' : `.${frac}`)
  return neg ? `-${text}` : text
}

const money = (minor: bigint, digits: number): string => grouped(formatMoney(minor, digits))

function metricNumber(value: Rational, m: MetricResult, digits: number): string {
  if (m.money) return money(roundHalfAwayFromZero(mul(value, ratio(10n ** BigInt(digits)))), digits)
  const exact = formatExact(value)
  const places = exact === null ? Infinity : exact.length - (exact.indexOf('.') + 1)
  return grouped(exact !== null && (exact.indexOf('.') < 0 || places <= 2) ? exact : formatFixed(value, 2))
}

const percent = (factor: Rational): string =>
  formatExact(mul(factor, ratio(100n))) ?? formatFixed(mul(factor, ratio(100n)), 2)
const times = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`

/** A fired rule's effects in words, in the order the plan wrote them. */
function effectWords(e: Effects, digits: number): string[] {
  const words: string[] = []
  for (const key of e.order) {
    if (key === 'bonus' && e.bonusMinor !== undefined) words.push(`bonus ${money(e.bonusMinor, digits)}`)
    if (key === 'forfeit' && e.forfeit !== undefined)
      words.push(
        e.forfeit === 'all' ? 'forfeit every commission, spiff and bonus' : `forfeit ${e.forfeit.join(', ')}`,
      )
    if (key === 'boost' && e.boost !== undefined)
      words.push(
        `boost ${e.boost.rule} by ${percent(e.boost.by)}% for the next ${times(e.boost.periods, 'period', 'periods')}`,
      )
    if (key === 'pto_days' && e.ptoDays !== undefined) {
      const days = formatExact(e.ptoDays) ?? formatFixed(e.ptoDays, 2)
      words.push(`${days} ${days === '1' ? 'day' : 'days'} PTO`)
    }
    if (key === 'raise' && e.raise !== undefined) words.push(`recommend a ${percent(e.raise)}% raise`)
    if (key === 'warning' && e.warning !== undefined) words.push(`formal warning "${e.warning}"`)
    if (key === 'coaching' && e.coaching !== undefined) {
      const c = e.coaching
      const program = c.program === undefined ? '' : ` "${c.program}"`
      words.push(
        `coaching${program} for the next ${times(c.periods, 'period', 'periods')}, passed if ${c.pass.source}`,
      )
    }
    if (key === 'termination_review' && e.terminationReview !== undefined)
      words.push(`termination review "${e.terminationReview}"`)
  }
  return words
}

function metricRows(rep: RepResult, digits: number): Cell[][] {
  return rep.metrics.map((m) => [
    { text: m.id },
    { text: metricNumber(m.value, m, digits) },
    m.quota === null ? { text: 'no quota', paint: 'dim' } : { text: metricNumber(m.quota, m, digits) },
    m.attainment === null ? { text: '' } : { text: `${formatFixed(mul(m.attainment, ratio(100n)), 1)}%` },
  ])
}

function lineRow(line: Line, digits: number, nameMax: number): Cell[] {
  const notes: string[] = []
  if (line.forfeitedMinor !== 0n) notes.push(`forfeited ${money(line.forfeitedMinor, digits)}`)
  if (line.cappedMinor !== 0n) notes.push(`capped ${money(line.cappedMinor, digits)}`)
  return [
    { text: line.kind },
    { text: clip(line.rule ?? '', nameMax) },
    { text: clip(line.deal ?? '', nameMax) },
    { text: money(line.amountMinor, digits), ...(line.amountMinor < 0n ? { paint: 'red' as const } : {}) },
    {
      text: notes.join('  '),
      ...(line.forfeitedMinor !== 0n ? { paint: 'red' as const } : { paint: 'yellow' as const }),
    },
  ]
}

function widthsOf(rows: readonly (readonly Cell[])[]): number[] {
  const widths: number[] = []
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, length(cell.text))))
  return widths
}

function writePeriod(w: Writer, plan: PlanResult, period: PeriodResult): void {
  const digits = plan.currency.digits
  const nameMax = Math.max(8, Math.min(40, Math.floor((w.width - 56) / 2)))
  w.line(`${w.paint(period.period, 'bold')}  ${w.paint(`${period.start} to ${period.end}`, 'dim')}`)
  if (period.reps.length === 0) {
    w.line(w.paint('  no reps in this period', 'dim'))
    w.line()
    return
  }
  const metricHeader: Cell[] = ['metric', 'value', 'quota', 'attainment'].map((text) => ({
    text,
    paint: 'dim',
  }))
  const metrics = period.reps.map((rep) =>
    metricRows(rep, digits).map((row) => [
      { ...row[0]!, text: clip(row[0]!.text, nameMax) },
      ...row.slice(1),
    ]),
  )
  const lines = period.reps.map((rep) => rep.lines.map((line) => lineRow(line, digits, nameMax)))
  const metricWidths = widthsOf([metricHeader, ...metrics.flat()])
  const lineWidths = widthsOf(lines.flat())
  let total = 0n
  period.reps.forEach((rep, i) => {
    w.line(
      `  ${w.paint(rep.rep, 'bold')}${rep.computed ? '' : w.paint('  not computed in this period', 'dim')}`,
    )
    const repMetrics = metrics[i] ?? []
    if (repMetrics.length > 0)
      w.grid('    ', [metricHeader, ...repMetrics], metricWidths, [false, true, true, true])
    w.grid('    ', lines[i] ?? [], lineWidths, [false, false, false, true, false])
    for (const outcome of rep.outcomes) {
      const text = `${outcome.rule} fired: ${effectWords(outcome.effects, digits).join(', ')}`
      w.wrap('    ', text).forEach((line, n) =>
        w.line(n > 0 ? line : `    ${w.paint(outcome.rule, 'cyan')}${line.slice(4 + outcome.rule.length)}`),
      )
    }
    const payout = w.paint(money(rep.payoutMinor, digits), 'green')
    w.line(`    payout ${payout}   balance ${money(rep.balanceMinor, digits)}`)
    w.line()
    total += rep.payoutMinor
  })
  const reps = times(period.reps.length, 'rep', 'reps')
  w.line(
    `  ${period.period} total payout ${w.paint(money(total, digits), 'green')} ${plan.currency.code} to ${reps}`,
  )
  const warnings = period.reps.flatMap((rep) => rep.warnings.map((text) => `${rep.rep}: ${text}`))
  if (warnings.length > 0) {
    w.line(w.paint(`  ${times(warnings.length, 'warning', 'warnings')}`, 'yellow'))
    for (const text of warnings) for (const line of w.wrap('    ', text)) w.line(w.paint(line, 'yellow'))
  }
  w.line()
}

const ADJECTIVE = { month: 'monthly', quarter: 'quarterly', year: 'yearly' } as const

/** The run for people: per plan and period, each rep's metrics, lines, outcomes and payout. */
export function formatResultTable(result: RunResult, opts: TableOptions): string {
  const w = new Writer(opts.color, opts.width ?? 100)
  for (const plan of result.plans) {
    const name = plan.plan.name === '' || plan.plan.name === plan.id ? '' : ` (${plan.plan.name})`
    w.line(w.paint(`Plan ${plan.id}${name}`, 'bold'))
    w.line(w.paint(`${ADJECTIVE[plan.period]} periods, amounts in ${plan.currency.code}`, 'dim'))
    w.line()
    if (plan.periods.length === 0) {
      w.line(w.paint('  no periods in the range', 'dim'))
      w.line()
    }
    for (const period of plan.periods) writePeriod(w, plan, period)
  }
  if (result.plans.length === 0) w.line('No plans.')
  return w.out.join('\n').replace(/\n+$/, '') + '\n'
}
