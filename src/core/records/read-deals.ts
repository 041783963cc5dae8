import { ZoneCalendar, type DateOrInstant } from '../calendar/instant.ts'
import { formatExact, ratio } from '../money/rational.ts'
import type { Plan } from '../plans/plan.ts'
import {
  currencyOf,
  parseShare,
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
  LineIndex,
  StringColumn,
  float64Column,
  int32Column,
  pushDateCell,
  type NumberColumn,
} from './columns.ts'
import { cellAt, matchHeader, reportEmptyFile, type RowReader } from './header.ts'
import { isTrimmed, NOT_PLAIN, SpanTable, spanDay, spanDecimal, spanWhole } from './spans.ts'
import type { IssueCollector } from './issues.ts'
import { NO_DAY, type DealTable, type Rep } from './records.ts'

const KNOWN = [
  'id',
  'rep',
  'closed_on',
  'amount',
  'mrr',
  'type',
  'customer',
  'term_months',
  'cancelled_on',
] as const
const REQUIRED = ['id', 'rep', 'closed_on']
const WHOLE_SHARE = 1_000_000
/** Distinct types kept by the fast path, as the Interner keeps them. */
const INTERNED = 1 << 16

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
export function readDeals(
  file: string,
  issues: IssueCollector,
  context: DealContext,
  expectedRows = 0,
): RowReader<DealTable> {
  return new DealReader(file, issues, context, expectedRows)
}

interface SummedColumn {
  readonly field: string
  readonly by: string
  index: number
  reported: boolean
}

type Columns = Record<(typeof KNOWN)[number], number>

// The row path runs 10 million times: no closures or per-row objects in it, column positions
// looked up once, and the current line kept in a field for `report`.
class DealReader implements RowReader<DealTable> {
  private at: Columns | null = null
  private line = 0
  private readonly ids: StringColumn
  private readonly idSet: IdSet
  private readonly lines = new LineIndex()
  private readonly closedDay: NumberColumn<Int32Array>
  private readonly closedMs: NumberColumn<Float64Array>
  private readonly cancelledDay: NumberColumn<Int32Array>
  private readonly cancelledMs: NumberColumn<Float64Array>
  private readonly amountMinor: NumberColumn<Float64Array>
  private readonly mrrMinor: NumberColumn<Float64Array>
  private readonly termMonths: NumberColumn<Float64Array>
  private readonly shareStart: NumberColumn<Int32Array>
  private readonly shareRep: NumberColumn<Int32Array>
  private readonly shareMicro: NumberColumn<Int32Array>
  private readonly type: StringColumn
  private readonly customer: StringColumn
  private readonly types = new Interner()
  private readonly customers = new Interner()
  private extras = new ExtraColumnsBuilder([])
  private readonly summed: SummedColumn[] = []
  private readonly currency: CurrencyDigits
  /** The zone of each rep's plan when that plan is in the run. */
  private readonly zoneOfRep: (ZoneCalendar | null)[]
  private readonly utc = new ZoneCalendar('UTC')
  /** The fast path's view of the header: cell count (0: off) and where each cell starts and ends. */
  private fastCells = 0
  private cuts = new Int32Array(0)
  private readonly shareIndex: number[] = []
  private readonly shareParts: number[] = []
  private readonly repSpans = new SpanTable()
  private readonly typeSpans = new SpanTable()

