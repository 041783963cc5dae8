/** Receives the records of a CSV file, the header first, each with the line it starts on. */
export interface RecordSink {
  record(cells: string[], line: number): void
  /** A record that is not valid CSV, at the line it starts on; the record is skipped. */
  error(line: number, message: string): void
  /**
   * Called after each chunk of the file has been read into records, with the bytes read so far:
   * the next chunk is read only once the returned promise settles (writes keep pace with reading).
   */
  flush(bytesRead: number): Promise<void>
}

/** A CSV file to import: read once, each row checked, then stored (ADR 0010). */
export interface ImportSource {
  /** The name problems are reported under (`FILE:LINE: message`). */
  readonly name: string
  /** Its size in bytes, when known: progress can then tell the time left. */
  readonly size?: number
  /** Streams every record to the sink; resolves to the SHA-256 (hex) of the bytes read. */
  read(sink: RecordSink): Promise<string>
}
