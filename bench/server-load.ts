// The server bench's second process: autocannon against a running server, and webhook deliveries
// of deals with the time until a rep's progress shows them. Started by bench/server-bench.ts with
// one JSON argument (a LoadTask); prints `RESULT <json>` on its last line.
import { createHmac } from 'node:crypto'
import autocannon from 'autocannon'

export type LoadTask =
  | {
      readonly kind: 'http'
      readonly url: string
      readonly cookie: string
      /** Requests per second offered (the goal's rate); 0 for as many as the server answers. */
      readonly rate: number
      readonly connections: number
      readonly seconds: number
      /**
       * With a rate: `lockstep` is autocannon's `overallRate` as it is (every connection's second
       * starts at once, so each second opens with all connections firing back to back); `spread`
       * starts one autocannon per connection (the same rate each), 1000/connections ms apart.
       */
      readonly pacing?: 'lockstep' | 'spread'
    }
  | {
      readonly kind: 'webhooks'
      readonly base: string
      readonly org: string
      readonly secret: string
      /** The server's clock minus this machine's (the signature's timestamp must be within 5 minutes of it). */
      readonly clockOffsetMs: number
      readonly deals: number
      readonly batch: number
      /** Deliveries in flight at once. */
      readonly parallel: number
      /** Reps credited with the new deals, in turn. */
      readonly reps: readonly string[]
      /** The rep whose progress is watched, with that rep's session cookie. */
      readonly watch: { readonly rep: string; readonly cookie: string; readonly metric: string }
      /** Single-deal deliveries for the watched rep, each timed until its progress shows the deal. */
      readonly probes: number
      readonly closedOn: string
    }

export interface HttpResult {
  readonly requestsPerSecond: number
  readonly p50: number
  readonly p99: number
  readonly max: number
  readonly total: number
  readonly non2xx: number
  readonly errors: number
}

export interface WebhookResult {
  readonly deals: number
  readonly seconds: number
  readonly dealsPerSecond: number
  /** Per probe: milliseconds from the delivery's answer until a progress request showed the deal. */
  readonly visibleAfterMs: readonly number[]
  /** Per probe: milliseconds of the first progress request after the delivery (a recompute). */
  readonly firstRequestMs: readonly number[]
}

type HttpTask = Extract<LoadTask, { kind: 'http' }>

async function http(task: HttpTask): Promise<HttpResult> {
  if (task.rate > 0 && task.pacing === 'spread') return spread(task)
  const result = await autocannon({
    url: task.url,
    connections: task.connections,
    duration: task.seconds,
    ...(task.rate > 0 ? { overallRate: task.rate } : {}),
    headers: { cookie: task.cookie },
  })
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  }
}

/**
 * One autocannon per connection, each at rate / connections and started 1000 / connections ms after
 * the previous one: the connections' seconds are spread over the second instead of all starting
 * at once. Latencies are every 2xx response's own (autocannon's 'response' event), not corrected.
 */
async function spread(task: HttpTask): Promise<HttpResult> {
  const latencies: number[] = []
  let non2xx = 0
  const one = (index: number) =>
    new Promise<autocannon.Result>((resolve, reject) => {
      setTimeout(
        () => {
          const instance = autocannon(
            {
              url: task.url,
              connections: 1,
              duration: task.seconds,
              overallRate: Math.round(task.rate / task.connections),
              headers: { cookie: task.cookie },
            },
            (error, result) => (error ? reject(error as Error) : resolve(result)),
          )
          instance.on('response', (_client, statusCode, _bytes, ms) => {
            if (statusCode >= 200 && statusCode < 300) latencies.push(ms)
            else non2xx++
          })
        },
        (index * 1000) / task.connections,
      )
    })
  const results = await Promise.all(Array.from({ length: task.connections }, (_, i) => one(i)))
  latencies.sort((a, b) => a - b)
  const at = (q: number): number =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN
  return {
    requestsPerSecond: results.reduce((sum, r) => sum + r.requests.average, 0),
    p50: at(0.5),
    p99: at(0.99),
    max: latencies.at(-1) ?? NaN,
    total: results.reduce((sum, r) => sum + r.requests.total, 0),
    non2xx,
    errors: results.reduce((sum, r) => sum + r.errors + r.timeouts, 0),
  }
}

