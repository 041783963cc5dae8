import { describe, expect, it } from 'vitest'
import {
  ExtraColumnsBuilder,
  IdSet,
  Interner,
  LineIndex,
  StringColumn,
  float64Column,
  int32Column,
} from './columns.ts'

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

  it('hands over its one array without copying when the expected size was right', () => {
    const column = int32Column(1000)
    for (let i = 0; i < 990; i++) column.push(i)
    const values = column.take()
    expect(values.length).toBe(990)
    expect(values.buffer.byteLength).toBe(4000)
  })

  it('keeps every value when more come than expected', () => {
    const column = int32Column(10)
    for (let i = 0; i < 100_000; i++) column.push(i)
    expect(column.at(5)).toBe(5)
    expect(column.at(70_000)).toBe(70_000)
    const values = column.take()
    expect(values.length).toBe(100_000)
    expect(values[99_999]).toBe(99_999)
    expect(values.buffer.byteLength).toBe(400_000)
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

describe('StringColumn', () => {
  it('returns exactly the pushed values when fewer come than expected', () => {
    const column = new StringColumn(5)
    column.push('a')
    column.push('b')
    expect(column.take()).toEqual(['a', 'b'])
  })
})

describe('LineIndex', () => {
  it('gives back the line of any row when cells span lines', () => {
    // rows 0-2 on lines 2-4; row 3 spans lines 5-7; rows 4-5 on lines 8-9; a blank line; row 6 on 11
    const index = new LineIndex()
    const lines = [2, 3, 4, 5, 8, 9, 11]
    lines.forEach((line, row) => index.push(row, line))
    expect(lines.map((_, row) => index.lineOf(row))).toEqual(lines)
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
