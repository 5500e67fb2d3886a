// Public face of @sketch-xnor/viz: figures of what sketch networks learn. Every figure is a pure function
// (data in, PNG bytes or SVG text out); writeReport is the one helper that touches the file system.
export { colormap, colorAt, type Colormap, type ColormapName } from './colormap.js';
export {
  colorize, upscale, upscaleFactorFor, tileGrid, concatHorizontal, channelOf, encodePng, decodePng, valueRange, symmetricRange,
  createRgba, blit,
  type RgbaImage, type ScalarMap, type HwcImage, type Rgb, type GridLayout, type GridOptions, type ColorizeOptions,
} from './raster.js';
export {
  convActivationSites, hasBinarizedKernel, hasBinarizedInput, inputShapeOf, fitImageToModel, classScoreSource,
  type ConvActivationSite,
} from './model-inspect.js';
export {
  computeActivations, computeBinaryInputActivations, activationGrid, activationGridPng, compareActivations,
  type LayerActivation, type ActivationOptions, type ActivationGridOptions, type ActivationGrid, type RunActivations,
  type ActivationComparison,
} from './activations.js';
export { renderVegaLite, chartConfig, type VegaLiteSpec } from './vega.js';
export {
  parseMetricsJsonl, trainingCurvePoints, trainingCurvesSpec, trainingCurvesSvg,
  type MetricEvent, type RunMetrics, type CurveMetric, type CurvePoint, type CurveOptions,
} from './metrics.js';
export {
  confusionMatrix, perClassAccuracy, topConfusions, confusionMatrixSpec, confusionMatrixSvg, perClassAccuracySpec, perClassAccuracySvg,
  type ConfusionMatrix, type Confusion, type ConfusionChartOptions,
} from './confusion.js';
export {
  kernelWeights, kernelsByLayerName, histogram, weightHistogramsSpec, weightHistogramsSvg, signFlips, signFlipsSpec, signFlipsSvg, filterGrid, filterGridPng,
  type LayerWeights, type NamedValues, type Histogram, type SignFlips, type FilterGridOptions,
} from './weights.js';
export {
  classScoreFunction, computeSaliency, saliencyOverlay, saliencyOverlayPng, sketchToRgba,
  type Saliency, type SaliencyOptions, type OverlayOptions,
} from './saliency.js';
export {
  maximizeActivation, objectiveFunction, maximizedImagesGrid, maximizedImagesPng,
  type MaximizationTarget, type MaximizationProgress, type MaximizeOptions, type MaximizeResult,
} from './activation-maximization.js';
export {
  renderReport, writeReport,
  type ReportFigure, type ReportTable, type ReportSection, type ReportRun, type ReportInput, type ReportFile, type RenderedReport,
} from './report.js';
export { buildVizReport, predictProbabilities, type VizRun, type VizProgress, type VizReportOptions } from './run-report.js';
export { sketchImageFromRgba, type SketchImageOptions } from './sketch-image.js';
