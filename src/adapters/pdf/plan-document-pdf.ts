import type { PlanDocument } from '../../core/plans/plan-document.ts'

import { renderPdf, type PdfOptions } from './render-pdf.ts'

export type { PdfOptions } from './render-pdf.ts'

/**
 * The plan document as a PDF (A4, the standard Helvetica fonts), with the version and its hash on
 * the first page, in the document's metadata and in every page's footer. The creation date is the
 * version's publication, so one version always gives the same text.
 */
export async function renderPlanDocumentPdf(doc: PlanDocument, options: PdfOptions = {}): Promise<Buffer> {
  return renderPdf(
    {
      title: `${doc.planName} (${doc.planId}) version ${doc.version}`,
      subject: `sha256 ${doc.hash}`,
      createdAt: doc.publishedAt,
    },
    options,
    (pdf) => {
      write(pdf, doc)
      footers(pdf, doc)
    },
  )
}

function write(pdf: PDFKit.PDFDocument, doc: PlanDocument): void {
  const heading = (text: string): void => {
    pdf.moveDown(0.8).font('Helvetica-Bold').fontSize(13).text(text).moveDown(0.3)
    pdf.font('Helvetica').fontSize(10)
  }
  const sub = (text: string): void => {
    pdf.moveDown(0.4).font('Helvetica-Bold').fontSize(10.5).text(text)
    pdf.font('Helvetica').fontSize(10)
  }
  pdf.font('Helvetica-Bold').fontSize(18).text(doc.planName)
  pdf.font('Helvetica').fontSize(10)
  pdf.text(`Plan ${doc.planId}, version ${doc.version}, published ${doc.publishedAt}`)
  pdf.text(`${doc.currency}, by ${doc.period}, in ${doc.timezone}`)
  pdf.font('Courier').fontSize(8.5).text(`sha256 ${doc.hash}`)
  pdf.font('Helvetica').fontSize(10)

  heading('What the plan says')
  for (const sentence of doc.summary) pdf.text(sentence, { indent: 0, paragraphGap: 3, bulletRadius: 1.5 })

  heading('Rates')
  for (const t of doc.tiers) {
    sub(`${t.commission} commission on ${t.metric}`)
    pdf
      .fillColor('#444')
      .text(`${t.how}${t.goal === null ? '' : `; goal ${t.goal}`}`)
      .fillColor('black')
    for (const r of t.rows)
      pdf.text(`•  ${r.band}${r.values === '' ? '' : ` (${r.values})`}: ${r.rate}`, { indent: 8 })
    for (const line of [t.gate, t.cap]) if (line !== null) pdf.text(line, { indent: 8 })
  }

  heading(`Worked examples (${doc.examplePeriod})`)
  for (const x of doc.examples) {
    sub(`${x.commission} commission on ${x.metric}`)
    if (x.unavailable !== null) {
      pdf.text(`No worked example: ${x.unavailable}.`)
      continue
    }
    pdf.fillColor('#444').text(`With ${x.assumption}.`).fillColor('black')
    for (const w of x.examples) pdf.text(`•  ${w.sentence}`, { indent: 8, paragraphGap: 2 })
  }
  pdf.moveDown(0.8).fillColor('#444')
  for (const note of doc.notes) pdf.text(note, { paragraphGap: 2 })
  pdf.fillColor('black')
}

function footers(pdf: PDFKit.PDFDocument, doc: PlanDocument): void {
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
        `${doc.planId} version ${doc.version} · sha256 ${doc.hash} · page ${i + 1} of ${range.count}`,
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
