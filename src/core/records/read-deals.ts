import { ZoneCalendar, type DateOrInstant } from '../calendar/instant.ts'
import { formatExact, ratio } from '../money/rational.ts'
import type { Plan } from '../plans/plan.ts'
import {
  currencyOf,
  parseDateCell,
  parseMoneyCell,
  parseWholeCell,
  quote,
  type CurrencyDigits,
} from './cells.ts'
import {
  DECIMAL_NUMBER,
  ExtraColumnsBuilder,
  IdSet,
  Interner,
  float64Column,
  int32Column,
} from './columns.ts'
import { cellAt, matchHeader, reportEmptyFile, type Header, type RowReader } from './header.ts'
import type { IssueCollector } from './issues.ts'
import { NO_DAY, type DealTable, type Rep } from './records.ts'

const KNOWN = ['id', 'rep', 'closed_on', 'amount', 'mrr', 'type', 'customer', 'term_months', 'cancelled_on']
const REQUIRED = ['id', 'rep', 'closed_on']
const MS_PER_DAY = 86_400_000
const WHOLE_SHARE = 1_000_000

/** What deals are checked against: the reps read before, and the plans of the run. */
export interface DealContext {
  readonly reps: readonly Rep[]
  readonly repIndex: ReadonlyMap<string, number>
  readonly plans: readonly Plan[]
}

/**
 * Reads deals.csv into a DealTable, checking every cell: unique ids, shares of known reps adding
 * up to exactly 100 (stored in millionths), dates, money in the run's currency, whole term_months,
 * cancelled_on not before closed_on in every crediting plan's zone, and the columns `sum:` needs.
 */
export function readDeals(file: string, issues: IssueCollector, context: DealContext): RowReader<DealTable> {
  return new DealReader(file, issues, context)
}

interface SummedColumn {
  readonly field: string
  readonly by: string
  index: number
  reported: boolean
}

class DealReader implements RowReader<DealTable> {
  private matched: Header | null = null
  private readonly ids: string[] = []
  private readonly idSet = new IdSet(this.ids)
  private readonly lines = int32Column()
  private readonly closedDay = int32Column()
  private readonly closedMs = float64Column()
  private readonly cancelledDay = int32Column()
  private readonly cancelledMs = float64Column()
  private readonly amountMinor = float64Column()
  private readonly mrrMinor = float64Column()
  private readonly termMonths = float64Column()
  private readonly shareStart = int32Column()
  private readonly shareRep = int32Column()
  private readonly shareMicro = int32Column()
  private readonly type: string[] = []
  private readonly customer: string[] = []
  private readonly types = new Interner()
  private readonly customers = new Interner()
  private extras = new ExtraColumnsBuilder([])
  private readonly summed: SummedColumn[] = []
  private readonly currency: CurrencyDigits
  /** The zone of each rep's plan when that plan is in the run. */
  private readonly zoneOfRep: (ZoneCalendar | null)[]
  private readonly utc = new ZoneCalendar('UTC')

  constructor(
    private readonly file: string,
    private readonly issues: IssueCollector,
    private readonly context: DealContext,
  ) {
    this.currency = currencyOf(context.plans)
    const zones = new Map<string, ZoneCalendar>()
    const planZone = new Map(
      context.plans.map((p) => {
        const zone = zones.get(p.timezone) ?? new ZoneCalendar(p.timezone)
        zones.set(p.timezone, zone)
        return [p.id, zone] as const
      }),
    )
    this.zoneOfRep = context.reps.map((r) => (r.plan === null ? null : (planZone.get(r.plan) ?? null)))
    for (const plan of context.plans) {
      for (const m of plan.metrics) {
        if (m.source.kind !== 'sum') continue
        const field = m.source.field
        if (field === 'amount' || field === 'mrr' || this.summed.some((s) => s.field === field)) continue
        this.summed.push({
          field,
          by: `metric ${m.id} of plan ${plan.id} sums it`,
          index: -1,
          reported: false,
        })
      }
    }
  }

