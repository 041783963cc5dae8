import { BarChart, LineChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import * as echarts from 'echarts/core'
import { SVGRenderer } from 'echarts/renderers'
import { useEffect, useRef } from 'react'

// Only the parts the executive page draws: lines, bars, axes, legend, tooltip, as SVG.
echarts.use([LineChart, BarChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer])

export type ChartOption = echarts.EChartsCoreOption

/** An echarts chart in a labelled figure; the data is also given as a table by the caller. */
export function EChart({
  option,
  label,
  height = 280,
}: {
  option: ChartOption
  label: string
  height?: number
}) {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = box.current
    if (el === null) return
    const chart = echarts.init(el, undefined, { renderer: 'svg' })
    chart.setOption(option)
    const observer = new ResizeObserver(() => chart.resize())
    observer.observe(el)
    return () => {
      observer.disconnect()
      chart.dispose()
    }
  }, [option])
  return <div ref={box} className="chart" role="img" aria-label={label} style={{ height }} />
}
