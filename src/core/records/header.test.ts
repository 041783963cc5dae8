import { describe, expect, it } from 'vitest'
import { cellAt, matchHeader } from './header.ts'
import { formatInputIssue, IssueCollector } from './issues.ts'

describe('matchHeader', () => {
  it('matches names case-insensitively after trimming when the first cell has a BOM', () => {
    const issues = new IssueCollector()
    const header = matchHeader(
      ['\uFEFF ID', ' Rep ', 'CLOSED_ON', 'Deal Owner'],
      1,
      ['id', 'rep', 'closed_on'],
      ['id'],
      'deals.csv',
      issues,
    )
    expect(Object.fromEntries(header.columns)).toEqual({ id: 0, rep: 1, closed_on: 2 })
    expect(header.extras).toEqual([{ name: 'deal owner', index: 3 }])
    expect(header.names).toEqual(['id', 'rep', 'closed_on', 'deal owner'])
    expect(issues.count).toBe(0)
  })

  it('reports each missing required column at the header line when absent', () => {
    const issues = new IssueCollector()
    matchHeader(['id'], 1, ['id', 'rep', 'closed_on'], ['id', 'rep', 'closed_on'], 'deals.csv', issues)
    expect(issues.list().map(formatInputIssue)).toEqual([
      'deals.csv:1: missing column "rep"',
      'deals.csv:1: missing column "closed_on"',
    ])
  })

  it('reports a column named twice when two headers differ only in case', () => {
    const issues = new IssueCollector()
    matchHeader(['id', 'Region', 'REGION'], 1, ['id'], ['id'], 'deals.csv', issues)
    expect(issues.list().map(formatInputIssue)).toEqual(['deals.csv:1: duplicate column "region"'])
  })

  it('ignores a column without a name when the header has an empty cell', () => {
    const issues = new IssueCollector()
    const header = matchHeader(['id', ''], 1, ['id'], ['id'], 'reps.csv', issues)
    expect(header.extras).toEqual([])
    expect(issues.count).toBe(0)
  })
})

describe('cellAt', () => {
  it('trims the cell when it has surrounding spaces', () => {
    expect(cellAt(['  a b  '], 0)).toBe('a b')
  })

  it('is empty when the column is absent or the record short', () => {
    expect(cellAt(['a'], -1)).toBe('')
    expect(cellAt(['a'], 3)).toBe('')
  })
})
