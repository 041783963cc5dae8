import { describe, expect, it } from 'vitest'
import { formatInputIssue, IssueCollector } from './issues.ts'

describe('IssueCollector', () => {
  it('keeps the first issues up to the limit and counts the rest when there are more', () => {
    // Given a limit of 3
    const issues = new IssueCollector(3)
    // When 5 issues are added
    for (let line = 2; line <= 6; line++) issues.add('deals.csv', line, 'id is empty')
    // Then 3 are kept and 2 counted
    expect(issues.list().map((i) => i.line)).toEqual([2, 3, 4])
    expect(issues.more).toBe(2)
    expect(issues.count).toBe(5)
  })

  it('lists issues by file in the order first seen, then by line, when found out of order', () => {
    const issues = new IssueCollector()
    issues.add('reps.csv', 9, 'b')
    issues.add('reps.csv', 2, 'a')
    issues.add('deals.csv', 3, 'c')
    issues.add('reps.csv', 9, 'b2')
    expect(issues.list().map(formatInputIssue)).toEqual([
      'reps.csv:2: a',
      'reps.csv:9: b',
      'reps.csv:9: b2',
      'deals.csv:3: c',
    ])
  })

  it('has no issues when nothing was added', () => {
    const issues = new IssueCollector()
    expect(issues.count).toBe(0)
    expect(issues.more).toBe(0)
    expect(issues.list()).toEqual([])
  })
})

describe('formatInputIssue', () => {
  it('writes FILE:LINE: message when given an issue', () => {
    expect(
      formatInputIssue({ file: 'data/deals.csv', line: 14, message: 'shares add up to 99.99, not 100' }),
    ).toBe('data/deals.csv:14: shares add up to 99.99, not 100')
  })
})
