/** ECharts, loaded by the page as a classic script beside this bundle (served from the installed package). */
import type * as Echarts from 'echarts/types/dist/echarts';

export type { EChartsOption, EChartsType, LineSeriesOption } from 'echarts/types/dist/echarts';

export const echarts = (globalThis as unknown as { echarts: typeof Echarts }).echarts;
