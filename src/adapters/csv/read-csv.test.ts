import { Readable } from 'node:stream'
import { parse } from 'csv-parse/sync'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { readCsv } from './read-csv.ts'

async function collect(chunks: string[]) {
  const records: [number, string[]][] = []
  const errors: [number, string][] = []
  await readCsv(Readable.from(chunks.map((c) => Buffer.from(c))), {
    record: (cells, line) => records.push([line, cells]),
    error: (line, message) => errors.push([line, message]),
  })
  return { records, errors }
}

describe('readCsv', () => {
  it('reads quoted cells with commas, doubled quotes and line breaks, with the line each record starts on', async () => {
    const text = '\uFEFFid,note\r\nd1,"a, b"\r\nd2,"say ""hi"""\r\n\r\nd3,"two\r\nlines"\r\nd4,x\r\n'
    expect((await collect([text])).records).toEqual([
      [1, ['id', 'note']],
      [2, ['d1', 'a, b']],
      [3, ['d2', 'say "hi"']],
      [5, ['d3', 'two\r\nlines']],
      [7, ['d4', 'x']],
    ])
  })

  it('reports broken records at their line and goes on', async () => {
    const text = 'a,b\n1,2,3\n1,x"y\n"1"z,2\n4,5\n"6,7\n'
    const out = await collect([text])
    expect(out.records).toEqual([
      [1, ['a', 'b']],
      [5, ['4', '5']],
    ])
    expect(out.errors).toEqual([
      [2, '3 cells, but the header has 2'],
      [3, 'a quote inside an unquoted cell (quote the whole cell and double the quotes inside)'],
      [4, 'text after the closing quote of a cell'],
      [6, 'a quoted cell is never closed'],
    ])
  })

  it('reads the same records as csv-parse however the bytes are chunked', async () => {
    const cell = fc.oneof(
      fc.stringMatching(/^[a-z0-9 .:;-]{0,6}$/),
      fc.string({ maxLength: 6 }).map((s) => `"${s.replaceAll('"', '""')}"`),
      fc.constantFrom('"x\ny"', '"é,€"', '""'),
    )
    const row = fc.array(cell, { minLength: 3, maxLength: 3 }).map((cells) => cells.join(','))
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { minLength: 1, maxLength: 8 }),
        fc.constantFrom('\n', '\r\n'),
        fc.integer({ min: 1, max: 7 }),
        async (rows, eol, size) => {
          const text = rows.join(eol) + eol
          const expected = (parse(text, { bom: true, skip_empty_lines: true }) as string[][]).filter(
            (r) => !(r.length === 1 && r[0] === ''),
          )
          const bytes = Buffer.from(text)
          // split at arbitrary byte offsets (a multi-byte character may straddle two chunks)
          const out: [number, string[]][] = []
          const pieces: Buffer[] = []
          for (let k = 0; k < bytes.length; k += size) pieces.push(bytes.subarray(k, k + size))
          await readCsv(Readable.from(pieces), { record: (c, l) => out.push([l, c]), error: () => undefined })
          expect(out.map(([, c]) => c)).toEqual(expected.filter((r) => r.length === 3))
        },
      ),
      { numRuns: 150 },
    )
  })
})
