import { describe, expect, it } from 'vitest'
import { describeFailure, isRefusal, retryDelayMs } from './job-handler.ts'

describe('retryDelayMs', () => {
  it.each([
    { attempt: 1, ms: 5_000 },
    { attempt: 2, ms: 10_000 },
    { attempt: 4, ms: 40_000 }, // 5 s × 2³
    { attempt: 20, ms: 3_600_000 }, // capped at an hour
  ])('waits $ms ms before retry $attempt from a 5 s base', ({ attempt, ms }) => {
    expect(retryDelayMs(attempt, 5_000)).toBe(ms)
  })
})

describe('isRefusal', () => {
  it('tells a refusal with a stable code from a crash', () => {
    expect(isRefusal(Object.assign(new Error('closed'), { code: 'close.closed' }))).toBe(true)
    expect(isRefusal(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(false)
    expect(isRefusal(new Error('boom'))).toBe(false)
  })
  it('keeps the issues of a refusal for pollers', () => {
    const error = Object.assign(new Error('bad file'), { code: 'close.bad_data', issues: [{ line: 2 }] })
    expect(describeFailure(error)).toEqual({
      code: 'close.bad_data',
      message: 'bad file',
      details: { issues: [{ line: 2 }] },
    })
  })
})
