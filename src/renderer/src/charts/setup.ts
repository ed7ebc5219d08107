import { use } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import { BarChart, HeatmapChart, LineChart, ParallelChart, ScatterChart } from 'echarts/charts'
import { DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, MarkPointComponent, ParallelComponent, TitleComponent, TooltipComponent, VisualMapComponent } from 'echarts/components'

// only what the workbench draws: keeps the bundle small and the CSP free of eval
use([CanvasRenderer, LineChart, BarChart, ScatterChart, HeatmapChart, ParallelChart, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, MarkPointComponent, DataZoomComponent, TitleComponent, VisualMapComponent, ParallelComponent])
