import { createHash } from 'node:crypto'
import { createReadStream, statSync } from 'node:fs'
import type { ImportSource, RecordSink } from '../../app/import/import-source.ts'
import { readCsv } from '../csv/read-csv.ts'

/** Chunks of a byte stream, hashed and counted, each followed by the sink's flush. */
async function* paced(
  chunks: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  sink: RecordSink,
  hash: ReturnType<typeof createHash>,
): AsyncGenerator<Buffer | string> {
  let bytes = 0
  for await (const chunk of chunks) {
    hash.update(chunk)
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length
    yield chunk
    await sink.flush(bytes)
  }
}

async function readInto(
  chunks: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  sink: RecordSink,
): Promise<string> {
  const hash = createHash('sha256')
  await readCsv(paced(chunks, sink, hash), sink)
  return hash.digest('hex')
}

/**
 * A CSV file on disk, streamed through the RFC 4180 reader in chunks of 256 KiB: each is read
 * and checked without yielding, and meanwhile pg cannot send the next batch to a server that has
 * finished the one before (ADR 0010); 1 MiB held JavaScript about 0.1 s at a time.
 */
export function fileSource(path: string, name = path): ImportSource {
  const size = statSync(path).size
  return {
    name,
    size,
    read: (sink) => readInto(createReadStream(path, { highWaterMark: 1 << 18 }), sink),
  }
}

/** CSV text already in memory (an upload, a test), read in chunks of 64 KiB. */
export function textSource(name: string, text: string): ImportSource {
  const bytes = Buffer.from(text, 'utf8')
  const chunks = function* (): Generator<Buffer> {
    for (let at = 0; at < bytes.length; at += 1 << 16) yield bytes.subarray(at, at + (1 << 16))
  }
  return { name, size: bytes.length, read: (sink) => readInto(chunks(), sink) }
}