  constructor(
    private readonly file: string,
    private readonly issues: IssueCollector,
    private readonly context: DealContext,
    private readonly expected: number,
  ) {
    this.ids = new StringColumn(expected)
    this.idSet = new IdSet(this.ids.values, expected)
    this.closedDay = int32Column(expected)
    this.closedMs = float64Column(expected)
    this.cancelledDay = int32Column(expected)
    this.cancelledMs = float64Column(expected)
    this.amountMinor = float64Column(expected)
    this.mrrMinor = float64Column(expected)
    this.termMonths = float64Column(expected)
    this.shareStart = int32Column(expected > 0 ? expected + 1 : 0)
    this.shareRep = int32Column(expected)
    this.shareMicro = int32Column(expected)
    this.type = new StringColumn(expected)
    this.customer = new StringColumn(expected)
    this.currency = currencyOf(context.plans)
    const zones = new Map<string, ZoneCalendar>()
    const planZone = new Map<string, ZoneCalendar>()
    for (const plan of context.plans) {
      const zone = zones.get(plan.timezone) ?? new ZoneCalendar(plan.timezone)
      zones.set(plan.timezone, zone)
      planZone.set(plan.id, zone)
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
    this.zoneOfRep = context.reps.map((r) => (r.plan === null ? null : (planZone.get(r.plan) ?? null)))
  }

  header(cells: readonly string[], line: number): void {
    const header = matchHeader(cells, line, KNOWN, REQUIRED, this.file, this.issues)
    this.at = Object.fromEntries(KNOWN.map((name) => [name, header.columns.get(name) ?? -1])) as Columns
    this.extras = new ExtraColumnsBuilder(header.extras, this.expected)
    for (const s of this.summed) {
      s.index = header.names.indexOf(s.field)
      if (s.index < 0) this.issues.add(this.file, line, `missing column ${quote(s.field)} (${s.by})`)
    }
    const at = this.at
    const plain =
      header.extras.length === 0 &&
      this.summed.every((s) => s.index < 0) &&
      at.id >= 0 &&
      at.rep >= 0 &&
      at.closed_on >= 0
    this.fastCells = plain ? cells.length : 0
    if (plain) for (const [id, index] of this.context.repIndex) this.repSpans.add(id, index)
    this.cuts = new Int32Array(cells.length + 1)
  }

  /**
   * The fast path (ADR 0008): a line without quotes, read from its text without cell strings.
   * Takes the row only when every cell is in its plain form and nothing is to be reported but a
   * duplicate id, storing exactly what `row` would; otherwise false, and the caller hands the
   * split cells to `row`, which reads and reports as always.
   */
  fastRow(text: string, start: number, end: number, line: number): boolean {
    const count = this.fastCells
    const at = this.at
    if (count === 0 || at === null) return false
    const cuts = this.cuts
    let cells = 0
    cuts[0] = start - 1
    for (let i = text.indexOf(',', start); i >= 0 && i < end; i = text.indexOf(',', i + 1)) {
      if (++cells === count) return false
      cuts[cells] = i
    }
    if (cells !== count - 1) return false
    cuts[count] = end

    const idFrom = this.cellFrom(at.id)
    const idTo = this.cellTo(at.id)
    if (!isTrimmed(text, idFrom, idTo)) return false
    const closedFrom = this.cellFrom(at.closed_on)
    const closed = spanDay(text, closedFrom, this.cellTo(at.closed_on))
    if (closed === NOT_PLAIN) return false
    const cancelledFrom = this.cellFrom(at.cancelled_on)
    const cancelledTo = this.cellTo(at.cancelled_on)
    const hasCancel = cancelledTo > cancelledFrom
    let cancelled = NO_DAY
    if (hasCancel) {
      cancelled = spanDay(text, cancelledFrom, cancelledTo)
      if (cancelled === NOT_PLAIN || cancelled < closed) return false
    }
    const digits = this.currency.digits
    const amount = this.plainMoney(text, this.cellFrom(at.amount), this.cellTo(at.amount), digits)
    const mrr = this.plainMoney(text, this.cellFrom(at.mrr), this.cellTo(at.mrr), digits)
    if (amount === NOT_PLAIN || mrr === NOT_PLAIN) return false
    const termFrom = this.cellFrom(at.term_months)
    const termTo = this.cellTo(at.term_months)
    const term = termTo > termFrom ? spanWhole(text, termFrom, termTo) : NaN
    if (term === NOT_PLAIN) return false
    const typeFrom = this.cellFrom(at.type)
    const typeTo = this.cellTo(at.type)
    const customerFrom = this.cellFrom(at.customer)
    const customerTo = this.cellTo(at.customer)
    if (
      (typeTo > typeFrom && !isTrimmed(text, typeFrom, typeTo)) ||
      (customerTo > customerFrom && !isTrimmed(text, customerFrom, customerTo))
    )
      return false
    if (!this.plainShares(text, this.cellFrom(at.rep), this.cellTo(at.rep))) return false

    // Stored as `row` stores it.
    this.line = line
    const row = this.ids.length
    const id = text.slice(idFrom, idTo)
    this.ids.push(id)
    this.lines.push(row, line)
    const first = this.idSet.add(row)
    if (first >= 0) this.report(`duplicate id ${quote(id)} (also on line ${this.lines.lineOf(first)})`)
    this.shareStart.push(this.shareRep.length)
    const shares = this.shareIndex.length
    for (let k = 0; k < shares; k++) {
      this.shareRep.push(this.shareIndex[k] as number)
      this.shareMicro.push(this.shareParts[k] as number)
    }
    this.closedDay.push(closed)
    this.closedMs.push(NaN)
    this.cancelledDay.push(cancelled)
    this.cancelledMs.push(NaN)
    this.amountMinor.push(amount)
    this.mrrMinor.push(mrr)
    this.termMonths.push(term)
    this.type.push(this.typeSpans.intern(text, typeFrom, typeTo, INTERNED))
    // Customers go through the Interner with a cut string: interned by span, the reader kept
    // 71 MB more heap at 1 M deals (measured; the cause not found), so that was undone (ADR 0008).
    this.customer.push(this.customers.get(text.slice(customerFrom, customerTo)))
    return true
  }

  /** Where cell k of the current fast line starts, without its comma; 0 for an absent column. */
  private cellFrom(k: number): number {
    return k < 0 ? 0 : (this.cuts[k] as number) + 1
  }

  /** Where cell k of the current fast line ends; 0 for an absent column. */
  private cellTo(k: number): number {
    return k < 0 ? 0 : (this.cuts[k + 1] as number)
  }

  /** An empty money cell is 0; else the plain amount or NOT_PLAIN. */
  private plainMoney(text: string, a: number, b: number, digits: number): number {
    return b > a ? spanDecimal(text, a, b, digits) : 0
  }

  /**
   * `r1` or `r1:60;r2:40` without spaces, every rep known, each once, percentages > 0 with at
   * most 4 decimals adding up to exactly 100: into shareIndex/shareParts; false otherwise.
   */
  private plainShares(text: string, a: number, b: number): boolean {
    this.shareIndex.length = 0
    this.shareParts.length = 0
    let total = 0
    for (let p = a; p < b;) {
      let semi = text.indexOf(';', p)
      if (semi < 0 || semi > b) semi = b
      let colon = text.indexOf(':', p)
      if (colon < 0 || colon > semi) colon = -1
      const repTo = colon < 0 ? semi : colon
      if (!isTrimmed(text, p, repTo)) return false
      const index = this.repSpans.find(text, p, repTo)
      if (index < 0 || this.shareIndex.includes(index)) return false
      let micro = WHOLE_SHARE
      if (colon < 0) {
        if (p !== a || semi !== b) return false
      } else {
        micro = spanDecimal(text, colon + 1, semi, 4)
        if (micro <= 0 || semi - colon - 1 > 14) return false
      }
      this.shareIndex.push(index)
      this.shareParts.push(micro)
      total += micro
      p = semi + 1
      if (semi === b - 1) return false
    }
    return total === WHOLE_SHARE && this.shareIndex.length > 0
  }

  row(cells: readonly string[], line: number): void {
    const at = this.at
    if (at === null) return
    this.line = line

    const row = this.ids.length
    const id = cellAt(cells, at.id)
    this.ids.push(id)
    this.lines.push(row, line)
    if (at.id >= 0 && id === '') this.report('id is empty')
    if (id !== '') {
      const first = this.idSet.add(row)
      if (first >= 0) this.report(`duplicate id ${quote(id)} (also on line ${this.lines.lineOf(first)})`)
    }

    const firstShare = this.shareRep.length
    this.shareStart.push(firstShare)
    if (at.rep >= 0) this.readShares(cellAt(cells, at.rep))

    const closedText = cellAt(cells, at.closed_on)
    const cancelledText = cellAt(cells, at.cancelled_on)
    const closed = at.closed_on < 0 ? null : this.readDate('closed_on', closedText, true)
    const cancelled = this.readDate('cancelled_on', cancelledText, false)
    pushDateCell(this.closedDay, this.closedMs, closed)
    pushDateCell(this.cancelledDay, this.cancelledMs, cancelled)
    if (closed !== null && cancelled !== null) {
      this.checkOrder(closed, closedText, cancelled, cancelledText, firstShare)
    }

    this.amountMinor.push(this.readMoney('amount', cellAt(cells, at.amount)))
    this.mrrMinor.push(this.readMoney('mrr', cellAt(cells, at.mrr)))
    const term = cellAt(cells, at.term_months)
    const termMonths = term === '' ? NaN : parseWholeCell('term_months', term)
    if (typeof termMonths === 'string') this.report(termMonths)
    this.termMonths.push(typeof termMonths === 'string' ? NaN : termMonths)
    this.type.push(this.types.get(cellAt(cells, at.type)))
    this.customer.push(this.customers.get(cellAt(cells, at.customer)))
    this.extras.push(cells)

    for (const s of this.summed) {
      if (s.index < 0 || s.reported) continue
      const text = cellAt(cells, s.index)
      if (text === '' || DECIMAL_NUMBER.test(text)) continue
      s.reported = true
      this.report(`${s.field} ${quote(text)} is not a number (${s.by})`)
    }
  }

  finish(): DealTable {
    if (this.at === null) reportEmptyFile(this.file, REQUIRED, this.issues)
    this.shareStart.push(this.shareRep.length)
    return {
      length: this.ids.length,
      id: this.ids.take(),
      closedDay: this.closedDay.take(),
      closedMs: this.closedMs.take(),
      cancelledDay: this.cancelledDay.take(),
      cancelledMs: this.cancelledMs.take(),
      amountMinor: this.amountMinor.take(),
      mrrMinor: this.mrrMinor.take(),
      type: this.type.take(),
      customer: this.customer.take(),
      termMonths: this.termMonths.take(),
      shareStart: this.shareStart.take(),
      shareRep: this.shareRep.take(),
      shareMicro: this.shareMicro.take(),
      extras: this.extras.finish(),
    }
  }

  private report(message: string): void {
    this.issues.add(this.file, this.line, message)
  }

  /** `r1` (100%) or `r1:60;r2:40`: percentages > 0 with at most 4 decimals adding up to exactly 100. */
  private readShares(text: string): void {
    if (text === '') return this.report('rep is empty')
    if (this.plainShares(text, 0, text.length)) {
      // Plain shares of known reps (read as the fast path reads them): nothing to report.
      for (let k = 0; k < this.shareIndex.length; k++) {
        this.shareRep.push(this.shareIndex[k] as number)
        this.shareMicro.push(this.shareParts[k] as number)
      }
      return
    }
    if (!text.includes(':') && !text.includes(';')) return this.addShare(text, WHOLE_SHARE)
    let total = 0
    let wellFormed = true
    const seen: string[] = []
    for (const part of text.split(';')) {
      const share = parseShare(part.trim(), text)
      const problem =
        typeof share === 'string'
          ? share
          : seen.includes(share.rep)
            ? `rep ${quote(share.rep)} has two shares in one deal`
            : null
      if (typeof share === 'string' || problem !== null) {
        if (problem !== null) this.report(problem)
        wellFormed = false
      } else {
        seen.push(share.rep)
        total += share.micro
        this.addShare(share.rep, share.micro)
      }
    }
    if (wellFormed && total !== WHOLE_SHARE) {
      this.report(`shares add up to ${formatExact(ratio(BigInt(total), 10_000n))}, not 100`)
    }
  }

  private addShare(rep: string, micro: number): void {
    const index = this.context.repIndex.get(rep)
    if (index === undefined) this.report(`unknown rep ${quote(rep)}`)
    this.shareRep.push(index ?? -1)
    this.shareMicro.push(micro)
  }

  private readDate(column: string, text: string, required: boolean): DateOrInstant | null {
    if (text === '') {
      if (required) this.report(`${column} is empty`)
      return null
    }
    const day = spanDay(text, 0, text.length)
    if (day !== NOT_PLAIN) return { day }
    const value = parseDateCell(column, text)
    if (typeof value !== 'string') return value
    this.report(value)
    return null
  }

  private readMoney(column: string, text: string): number {
    if (text === '') return 0
    const plain = spanDecimal(text, 0, text.length, this.currency.digits)
    if (plain !== NOT_PLAIN) return plain
    const minor = parseMoneyCell(column, text, this.currency)
    if (typeof minor === 'number') return minor
    this.report(minor)
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
  ): void {
    const message = `cancelled_on ${cancelledText} is before closed_on ${closedText}`
    if (closed.ms === undefined && cancelled.ms === undefined) {
      if (cancelled.day < closed.day) this.report(message)
      return
    }
    if (closed.ms !== undefined && cancelled.ms !== undefined) {
      if (cancelled.ms < closed.ms) this.report(message)
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
        return this.report(`${message} in time zone ${zone.timeZone}`)
    }
  }
}
