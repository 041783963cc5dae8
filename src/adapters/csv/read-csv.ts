import { StringDecoder } from 'node:string_decoder'

/** Receives each record with the physical line it starts on (the header is line 1). */
export interface CsvSink {
  record(cells: string[], line: number): void
  /** A record that is not valid CSV, at the line it starts on; the record is skipped. */
  error(line: number, message: string): void
  /**
   * Optional fast path (ADR 0008): a record after the header on one line without quotes, as the
   * span [start, end) of `text` (line break excluded). True when taken; false to receive it split
   * into cells through `record` (and checked against the header's cell count) as usual.
   */
  line?(text: string, start: number, end: number, line: number): boolean
}

const QUOTE = 34

/**
 * Reads RFC 4180 CSV from a byte stream: comma separated, LF or CRLF records, double quotes around
 * cells that hold commas, quotes (doubled) or line breaks, a UTF-8 BOM dropped, blank lines
 * skipped, every record checked against the header's cell count. Hand-written for the hot path of
 * imports and `calc` (ADR 0005): a line without a quote is split in one call.
 */
export async function readCsv(chunks: AsyncIterable<Buffer | string>, sink: CsvSink): Promise<void> {
  const parser = new CsvParser(sink)
  const decoder = new StringDecoder('utf8')
  // Bytes after the last line feed wait for the next chunk, so that the parser gets whole lines
  // in one flat string rather than a short tail joined to the next chunk (ADR 0008).
  let carry: Buffer | null = null
  for await (const chunk of chunks) {
    if (typeof chunk === 'string') {
      if (carry !== null) parser.feed(decoder.write(carry), false)
      carry = null
      parser.feed(chunk, false)
      continue
    }
    const bytes: Buffer = carry === null ? chunk : Buffer.concat([carry, chunk])
    const lf = bytes.lastIndexOf(10)
    if (lf < 0) {
      carry = bytes
      continue
    }
    parser.feed(decoder.write(bytes.subarray(0, lf + 1)), false)
    carry = lf + 1 < bytes.length ? Buffer.from(bytes.subarray(lf + 1)) : null
  }
  if (carry !== null) parser.feed(decoder.write(carry), false)
  parser.feed(decoder.end(), true)
}

class CsvParser {
  private pending = ''
  private line = 1
  private columns = -1
  private started = false

  constructor(private readonly sink: CsvSink) {}

  feed(text: string, final: boolean): void {
    let data = this.pending === '' ? text : this.pending + text
    if (!this.started && data.length > 0) {
      this.started = true
      if (data.charCodeAt(0) === 0xfeff) data = data.slice(1)
    }
    let pos = 0
    const end = data.length
    // The next quote at or after pos (end when none): found once, not once per line.
    let quote = -1
    while (pos < end) {
      let nl = data.indexOf('\n', pos)
      if (nl < 0) {
        if (!final) break
        nl = end
      }
      if (quote < pos) {
        quote = data.indexOf('"', pos)
        if (quote < 0) quote = end
      }
      if (quote > nl) {
        // The common case: a record on one line without quotes.
        const stop = nl > pos && data.charCodeAt(nl - 1) === 13 ? nl - 1 : nl
        if (stop > pos && !(this.columns >= 0 && this.sink.line?.(data, pos, stop, this.line) === true))
          this.emit(data.slice(pos, stop).split(','), this.line)
        this.line++
        pos = nl + 1
        continue
      }
      const next = this.quoted(data, pos, final)
      if (next < 0) break
      pos = next
    }
    this.pending = pos >= end ? '' : data.slice(pos)
  }

  /** Parses one record holding quotes from `pos`; the position after it, or -1 to wait for more text. */
  private quoted(data: string, pos: number, final: boolean): number {
    const start = this.line
    const cells: string[] = []
    let breaks = 0
    let i = pos
    for (;;) {
      if (data.charCodeAt(i) === QUOTE) {
        let cell = ''
        let j = i + 1
        for (;;) {
          const q = data.indexOf('"', j)
          if (q < 0) {
            if (!final) return -1
            this.sink.error(start, 'a quoted cell is never closed')
            this.line += 1 + countBreaks(data, pos, data.length)
            return data.length
          }
          if (q + 1 >= data.length && !final) return -1
          if (data.charCodeAt(q + 1) === QUOTE) {
            cell += data.slice(j, q + 1)
            j = q + 2
            continue
          }
          cell += data.slice(j, q)
          i = q + 1
          break
        }
        breaks += countBreaks(cell, 0, cell.length)
        cells.push(cell)
      } else {
        const comma = data.indexOf(',', i)
        let nl = data.indexOf('\n', i)
        if (nl < 0) {
          if (!final) return -1
          nl = data.length
        }
        const stop = comma >= 0 && comma < nl ? comma : nl
        const cellEnd = stop === nl && nl > i && data.charCodeAt(nl - 1) === 13 ? nl - 1 : stop
        const cell = data.slice(i, cellEnd)
        if (cell.includes('"'))
          return this.skipBroken(
            data,
            i,
            start,
            breaks,
            final,
            'a quote inside an unquoted cell (quote the whole cell and double the quotes inside)',
          )
        cells.push(cell)
        i = stop
      }
      // After a cell: a comma, the end of the record, or the end of the text.
      const c = data.charCodeAt(i)
      if (c === 44) {
        i++
        continue
      }
      if (i >= data.length) {
        if (!final) return -1
        this.emit(cells, start)
        this.line += 1 + breaks
        return i
      }
      if (c === 10 || (c === 13 && data.charCodeAt(i + 1) === 10)) {
        this.emit(cells, start)
        this.line += 1 + breaks
        return i + (c === 13 ? 2 : 1)
      }
      if (c === 13 && i + 1 >= data.length && !final) return -1
      return this.skipBroken(data, i, start, breaks, final, 'text after the closing quote of a cell')
    }
  }

  /** Reports a broken record and skips to the end of its line. */
  private skipBroken(
    data: string,
    from: number,
    start: number,
    breaks: number,
    final: boolean,
    message: string,
  ): number {
    const nl = data.indexOf('\n', from)
    if (nl < 0 && !final) return -1
    this.sink.error(start, message)
    this.line += 1 + breaks
    return nl < 0 ? data.length : nl + 1
  }

  private emit(cells: string[], line: number): void {
    if (this.columns < 0) this.columns = cells.length
    else if (cells.length !== this.columns) {
      this.sink.error(
        line,
        `${cells.length} ${cells.length === 1 ? 'cell' : 'cells'}, but the header has ${this.columns}`,
      )
      return
    }
    this.sink.record(cells, line)
  }
}

/** Line breaks in text: LF, CRLF or a lone CR each count once. */
function countBreaks(text: string, from: number, to: number): number {
  let n = 0
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k)
    if (c === 10) n++
    else if (c === 13 && text.charCodeAt(k + 1) !== 10) n++
  }
  return n
}
