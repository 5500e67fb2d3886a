// Vega-Lite specs compiled with vega and rendered headless to SVG: the one place charts are drawn.
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export type { TopLevelSpec as VegaLiteSpec } from 'vega-lite';

/** House style shared by every chart. */
export const chartConfig = {
  font: 'Helvetica, Arial, sans-serif',
  view: { stroke: '#ddd' },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#eee' },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14, anchor: 'start' as const },
};

export const vegaLiteSchema = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Panels in a grid of `columns`, under one title; `resolve` says which scales the panels share. */
export function panelGrid(title: string, panels: object[], columns: number, resolve: object): TopLevelSpec {
  return { $schema: vegaLiteSchema, title, columns, concat: panels, resolve } as TopLevelSpec;
}

/** Compiles a Vega-Lite spec and renders it to an SVG document, without a browser or canvas. */
export async function renderVegaLite(spec: TopLevelSpec): Promise<string> {
  const withConfig = { ...spec, config: { ...chartConfig, ...(spec.config ?? {}) } } as TopLevelSpec;
  const view = new vega.View(vega.parse(compile(withConfig).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
