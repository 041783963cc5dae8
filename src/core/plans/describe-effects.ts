import { formatMoneyForPeople } from '../money/money.ts'
import { describeCondition } from './describe-condition.ts'
import { formatNumber, formatPercent, listWords } from './format-for-people.ts'
import type { Effects, Plan } from './plan.ts'

/** The effects of a rule in words, in the order the plan wrote them ("1 day of paid time off and a 500.00 USD bonus"). */
export function describeEffects(effects: Effects, plan: Plan): string {
  const words = effects.order.flatMap((key): string[] => {
    switch (key) {
      case 'bonus':
        return effects.bonusMinor === undefined
          ? []
          : [`a ${formatMoneyForPeople(effects.bonusMinor, plan.currency)} bonus`]
      case 'pto_days': {
        if (effects.ptoDays === undefined) return []
        const one = effects.ptoDays.n === 1n && effects.ptoDays.d === 1n
        return [`${formatNumber(effects.ptoDays)} ${one ? 'day' : 'days'} of paid time off`]
      }
      case 'raise':
        return effects.raise === undefined
          ? []
          : [`a recommended salary raise of ${formatPercent(effects.raise)}`]
      case 'warning':
        return effects.warning === undefined ? [] : [`a formal warning: “${effects.warning}”`]
      case 'termination_review':
        return effects.terminationReview === undefined
          ? []
          : [`a termination review: “${effects.terminationReview}”`]
      case 'forfeit':
        return effects.forfeit === undefined ? [] : [describeForfeit(effects.forfeit, plan)]
      case 'boost': {
        const boost = effects.boost
        if (boost === undefined) return []
        const span = boost.periods === 1 ? plan.period : `${boost.periods} ${plan.period}s`
        return [`the ${boost.rule} commission is raised by ${formatPercent(boost.by)} for the next ${span}`]
      }
      case 'coaching': {
        const coaching = effects.coaching
        if (coaching === undefined) return []
        const span = `${coaching.periods} ${coaching.periods === 1 ? plan.period : `${plan.period}s`}`
        const program = coaching.program === undefined ? '' : ` (${coaching.program})`
        const pass = describeCondition(coaching.pass.source, plan).clause
        return [
          `a coaching plan of ${span}${program}; it passes if, at the close of its last ${plan.period}, ${pass}`,
        ]
      }
    }
    return []
  })
  return listWords(words)
}

/** "the projects commission is forfeited", "the mrr commission and the s spiff are forfeited". */
function describeForfeit(forfeit: readonly string[] | 'all', plan: Plan): string {
  if (forfeit === 'all') return `every commission, spiff and bonus of the ${plan.period} is forfeited`
  const names = forfeit.map((id) => {
    if (plan.commissions.some((c) => c.id === id)) return `the ${id} commission`
    if (plan.spiffs.some((s) => s.id === id)) return `the ${id} spiff`
    return `the ${id} bonus`
  })
  return `${listWords(names)} ${names.length === 1 ? 'is' : 'are'} forfeited`
}
