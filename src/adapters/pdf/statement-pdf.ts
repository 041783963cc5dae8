import type { statementFor } from '../../app/payouts/payouts.ts'
import { type Currency, formatMoneyForPeople } from '../../core/money/money.ts'
import { formatFixed, mul, parseDecimal, ratio } from '../../core/money/rational.ts'
import { renderPdf, type PdfOptions } from './render-pdf.ts'

/** A rep's statement as `statementFor` gives it. */
export type Statement = Awaited<ReturnType<typeof statementFor>>

/** What the statement PDF prints: the statement, whose it is, and the organization's currency. */
export interface StatementPdfInput {
  readonly organization: string
  readonly repId: string
  readonly repName: string | null
  readonly period: string
  readonly currency: Currency
  readonly statement: Statement
}

/**
 * A rep's statement of a closed period as a PDF (A4, the standard Helvetica fonts): metrics, lines,
 * outcomes, payout and balance, year to date, the acknowledgement and disputes, and the ledger head
 * (seq and hash) in the header block and in every page's footer, so that a printed statement can be
 * checked against the chain later. The creation date is the close's, so one close gives one text.
 */
export async function renderStatementPdf(
  input: StatementPdfInput,
  options: PdfOptions = {},
): Promise<Buffer> {
  const s = input.statement
  return renderPdf(
    {
      title: `Statement ${input.repId} ${input.period}`,
      subject: `ledger head ${s.head.seq} sha256 ${s.head.hash}`,
      createdAt: s.closedAt,
    },
    options,
    (pdf) => {
      write(pdf, input)
      footers(pdf, input)
    },
  )
}

function write(pdf: PDFKit.PDFDocument, input: StatementPdfInput): void {
  const s = input.statement
  const money = (minor: number | bigint): string => formatMoneyForPeople(BigInt(minor), input.currency)
  const heading = (text: string): void => {
    pdf.moveDown(0.8).font('Helvetica-Bold').fontSize(13).text(text).moveDown(0.3)
    pdf.font('Helvetica').fontSize(10)
  }
  const row = (label: string, value: string): void => {
    // Both columns start on one page: a new page first when the row would not fit.
    if (pdf.y + 2 * pdf.currentLineHeight(true) > pdf.page.height - pdf.page.margins.bottom) pdf.addPage()
    const y = pdf.y
    const left = pdf.page.margins.left
    const width = pdf.page.width - left - pdf.page.margins.right
    pdf.text(label, left, y, { width: width - 140 })
    const after = pdf.y
    pdf.text(value, left + width - 140, y, { width: 140, align: 'right' })
    pdf.x = left
    pdf.y = Math.max(after, pdf.y)
  }

  pdf.font('Helvetica-Bold').fontSize(18).text(`Statement ${input.period}`)
  pdf.font('Helvetica').fontSize(10)
  pdf.text(
    `${input.repName === null ? input.repId : `${input.repName} (${input.repId})`}, ${input.organization}`,
  )
  pdf.text(`Closed ${s.closedAt}; amounts in ${input.currency.code}`)
  pdf.font('Courier').fontSize(8.5).text(`Ledger head ${s.head.seq}: sha256 ${s.head.hash}`)
  pdf.font('Helvetica').fontSize(10)

  const r = s.result
  if (r === null) {
    heading('Nothing computed')
    pdf.text('Nothing was computed for this rep in this period.')
  } else {
    heading('Metrics')
    for (const [id, m] of Object.entries(r.metrics)) {
      const show = (v: number): string => (s.moneyMetrics.includes(id) ? money(v) : String(v))
      const goal = m.quota === null ? '' : ` of ${show(m.quota)}`
      const pct = m.attainment === null ? '' : ` (${percent(m.attainment)})`
      row(id, `${show(m.value)}${goal}${pct}`)
    }
    heading('Lines')
    if (r.lines.length === 0) pdf.text('No lines.')
    for (const l of r.lines) {
      const name = l.kind === 'adjustment' ? 'prior-period adjustment' : l.kind
      const what = `${name}${l.rule === undefined ? '' : ` ${l.rule}`}${l.deal === undefined ? '' : ` (deal ${l.deal})`}`
      const extra = [
        l.forfeited === 0 ? '' : `forfeited ${money(l.forfeited)}`,
        l.capped === 0 ? '' : `capped ${money(l.capped)}`,
      ].filter((t) => t !== '')
      row(extra.length === 0 ? what : `${what}; ${extra.join(', ')}`, money(l.amount))
    }
    for (const ref of s.adjustments) for (const t of adjustmentText(ref, money)) pdf.fillColor('#444').text(t)
    pdf.fillColor('black')
    heading('Outcomes')
    if (r.outcomes.length === 0) pdf.text('No rule came due.')
    for (const o of r.outcomes)
      pdf.text(`•  ${o.rule}: ${effectsText(o.effects as Record<string, unknown>, money)}`)
    heading('Totals')
    row('Payout', money(r.payout))
    row('Balance owed', money(r.balance))
    row(`Year to date (${input.period.slice(0, 4)})`, money(s.yearToDateMinor))
    if (r.warnings.length > 0) {
      pdf.moveDown(0.5).fillColor('#444')
      for (const w of r.warnings) pdf.text(`Note: ${w}`)
      pdf.fillColor('black')
    }
  }
  if (r === null) row(`Year to date (${input.period.slice(0, 4)})`, money(s.yearToDateMinor))

  const notes = noteLines(s.notes, money)
  if (notes.length > 0) {
    heading('Acknowledgement and disputes')
    for (const n of notes) pdf.text(n, { paragraphGap: 2 })
  }
}

