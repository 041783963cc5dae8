import PDFDocument from 'pdfkit'

/** Options for tests: `compress: false` leaves the page text readable in the file. */
export interface PdfOptions {
  readonly compress?: boolean
}

/**
 * An A4 PDF (the standard Helvetica fonts, pages buffered so footers can be drawn last): `draw`
 * writes the pages; the metadata's creation date comes from the document (`createdAt`, ISO text), so
 * one document always gives the same bytes.
 */
export async function renderPdf(
  meta: { title: string; subject: string; createdAt: string },
  options: PdfOptions,
  draw: (pdf: PDFKit.PDFDocument) => void,
): Promise<Buffer> {
  const created = new Date(meta.createdAt)
  const pdf = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 64, left: 56, right: 56 },
    compress: options.compress ?? true,
    bufferPages: true,
    info: {
      Title: meta.title,
      Subject: meta.subject,
      Creator: 'Followthrough',
      CreationDate: Number.isNaN(created.getTime()) ? new Date(0) : created,
    },
  })
  const chunks: Buffer[] = []
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk))
  const finished = new Promise<void>((resolve, reject) => {
    pdf.on('end', resolve)
    pdf.on('error', reject)
  })
  draw(pdf)
  pdf.end()
  await finished
  return Buffer.concat(chunks)
}
