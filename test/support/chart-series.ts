import type { Page } from 'playwright-core';

/** What the page's globals offer (the tests compile without the DOM's types). */
interface PageGlobals {
  document: { querySelector(selector: string): object | null };
  echarts: { getInstanceByDom(node: object): { getOption(): { series: { name: string; data: unknown[]; markLine?: { data?: { xAxis: number }[] } }[] } } | undefined };
}

/** The lines an ECharts chart on the page draws now, asked of the chart itself: [series name, points]. */
export async function chartSeries(page: Page, selector: string): Promise<[string, number][]> {
  const lines: { name: string; points: number }[] = await page.evaluate((sel) => {
    const { document, echarts } = globalThis as unknown as PageGlobals;
    const node = document.querySelector(sel);
    const chart = node === null ? undefined : echarts.getInstanceByDom(node);
    return (chart?.getOption().series ?? []).map((s) => ({ name: s.name, points: s.data.length }));
  }, selector);
  return lines.map((line) => [line.name, line.points]);
}

/** Where the chart draws vertical marker lines (the rungs): their x values, from the chart itself. */
export async function chartMarkLines(page: Page, selector: string): Promise<number[]> {
  return page.evaluate((sel) => {
    const { document, echarts } = globalThis as unknown as PageGlobals;
    const node = document.querySelector(sel);
    const chart = node === null ? undefined : echarts.getInstanceByDom(node);
    return (chart?.getOption().series ?? []).flatMap((s) => (s.markLine?.data ?? []).map((d) => d.xAxis));
  }, selector);
}
