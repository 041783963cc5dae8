import { once } from 'node:events'
import { createWriteStream, type WriteStream } from 'node:fs'

const CHUNK_CHARS = 1 << 20

/**
 * A CSV file written in chunks of about a megabyte, honouring the stream's backpressure, so that
 * files of any size are written without holding them in memory.
 */
export class CsvFile {
  private readonly stream: WriteStream
  private parts: string[] = []
  private chars = 0
  private full = false

  constructor(
    readonly path: string,
    header: readonly string[],
  ) {
    this.stream = createWriteStream(path, { encoding: 'utf8' })
    this.line(header.join(','))
  }

  /** Appends one row; the cells are quoted as RFC 4180 asks. */
  row(cells: readonly string[]): void {
    let text = ''
    for (let i = 0; i < cells.length; i++) text += (i === 0 ? '' : ',') + csvCell(cells[i] as string)
    this.line(text)
  }

  /** Appends one line as is (no quoting). */
  line(text: string): void {
    this.parts.push(text, '\n')
    this.chars += text.length + 1
    if (this.chars >= CHUNK_CHARS) this.flush()
  }

  /** Waits while the stream's buffer is full; call it between batches of rows. */
  async drained(): Promise<void> {
    if (!this.full) return
    await once(this.stream, 'drain')
    this.full = false
  }

  async close(): Promise<void> {
    this.flush()
    const finished = once(this.stream, 'finish')
    this.stream.end()
    await finished
  }

  private flush(): void {
    if (this.chars === 0) return
    if (!this.stream.write(this.parts.join(''))) this.full = true
    this.parts = []
    this.chars = 0
  }
}

/** A cell as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break. */
export function csvCell(text: string): string {
  if (!/[",\r\n]/.test(text)) return text
  return `"${text.replace(/"/g, '""')}"`
}