  private col(name: string): number {
    return this.matched?.columns.get(name) ?? -1
  }

  header(cells: readonly string[], line: number): void {
    const header = matchHeader(cells, line, KNOWN, REQUIRED, this.file, this.issues)
    this.matched = header
    this.extras = new ExtraColumnsBuilder(header.extras)
    for (const s of this.summed) {
      s.index = header.names.indexOf(s.field)
      if (s.index < 0) this.issues.add(this.file, line, `missing column ${quote(s.field)} (${s.by})`)
    }
  }

  row(cells: readonly string[], line: number): void {
    if (this.matched === null) return
    const report = (message: string): void => this.issues.add(this.file, line, message)
    const cell = (name: string): string => cellAt(cells, this.col(name))

    const row = this.ids.length
    const id = cell('id')
    this.ids.push(id)
    this.lines.push(line)
    if (this.col('id') >= 0 && id === '') report('id is empty')
    if (id !== '') {
      const first = this.idSet.add(row)
      if (first >= 0) report(`duplicate id ${quote(id)} (also on line ${this.lines.at(first)})`)
    }

    const firstShare = this.shareRep.length
    this.shareStart.push(firstShare)
    if (this.col('rep') >= 0) this.readShares(cell('rep'), report)

    const closed = this.readDate('closed_on', cell('closed_on'), true, report)
    const cancelled = this.readDate('cancelled_on', cell('cancelled_on'), false, report)
    pushDate(this.closedDay, this.closedMs, closed)
    pushDate(this.cancelledDay, this.cancelledMs, cancelled)
    if (closed !== null && cancelled !== null) {
      this.checkOrder(closed, cell('closed_on'), cancelled, cell('cancelled_on'), firstShare, report)
    }

    this.amountMinor.push(this.readMoney('amount', cell('amount'), report))
    this.mrrMinor.push(this.readMoney('mrr', cell('mrr'), report))
    const term = cell('term_months')
    const termMonths = term === '' ? NaN : parseWholeCell('term_months', term)
    if (typeof termMonths === 'string') report(termMonths)
    this.termMonths.push(typeof termMonths === 'string' ? NaN : termMonths)
    this.type.push(this.types.get(cell('type')))
    this.customer.push(this.customers.get(cell('customer')))
    this.extras.push(cells)

    for (const s of this.summed) {
      if (s.index < 0 || s.reported) continue
      const text = cellAt(cells, s.index)
      if (text === '' || DECIMAL_NUMBER.test(text)) continue
      s.reported = true
      report(`${s.field} ${quote(text)} is not a number (${s.by})`)
    }
  }

  finish(): DealTable {
    if (this.matched === null) reportEmptyFile(this.file, REQUIRED, this.issues)
    this.shareStart.push(this.shareRep.length)
    return {
      length: this.ids.length,
      id: this.ids,
      closedDay: this.closedDay.take(),
      closedMs: this.closedMs.take(),
      cancelledDay: this.cancelledDay.take(),
      cancelledMs: this.cancelledMs.take(),
      amountMinor: this.amountMinor.take(),
      mrrMinor: this.mrrMinor.take(),
      type: this.type,
      customer: this.customer,
      termMonths: this.termMonths.take(),
      shareStart: this.shareStart.take(),
      shareRep: this.shareRep.take(),
      shareMicro: this.shareMicro.take(),
      extras: this.extras.finish(),
    }
  }

  /** `r1` (100%) or `r1:60;r2:40`: percentages > 0 with at most 4 decimals adding up to exactly 100. */
  private readShares(text: string, report: (message: string) => void): void {
    if (text === '') return report('rep is empty')
    if (!text.includes(':') && !text.includes(';')) return this.addShare(text, WHOLE_SHARE, report)
    let total = 0
    let wellFormed = true
    const seen = new Set<string>()
    for (const raw of text.split(';')) {
      const share = parseShare(raw.trim(), text)
      const problem =
        typeof share === 'string'
          ? share
          : seen.has(share.rep)
            ? `rep ${quote(share.rep)} has two shares in one deal`
            : null
      if (problem !== null || typeof share === 'string') {
        report(problem ?? '')
        wellFormed = false
        continue
      }
      seen.add(share.rep)
      total += share.micro
      this.addShare(share.rep, share.micro, report)
    }
    if (wellFormed && total !== WHOLE_SHARE) {
      report(`shares add up to ${formatExact(ratio(BigInt(total), 10_000n))}, not 100`)
    }
  }

