import { describe, expect, it } from 'vitest'
import { ExtraColumnsBuilder, IdSet, Interner, float64Column, int32Column } from './columns.ts'

describe('NumberColumn', () => {
  it('returns every value in an exact-size array when grown over several chunks', () => {
    const column = int32Column()
    const n = 200_003
    for (let i = 0; i < n; i++) column.push(i * 3)
    expect(column.length).toBe(n)
    expect(column.at(150_000)).toBe(450_000)
    const values = column.take()
    expect(values).toBeInstanceOf(Int32Array)
    expect(values.length).toBe(n)
    expect(values[0]).toBe(0)
    expect(values[65_536]).toBe(196_608)
    expect(values[n - 1]).toBe((n - 1) * 3)
  })

  it('keeps NaN when it holds doubles', () => {
    const column = float64Column()
    column.push(NaN)
    column.push(1.5)
    expect([...column.take()]).toEqual([NaN, 1.5])
  })
})

describe('IdSet', () => {
  it('finds the earlier row of a repeated id when the table has grown', () => {
    const ids: string[] = []
    const set = new IdSet(ids)
    for (let i = 0; i < 5000; i++) {
      ids.push(`d${i}`)
      expect(set.add(i)).toBe(-1)
    }
    ids.push('d1234')
    expect(set.add(5000)).toBe(1234)
  })
})

describe('Interner', () => {
  it('returns the first equal string when a value repeats and passes new values through past the limit', () => {
    const interner = new Interner(1)
    const a = interner.get(['man', 'aged'].join(''))
    expect(interner.get('managed')).toBe(a)
    expect(interner.get('project')).toBe('project')
  })
})

describe('ExtraColumnsBuilder', () => {
  it('marks a column numeric with its largest scale when every non-empty cell is a decimal', () => {
    const builder = new ExtraColumnsBuilder([
      { name: 'seats', index: 0 },
      { name: 'region', index: 1 },
    ])
    builder.push([' 12 ', 'EMEA'])
    builder.push(['', '1'])
    builder.push(['-3.125', ''])
    const extras = builder.finish()
    expect(extras.get('seats')).toEqual({ numeric: true, scale: 3, values: ['12', '', '-3.125'] })
    expect(extras.get('region')).toEqual({ numeric: false, scale: 0, values: ['EMEA', '1', ''] })
  })
})
