import { createHash } from 'node:crypto'
import type { Mapping } from '../../core/imports/mapping.ts'
import { DomainError } from '../../core/domain-error.ts'
import type { InputIssue } from '../../core/records/records.ts'
import { importFile, type ImportCounts } from '../import/import-file.ts'
import type { ImportSource } from '../import/import-source.ts'
import type { Database, Queryable } from '../ports/sql.ts'
import { recordsToRows, type DeliveryProblem } from './records-to-rows.ts'

export type DeliveryKind = 'deals' | 'activities'

export interface Delivery {
  readonly orgId: string
  readonly kind: DeliveryKind
  /** The sender's id of this delivery: the same id twice is stored once. */
  readonly deliveryId: string
  readonly rawBody: Uint8Array
  /** How to read the sender's records; without one they are canonical records. */
  readonly mapping?: Mapping
  readonly now: Date
}

export interface DeliveryOutcome {
  readonly deliveryId: string
  /** True when this delivery id was stored before: nothing was done this time. */
  readonly duplicate: boolean
  readonly importId: string | null
  readonly counts: Pick<ImportCounts, 'rows' | 'added' | 'changed' | 'unchanged' | 'skipped'>
}

/** A delivery refused whole, with every problem; nothing of it is stored. */
export class DeliveryRejected extends DomainError {
  constructor(message: string, problems: readonly DeliveryProblem[], more = 0) {
    super('webhook.invalid', message, { problems, more })
  }
}

/**
 * Stores one signed delivery of deals or activities inside the caller's transaction (scoped to the
 * organization): the records are checked whole exactly as an imported file of that kind is, then
 * upserted by record id as imports do (a changed record updated with its history, an unchanged one
 * left alone), and the delivery is recorded by its id. A delivery id seen before returns the first
 * outcome and stores nothing; the same id with another body is refused. Any problem and nothing is
 * stored: DeliveryRejected lists every problem.
 */
export async function receiveDelivery(
  tx: Queryable,
  dbKind: Database['kind'],
  d: Delivery,
): Promise<DeliveryOutcome> {
  const bodySha = createHash('sha256').update(d.rawBody).digest('hex')
  // Two copies of one delivery arriving together: the second waits, then finds the first.
  if (dbKind === 'postgres')
    await tx.query(`select pg_advisory_xact_lock(hashtext(current_schema() || ':' || $1))`, [
      `webhook:${d.orgId}:${d.deliveryId}`,
    ])
  const [seen] = await tx.query<{
    kind: string
    body_sha256: string
    import_id: string | null
    result: unknown
  }>('select kind, body_sha256, import_id, result from webhook_deliveries where org_id = $1 and id = $2', [
    d.orgId,
    d.deliveryId,
  ])
  if (seen !== undefined) {
    if (seen.body_sha256 !== bodySha || seen.kind !== d.kind) {
      throw new DomainError(
        'webhook.conflict',
        `The delivery ${d.deliveryId} was received before with another body or kind; send changes under a new delivery id.`,
        { delivery: d.deliveryId },
      )
    }
    return {
      deliveryId: d.deliveryId,
      duplicate: true,
      importId: seen.import_id,
      counts: seen.result as DeliveryOutcome['counts'],
    }
  }
  if (d.mapping !== undefined && d.mapping.kind !== d.kind) {
    throw new DeliveryRejected(`The mapping ${d.mapping.name} reads ${d.mapping.kind}, not ${d.kind}.`, [])
  }
  const shaped = recordsToRows(d.rawBody)
  if (!shaped.ok) throw new DeliveryRejected('The delivery is not an array of records.', shaped.problems)

  const outcome = await importFile(joined(tx, dbKind), {
    orgId: d.orgId,
    kind: d.kind,
    file: rowsSource(`delivery ${d.deliveryId}`, shaped.header, shaped.rows, bodySha),
    ...(d.mapping === undefined ? {} : { mapping: d.mapping }),
    actor: `webhook:${d.deliveryId}`,
    now: d.now,
    issueLimit: 1000,
  })
  if (!outcome.ok) {
    throw new DeliveryRejected(
      `The delivery has ${outcome.issues.length + outcome.more} problem(s); nothing was stored.`,
      outcome.issues.map(toProblem),
      outcome.more,
    )
  }
  const { rows, added, changed, unchanged, skipped } = outcome.counts
  const counts = { rows, added, changed, unchanged, skipped }
  await tx.query(
    `insert into webhook_deliveries (org_id, id, kind, received_at, status, body_sha256, import_id, result)
     values ($1, $2, $3, $4, 'stored', $5, $6, $7)`,
    [d.orgId, d.deliveryId, d.kind, d.now.toISOString(), bodySha, outcome.importId, JSON.stringify(counts)],
  )
  return { deliveryId: d.deliveryId, duplicate: false, importId: outcome.importId, counts }
}

/** A row's problem as the sender's record number: the header is line 1, record n is line n + 1. */
function toProblem(issue: InputIssue): DeliveryProblem {
  return { record: issue.line >= 2 ? issue.line - 1 : null, message: issue.message }
}

/** Rows already in memory as an import source: header on line 1, row i on line i + 2. */
function rowsSource(name: string, header: string[], rows: string[][], sha: string): ImportSource {
  return {
    name,
    read: async (sink) => {
      sink.record([...header], 1)
      rows.forEach((cells, i) => sink.record([...cells], i + 2))
      await sink.flush(rows.length)
      return sha
    },
  }
}

/** The caller's transaction as a Database: the import's own transaction joins it. */
function joined(tx: Queryable, kind: Database['kind']): Database {
  return {
    kind,
    query: (sql, params) => tx.query(sql, params),
    exec: (sql) => tx.exec(sql),
    transaction: (fn) => fn(tx),
    close: () => Promise.reject(new Error('A delivery does not close the database.')),
  }
}