  private addShare(rep: string, micro: number, report: (message: string) => void): void {
    const index = this.context.repIndex.get(rep)
    if (index === undefined) report(`unknown rep ${quote(rep)}`)
    this.shareRep.push(index ?? -1)
    this.shareMicro.push(micro)
  }

  private readDate(
    column: string,
    text: string,
    required: boolean,
    report: (message: string) => void,
  ): DateOrInstant | null {
    if (this.col(column) < 0) return null
    if (text === '') {
      if (required) report(`${column} is empty`)
      return null
    }
    const value = parseDateCell(column, text)
    if (typeof value !== 'string') return value
    report(value)
    return null
  }

  private readMoney(column: string, text: string, report: (message: string) => void): number {
    if (text === '') return 0
    const minor = parseMoneyCell(column, text, this.currency)
    if (typeof minor === 'number') return minor
    report(minor)
    return 0
  }

  /**
   * cancelled_on must not be before closed_on: two dates compare by day, two instants by
   * millisecond; a date against an instant means 00:00 in the zone of every plan crediting the
   * deal (UTC when none does), and must hold in each.
   */
  private checkOrder(
    closed: DateOrInstant,
    closedText: string,
    cancelled: DateOrInstant,
    cancelledText: string,
    firstShare: number,
    report: (message: string) => void,
  ): void {
    const message = `cancelled_on ${cancelledText} is before closed_on ${closedText}`
    if (closed.ms === undefined && cancelled.ms === undefined) {
      if (cancelled.day < closed.day) report(message)
      return
    }
    if (closed.ms !== undefined && cancelled.ms !== undefined) {
      if (cancelled.ms < closed.ms) report(message)
      return
    }
    const zones = new Set<ZoneCalendar>()
    for (let k = firstShare; k < this.shareRep.length; k++) {
      const zone = this.zoneOfRep[this.shareRep.at(k)]
      if (zone) zones.add(zone)
    }
    if (zones.size === 0) zones.add(this.utc)
    for (const zone of zones) {
      if (zone.instantOf(cancelled) < zone.instantOf(closed))
        return report(`${message} in time zone ${zone.timeZone}`)
    }
  }
}

/** One `REP:PERCENT` of a rep cell, the percentage in millionths of the deal. */
function parseShare(part: string, text: string): { rep: string; micro: number } | string {
  if (part === '') return `empty share in ${quote(text)}`
  const colon = part.indexOf(':')
  const rep = (colon < 0 ? part : part.slice(0, colon)).trim()
  const percent = colon < 0 ? null : /^(\d{1,9})(?:\.(\d+))?$/.exec(part.slice(colon + 1).trim())
  if (rep === '' || percent === null) return `share ${quote(part)} is not REP:PERCENT`
  const frac = percent[2] ?? ''
  if (frac.length > 4) return `share ${quote(part)} has more than 4 decimals`
  const micro = Number(percent[1]) * 10_000 + Number(frac.padEnd(4, '0'))
  return micro === 0 ? `share ${quote(part)} is 0` : { rep, micro }
}

function pushDate(
  day: { push(v: number): void },
  ms: { push(v: number): void },
  value: DateOrInstant | null,
): void {
  if (value === null) {
    day.push(NO_DAY)
    ms.push(NaN)
  } else if (value.ms === undefined) {
    day.push(value.day)
    ms.push(NaN)
  } else {
    day.push(Math.floor(value.ms / MS_PER_DAY))
    ms.push(value.ms)
  }
}