function noteLines(notes: Statement['notes'], money: (minor: bigint) => string): string[] {
  const out: string[] = []
  const a = notes.acknowledgement
  const ack = a?.acknowledgement ?? null
  if (a !== null && (ack === null || (a.closedAt !== null && ack.acknowledgedAt > a.closedAt)))
    out.push(
      `${a.repId} had not acknowledged ${a.planId} v${a.version} (sha256 ${a.hash}), the plan version in force for ${a.period}` +
        (ack === null ? '.' : `, when it was closed (acknowledged on ${ack.acknowledgedAt}).`),
    )
  else if (a !== null && ack !== null)
    out.push(`Plan ${a.planId} v${a.version} acknowledged as "${ack.typedName}" on ${ack.acknowledgedAt}.`)
  for (const d of notes.disputes) {
    const line = `${d.line.kind}${d.line.rule === null ? '' : ` ${d.line.rule}`} ${money(BigInt(d.line.amountMinor))}`
    out.push(
      `Dispute ${d.id} of ledger entry ${d.ledgerSeq} (${line}): ${d.state}${d.reason === null ? '' : `, ${d.reason}`}. "${d.message}"`,
    )
  }
  for (const x of notes.disputeAdjustments)
    out.push(
      `Adjustment of dispute ${x.disputeId} (a line of ${x.disputedPeriod}): ${money(x.amountMinor)}, ledger entry ${x.ledgerSeq}.`,
    )
  return out
}

/** A fired rule's effects in words. */
function effectsText(effects: Record<string, unknown>, money: (minor: number) => string): string {
  const parts = Object.entries(effects).map(([key, value]) => {
    if (key === 'bonus' && typeof value === 'number') return `bonus ${money(value)}`
    if (typeof value === 'string' || typeof value === 'number') return `${key.replaceAll('_', ' ')} ${value}`
    if (Array.isArray(value)) return `${key} ${value.join(', ')}`
    return `${key.replaceAll('_', ' ')} ${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k} ${String(v)}`)
      .join(', ')}`
  })
  return parts.length === 0 ? 'no effect' : parts.join('; ')
}

/** The closed periods behind a prior-period adjustment, one line per period. */
function adjustmentText(ref: Record<string, unknown>, money: (minor: bigint) => string): string[] {
  const periods = Array.isArray(ref.periods) ? (ref.periods as Record<string, unknown>[]) : []
  const amount = (v: unknown): string => money(BigInt(typeof v === 'string' ? v : '0'))
  return periods.map(
    (p) =>
      `    for ${String(p.period)} (closed ${String(p.closedAt)}): ${amount(p.beforeMinor)} then, ${amount(p.afterMinor)} now`,
  )
}

function percent(attainment: string): string {
  const parsed = parseDecimal(attainment)
  return parsed === null ? attainment : `${formatFixed(mul(parsed, ratio(100n)), 1)}%`
}

function footers(pdf: PDFKit.PDFDocument, input: StatementPdfInput): void {
  const s = input.statement
  const range = pdf.bufferedPageRange()
  for (let i = range.start; i < range.start + range.count; i++) {
    pdf.switchToPage(i)
    const bottom = pdf.page.margins.bottom
    pdf.page.margins.bottom = 0
    pdf
      .font('Helvetica')
      .fontSize(7.5)
      .fillColor('#444')
      .text(
        `${input.repId} ${input.period} · ledger head ${s.head.seq} sha256 ${s.head.hash} · page ${i + 1} of ${range.count}`,
        pdf.page.margins.left,
        pdf.page.height - 40,
        {
          width: pdf.page.width - pdf.page.margins.left - pdf.page.margins.right,
          align: 'center',
          lineBreak: false,
        },
      )
    pdf.page.margins.bottom = bottom
  }
}
