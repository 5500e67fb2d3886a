// The command line: subcommands, flags and their help. Each action imports its command module (and with it
// TF.js and the libraries) only when it runs, so flag errors answer fast; help lists the registries' names.
import { Argument, Command, CommanderError, Option } from 'commander';
import { CliError, EXIT, describeError } from './errors.js';
import { commaList, integerAtLeast, oneOf, trainTestSplit, nonNegativeInteger, numberInRange, positiveInteger, positiveNumber } from './options.js';
import { DEFAULT_RUN_DIR, TRAIN_DEFAULTS } from './defaults.js';
import { CLI_VERSION } from './version.js';
import { MAX_WASM_THREADS } from '@sketch-xnor/backends';
import type { VizFlags } from './commands/viz.js';
import type { ExportFlags } from './commands/export.js';

/** Flags of `train`, as commander hands them over (undefined = not given, so a default or the resumed run's config applies). */
export interface TrainFlags {
  model?: string;
  dataset?: string;
  data?: string;
  categories?: string[];
  perCategory?: number;
  testFraction?: number;
  split?: Record<string, number | 'rest'>;
  epochs?: number;
  batch?: number;
  size?: number;
  renderSize?: number;
  width?: number;
  kernelQuantizer?: string;
  kernelGradient?: string;
  inputQuantizer?: string;
  inputScale?: 'xnor';
  batchNorm?: boolean;
  channels?: number;
  lr?: number;
  lrDecay?: number;
  lrDecaySteps?: number;
  lrInitialStep?: number;
  schedule?: string;
  weightDecay?: number;
  augment?: boolean;
  backend: string;
  seed?: number;
  out?: string;
  resume?: boolean;
  init?: string;
  workers?: number;
  threads?: number;
  checkpointEvery?: number;
  maxSteps?: number;
  progress: boolean;
}

export interface EvalFlags {
  /** Run folders or bundles; several are evaluated as one ensemble. */
  run: string[];
  bundle?: string;
  latency?: number | true;
  latencyOnly?: boolean;
  backend: string;
  data?: string;
  workers?: number;
  json?: boolean;
}

export interface PredictFlags {
  /** Run folders or bundles; several predict as one ensemble. */
  run: string[];
  backend: string;
  top: number;
  views: 'center' | 'ten';
  json?: boolean;
}

export interface SummaryFlags {
  run: string;
  json?: boolean;
  backend: string;
}

export interface DownloadFlags {
  categories?: string[];
  out: string;
  format?: string;
  baseUrl?: string;
  progress: boolean;
}

const backendOption = () =>
  new Option('--backend <name>', 'TF.js backend: wasm, cpu, webgl, webgpu, tensorflow, tensorflow-gpu (if installed)').default('wasm');