async function webhooks(task: Extract<LoadTask, { kind: 'webhooks' }>): Promise<WebhookResult> {
  let sequence = 0
  const deliver = async (deals: readonly Record<string, unknown>[]): Promise<void> => {
    const body = JSON.stringify(deals)
    const stamp = String(Math.floor((Date.now() + task.clockOffsetMs) / 1000))
    const signature = `sha256=${createHmac('sha256', task.secret).update(`${stamp}.`).update(body).digest('hex')}`
    const res = await fetch(`${task.base}/api/webhooks/${task.org}/deals`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-followthrough-timestamp': stamp,
        'x-followthrough-signature': signature,
        'x-followthrough-delivery': `bench-${process.pid}-${++sequence}`,
      },
      body,
    })
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${await res.text()}`)
    const out = (await res.json()) as { counts: { added: number } }
    if (out.counts.added !== deals.length)
      throw new Error(`webhook added ${out.counts.added} of ${deals.length}`)
  }
  const deal = (id: string, rep: string) => ({
    id,
    rep,
    closed_on: task.closedOn,
    type: 'managed',
    customer: 'Bench Webhook Customer',
    mrr: '1000.00',
    term_months: 12,
  })

  // The bulk: batches of deals, `parallel` deliveries in flight.
  const batches: Record<string, unknown>[][] = []
  for (let i = 0; i < task.deals; i += task.batch) {
    const batch: Record<string, unknown>[] = []
    for (let j = i; j < Math.min(task.deals, i + task.batch); j++)
      batch.push(deal(`WH${process.pid}-${j}`, task.reps[j % task.reps.length] ?? ''))
    batches.push(batch)
  }
  const started = performance.now()
  let next = 0
  await Promise.all(
    Array.from({ length: task.parallel }, async () => {
      while (next < batches.length) await deliver(batches[next++] as Record<string, unknown>[])
    }),
  )
  const seconds = (performance.now() - started) / 1000

  // Probes: one deal for the watched rep, then its progress requested until it shows the deal.
  const valueNow = async (): Promise<{ value: string; ms: number }> => {
    const t = performance.now()
    const res = await fetch(`${task.base}/api/progress?rep=${task.watch.rep}`, {
      headers: { cookie: task.watch.cookie },
    })
    if (res.status !== 200) throw new Error(`progress answered ${res.status}: ${await res.text()}`)
    const out = (await res.json()) as { items: { metrics: { metric: string; value: string }[] }[] }
    const value = out.items[0]?.metrics.find((m) => m.metric === task.watch.metric)?.value ?? ''
    return { value, ms: performance.now() - t }
  }
  const visibleAfterMs: number[] = []
  const firstRequestMs: number[] = []
  for (let p = 0; p < task.probes; p++) {
    const before = (await valueNow()).value
    await deliver([deal(`WP${process.pid}-${p}`, task.watch.rep)])
    const delivered = performance.now()
    for (let tries = 0; ; tries++) {
      const now = await valueNow()
      if (tries === 0) firstRequestMs.push(now.ms)
      if (now.value !== before) break
      if (performance.now() - delivered > 60_000) throw new Error('the new deal never showed in progress')
    }
    visibleAfterMs.push(performance.now() - delivered)
  }
  return { deals: task.deals, seconds, dealsPerSecond: task.deals / seconds, visibleAfterMs, firstRequestMs }
}

async function main(): Promise<void> {
  const task = JSON.parse(process.argv[2] ?? '{}') as LoadTask
  const result = task.kind === 'http' ? await http(task) : await webhooks(task)
  console.log(`RESULT ${JSON.stringify(result)}`)
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error)
  process.exitCode = 1
})
