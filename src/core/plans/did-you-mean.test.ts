import { describe, expect, it } from 'vitest'
import { didYouMean, editDistance } from './did-you-mean.ts'

describe('editDistance', () => {
  it.each([
    { a: 'tier', b: 'tiers', distance: 1 },
    { a: 'kitten', b: 'sitting', distance: 3 },
    { a: '', b: 'abc', distance: 3 },
    { a: 'same', b: 'same', distance: 0 },
  ])('counts $distance edits when turning $a into $b', ({ a, b, distance }) => {
    expect(editDistance(a, b)).toBe(distance)
  })
})

describe('didYouMean', () => {
  it('suggests the closest key when a word is one edit away', () => {
    expect(didYouMean('tier', ['id', 'on', 'rate', 'tiers', 'tiered'])).toBe('tiers')
  })

  it('prefers the candidate sharing the longest prefix when two are equally close', () => {
    // Given USX, one edit from both UGX and USD
    expect(didYouMean('USX', ['UGX', 'USD'])).toBe('USD')
  })

  it('suggests the same word in its written case when only the case differs', () => {
    expect(didYouMean('america/chicago', ['America/Chicago', 'America/Denver'])).toBe('America/Chicago')
  })

  it('suggests nothing when no candidate is close', () => {
    expect(didYouMean('bonus', ['id', 'on', 'rate', 'tiers'])).toBeNull()
  })
})