/** Names of the registries' plugins, shown in `train --help` (loaded only when help is asked for). */
export interface KnownPlugins {
  models: string[];
  datasets: string[];
  /** `train --schedule` presets, one line each: name and values. */
  schedules: string[];
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `--run` of eval and predict: repeatable for an ensemble; the first one given replaces the default. */
const DEFAULT_RUNS: readonly string[] = [DEFAULT_RUN_DIR];
const runsOption = (more: string) =>
  new Option(
    '--run <run>',
    "run folder or packed bundle; repeat it for an ensemble: each view's scores are the mean of the members' softmax probabilities " +
      `(every member needs the same classes in the same order and the same input preprocessing)${more}`,
  )
    .argParser((value: string, previous: readonly string[]) => (previous === DEFAULT_RUNS ? [value] : [...previous, value]))
    .default(DEFAULT_RUNS, DEFAULT_RUN_DIR);
const pluginOption = () =>
  new Option('--plugin <module>', 'load a plugin (package name or path) that registers schemes, models or datasets; repeatable')
    .argParser(collect)
    .default([] as string[]);

export function buildProgram(known?: KnownPlugins): Command {
  const program = new Command('sketch-xnor')
    .description('Train, evaluate and run binarized Sketch-A-Net models (vanilla, BWN, XNOR) on free-hand sketches.')
    .version(CLI_VERSION, '-V, --version', 'print the version of @sketch-xnor/cli')
    .showHelpAfterError('(add --help for usage)')
    .addOption(pluginOption())
    .hook('preAction', async (root, action) => {
      const plugins = [root, action].flatMap((c) => (c.opts() as { plugin?: string[] }).plugin ?? []);
      if (plugins.length > 0) {
        const { loadPlugins } = await import('./plugin-loader.js');
        await loadPlugins(plugins);
      }
    })
    .configureHelp({ showGlobalOptions: false })
    .enablePositionalOptions();

  program
    .command('train')
    .description(
      'Train a model. With no flags it trains the default model on the embedded synthetic sketches into ' +
        `a new folder under ${DEFAULT_RUN_DIR.replace(/\/latest$/, '')}/ (and points ${DEFAULT_RUN_DIR} at it).`,
    )
    .option('--model <name>', `network from the model zoo (default: ${TRAIN_DEFAULTS.model}; see the list below)`)
    .option('--dataset <kind>', `quickdraw | tu-berlin-svg | tu-berlin-png | synthetic (default: ${TRAIN_DEFAULTS.dataset})`)
    .option('--data <path>', 'data folder or file (every dataset but synthetic)')
    .option('--categories <list>', 'comma-separated categories to use (default: all in --data)', commaList)
    .option('--per-category <n>', 'use at most n sketches per category', positiveInteger)
    .option('--test-fraction <f>', `held-out test share of each category (default: ${TRAIN_DEFAULTS.testFraction})`, numberInRange(0, 0.9, { exclusiveMin: true }))
    .option('--split <parts>', 'per-category split by count in file order (numeric-id order for TU-Berlin), e.g. train:54,test:26 (instead of --test-fraction)', trainTestSplit)
    .option('--epochs <n>', `passes over the training data (default: ${TRAIN_DEFAULTS.epochs})`, positiveInteger)
    .option('--batch <n>', `batch size (default: ${TRAIN_DEFAULTS.batch})`, positiveInteger)
    .option('--size <px>', `input (crop) size in pixels; sketches render at size*256/225 (default: ${TRAIN_DEFAULTS.size})`, integerAtLeast(16))
    .option('--render-size <px>', 'size sketches are rendered (or resized) to before the crop (default: size*256/225)', integerAtLeast(16))
    .option('--kernel-quantizer <name>', 'kernel quantizer of the binarized layers (conv2..fc7), by name, e.g. one a --plugin registers')
    .option(
      '--kernel-gradient <rule>',
      'weight gradient of the magnitude-aware-sign kernels (BWN, XNOR): ste (default: straight-through, alpha held constant), ' +
        "xnor-net (XNOR-Net's published g*(1/n + alpha*1{|W|<=1}), the study's), full (the exact derivative, through alpha too)",
    )
    .option('--input-quantizer <name>', 'input (activation) quantizer of the binarized layers, by name')
    .option('--input-scale <kind>', "binary-input layers scale their output by XNOR-Net's K: xnor (default: none)", oneOf(['xnor'] as const))
    .option('--batch-norm', 'float and BWN models: BatchNorm between each of conv2..fc7 and its ReLU (XNOR models always have theirs)')
    .option('--width <m>', `channel multiplier of the network (default: ${TRAIN_DEFAULTS.width})`, positiveNumber)
    .option('--channels <n>', 'input channels: 1, or 3 (early/middle/late strokes)', integerAtLeast(1))
    .option('--lr <rate>', `initial learning rate of Adam (default: ${TRAIN_DEFAULTS.lr})`, positiveNumber)
    .option('--lr-decay <rate>', `learning rate multiplier per --lr-decay-steps steps (default: ${TRAIN_DEFAULTS.lrDecay})`, numberInRange(0, 1, { exclusiveMin: true }))
    .option('--lr-decay-steps <n>', `steps per --lr-decay (default: ${TRAIN_DEFAULTS.lrDecaySteps})`, positiveInteger)
    .option('--lr-initial-step <n>', 'global step the decay starts from: lr * decay^((initial-step + step) / decay-steps) (default: 0)', nonNegativeInteger)
    .option(
      '--schedule <preset>',
      `learning-rate preset; --lr, --lr-decay, --lr-decay-steps and --lr-initial-step given as well override its values${known ? `. ${known.schedules.join('; ')}` : ' (see --help)'}`,
    )
    .option('--weight-decay <w>', 'L2 weight decay of Adam on kernels (biases and BatchNorm exempt; default: 0)', numberInRange(0, 1))
    .option('--no-augment', 'train without stroke augmentation (crops and flips stay)')
    .addOption(backendOption())
    .option('--seed <n>', `seed of every random choice (default: ${TRAIN_DEFAULTS.seed})`, nonNegativeInteger)
    .option('--out <run>', 'run folder to write (default: a new timestamped folder)')
    .option('--resume', "continue the run in --out from its last checkpoint, with the run's recorded config")
    .option('--init <run|file.mat>', 'initialize weights by layer name from another run (e.g. a vanilla run for a BWN/XNOR model) or a MatConvNet Sketch-A-Net .mat (the published weights)')
    .option('--workers <n>', 'worker threads preparing batches (results do not depend on it; default: 0 = main thread; at most the machine\'s cores)', nonNegativeInteger)
    .option('--threads <n>', `threads of the wasm backend (tfjs's threaded SIMD build; results do not depend on it; default 1, at most ${MAX_WASM_THREADS})`, positiveInteger)
    .option('--checkpoint-every <steps>', 'also write a checkpoint every n steps (always at the end of each epoch)', positiveInteger)
    .option('--max-steps <n>', 'stop after n optimizer steps in total', positiveInteger)
    .option('--no-progress', 'print one line per epoch instead of a progress bar')
    .addHelpText('after', () => `${known ? `\nModels: ${known.models.join(', ')}\nDatasets: ${known.datasets.join(', ')}\n` : ''}\nExamples:\n  sketch-xnor train\n  sketch-xnor train --dataset quickdraw --data ../shared/data/quickdraw-345 --categories cat,dog,apple --size 96 --width 0.25 --epochs 5 --out runs/qd\n  sketch-xnor train --model sketch-a-net-xnor --init runs/qd --dataset quickdraw --data ../shared/data/quickdraw-345 --categories cat,dog,apple --out runs/qd-xnor\n  sketch-xnor train --out runs/qd --resume`)
    .action(async (flags: TrainFlags, command: Command) => {
      const { runTrain } = await import('./commands/train.js');
      await runTrain(flags, explicitFlags(command));
    });

  program
    .command('eval')
    .description('Evaluate a run (or an ensemble of runs and bundles) on its held-out test split: top-1 and top-5, center view and 10 views.')
    .addOption(runsOption("; 10-view sums them over the views; the test split is the first run folder's, and each member is reported as well"))
    .option('--data <path>', "read the data from here instead of the path recorded in the run's config.json")
    .option('--workers <n>', 'worker threads preparing batches', nonNegativeInteger)
    .addOption(backendOption())
    .option('--bundle <dir>', "also evaluate the run's packed bundle (sketch-xnor export) on the same split")
    .option('--latency [repeats]', 'also time one-image inference (median of repeats, default 50) of the run and the bundle', positiveInteger)
    .option('--latency-only', 'only time inference (with --latency): skip the test split')
    .option('--json', 'print the metrics as one JSON object')
    .action(async (flags: EvalFlags) => {
      const { runEval } = await import('./commands/eval.js');
      await runEval(flags);
    });

  program
    .command('predict')
    .description('Classify sketches: Quick, Draw! .ndjson (one sketch a line), TU-Berlin .svg, or .png files.')
    .argument('<files...>', 'sketch files')
    .addOption(runsOption(', averaged over the views'))
    .option('--top <k>', 'labels to print per sketch', positiveInteger, 5)
    .addOption(new Option('--views <which>', 'center crop only, or the mean of 10 views').choices(['center', 'ten']).default('ten'))
    .addOption(backendOption())
    .option('--json', 'print one JSON object per sketch (ndjson)')
    .action(async (files: string[], flags: PredictFlags) => {
      const { runPredict } = await import('./commands/predict.js');
      await runPredict(files, flags);
    });

  program
    .command('download')
    .description('Download an original dataset: quickdraw (simplified .ndjson per category) or tu-berlin (SVG and PNG archives).')
    .addArgument(new Argument('<dataset>', 'quickdraw | tu-berlin').choices(['quickdraw', 'tu-berlin']))
    .option('--categories <list>', 'comma-separated categories (quickdraw: required; tu-berlin: all)', commaList)
    .option('--out <dir>', 'destination folder', 'data')
    .option('--format <format>', 'quickdraw: simplified (default), raw or binary; tu-berlin: svg (default) or png')
    .option('--base-url <url>', 'download from this mirror instead of the original site')
    .option('--no-progress', 'no progress bar')
    .addHelpText('after', '\nExample:\n  sketch-xnor download quickdraw --categories cat,dog --out data/quickdraw')
    .action(async (dataset: 'quickdraw' | 'tu-berlin', flags: DownloadFlags) => {
      const { runDownload } = await import('./commands/download.js');
      await runDownload(dataset, flags);
    });

  program
    .command('summary')
    .description('Per layer of a run or bundle: output shape, parameters, bits per weight and per input, 32-bit and 1-bit parameters, memory as float and packed, float and binary MACs, with totals (like larq\'s lq.models.summary).')
    .option('--run <run>', 'run folder or packed bundle', DEFAULT_RUN_DIR)
    .option('--json', 'print the summary as one JSON object')
    .addOption(backendOption())
    .action(async (flags: SummaryFlags) => {
      const { runSummary } = await import('./commands/summary.js');
      await runSummary(flags);
    });

  program
    .command('export')
    .description('Pack a trained BWN/XNOR run into a 1-bit bundle: sign bits and one scale per filter, BatchNorm folded, checksummed manifest.')
    .option('--run <run>', 'run folder', DEFAULT_RUN_DIR)
    .requiredOption('--out <dir>', 'bundle folder to write')
    .option('--uint8', 'store the float layers (conv1, fc8) as 8-bit with a scale')
    .addOption(backendOption())
    .addHelpText('after', '\nExample:\n  sketch-xnor export --run runs/qd-xnor --out runs/qd-xnor-bundle --uint8\n  sketch-xnor predict --run runs/qd-xnor-bundle cat.ndjson')
    .action(async (flags: ExportFlags) => {
      const { runExport } = await import('./commands/export.js');
      await runExport(flags);
    });

  program
    .command('viz')
    .description('Figures of what runs learned (activation maps, filters, weight histograms, sign flips, curves, confusion matrix, saliency, activation maximization) and report.html.')
    .requiredOption('--sketch <file>', 'the sketch to show activations for (.ndjson first line, .svg or .png)')
    .option('--run <run>', 'run folder', DEFAULT_RUN_DIR)
    .option('--compare <runs...>', 'more runs side by side (e.g. the BWN and XNOR versions)')
    .option('--out <dir>', 'report folder (default: the --run folder)')
    .option('--data <path>', "read the test data from here instead of each run's recorded path")
    .option('--no-eval', 'skip classifying the test split (no confusion matrix)')
    .option('--steps <n>', 'activation maximization steps per image (0 skips it)', nonNegativeInteger, 100)
    .option('--workers <n>', 'worker threads preparing batches', nonNegativeInteger)
    .addOption(backendOption())
    .option('--no-progress', 'no progress bar')
    .addHelpText('after', '\nExample:\n  sketch-xnor viz --run runs/vanilla --compare runs/bwn runs/xnor --sketch cat.png')
    .action(async (flags: VizFlags) => {
      const { runViz } = await import('./commands/viz.js');
      await runViz(flags);
    });

  // --plugin works before or after the subcommand
  for (const sub of program.commands) sub.addOption(pluginOption());
  return program;
}

/** The flags the user typed (not defaults), so a resumed run can tell overrides from defaults. */
function explicitFlags(command: Command): Set<string> {
  return new Set(Object.keys(command.opts()).filter((key) => command.getOptionValueSource(key) === 'cli'));
}

/** Runs the command line; resolves to the process exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const wantsHelp = argv[2] === 'help' || argv.slice(2).some((arg) => arg === '--help' || arg === '-h');
  const known = wantsHelp ? await import('./plugins.js').then((p) => ({ models: p.knownModels(), datasets: p.knownDatasets(), schedules: p.knownSchedules() })) : undefined;
  const program = buildProgram(known);
  program.exitOverride();
  for (const sub of program.commands) sub.exitOverride();
  try {
    await program.parseAsync(argv as string[]);
    return process.exitCode === undefined ? EXIT.ok : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has printed its message already; help and version are not errors.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help' || err.code === 'commander.version') return EXIT.ok;
      return EXIT.usage;
    }
    process.stderr.write(`sketch-xnor: ${describeError(err)}\n`);
    if (process.env['SKETCH_XNOR_DEBUG'] && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return err instanceof CliError ? err.exitCode : EXIT.failure;
  }
}
