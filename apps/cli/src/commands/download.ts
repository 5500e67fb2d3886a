// `sketch-xnor download`: fetches an original dataset with the data package's resuming downloader.
import { downloadQuickDraw, downloadTuBerlin, type DownloadProgress } from '@sketch-xnor/data';
import cliProgress from 'cli-progress';
import type { DownloadFlags } from '../program.js';
import { CliError, EXIT, UsageError } from '../errors.js';
import { interruptSignal } from '../interrupt.js';

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

/** A bar per file on a TTY; otherwise one line per finished file. */
function downloadProgress(showBar: boolean): { onProgress: (p: DownloadProgress) => void; stop: () => void } {
  const stream = process.stderr;
  let bar: cliProgress.SingleBar | undefined;
  let current = '';
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  const onProgress = (p: DownloadProgress) => {
    const key = `${p.phase} ${p.file}`;
    if (showBar && stream.isTTY) {
      if (key !== current) {
        stop();
        current = key;
        bar = new cliProgress.SingleBar(
          {
            stream,
            format: `{label} {bar} {percentage}% | {done} of {all} | {eta_formatted} left`,
            barsize: 24,
            hideCursor: true,
            etaBuffer: 30,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(p.totalBytes ?? 0, p.bytes, { label: label(p), done: formatBytes(p.bytes), all: p.totalBytes === undefined ? '?' : formatBytes(p.totalBytes) });
      }
      if (p.totalBytes !== undefined) bar?.setTotal(p.totalBytes);
      bar?.update(p.bytes, { done: formatBytes(p.bytes), all: p.totalBytes === undefined ? '?' : formatBytes(p.totalBytes) });
      if (p.done) stop();
    } else if (p.done) {
      stream.write(`${label(p)}: ${formatBytes(p.bytes)}\n`);
    }
  };
  return { onProgress, stop };
}

function label(p: DownloadProgress): string {
  const name = p.file.split(/[\\/]/).pop() ?? p.file;
  const place = p.count > 1 ? ` [${p.index + 1}/${p.count}]` : '';
  return `${p.phase === 'extract' ? 'extracting' : 'downloading'} ${name}${place}`;
}

export async function runDownload(dataset: 'quickdraw' | 'tu-berlin', flags: DownloadFlags): Promise<void> {
  const progress = downloadProgress(flags.progress);
  const signal = interruptSignal('download stopped; run the same command again to resume it');
  try {
    if (dataset === 'quickdraw') {
      if (!flags.categories) throw new UsageError('download quickdraw needs --categories (e.g. --categories cat,dog,"The Eiffel Tower")');
      if (flags.format !== undefined && !['simplified', 'raw', 'binary'].includes(flags.format)) {
        throw new UsageError(`--format for quickdraw is simplified, raw or binary, got "${flags.format}"`);
      }
      const results = await downloadQuickDraw({
        categories: flags.categories,
        out: flags.out,
        format: flags.format as 'simplified' | 'raw' | 'binary' | undefined,
        ...(flags.baseUrl !== undefined && { baseUrl: flags.baseUrl }),
        onProgress: progress.onProgress,
        signal,
      });
      progress.stop();
      for (const r of results) process.stdout.write(`${r.file}\t${formatBytes(r.bytes)}${r.skipped ? ' (already complete)' : r.resumedFrom > 0 ? ' (resumed)' : ''}\n`);
    } else {
      if (flags.categories) throw new UsageError('tu-berlin is one archive of all 250 categories; --categories does not apply (use --categories when training)');
      if (flags.format !== undefined && !['svg', 'png'].includes(flags.format)) throw new UsageError(`--format for tu-berlin is svg or png, got "${flags.format}"`);
      const result = await downloadTuBerlin({
        out: flags.out,
        format: flags.format as 'svg' | 'png' | undefined,
        ...(flags.baseUrl !== undefined && { baseUrl: flags.baseUrl }),
        onProgress: progress.onProgress,
        signal,
      });
      progress.stop();
      process.stdout.write(`${result.download.file}\t${formatBytes(result.download.bytes)}${result.download.skipped ? ' (already complete)' : ''}\n`);
      process.stdout.write(`sketches in ${result.root} (train with --dataset tu-berlin-${flags.format ?? 'svg'} --data ${result.root})\n`);
    }
  } catch (err) {
    if (signal.aborted) throw new CliError('download interrupted; run the same command again to resume it', EXIT.interrupted, { cause: err });
    throw err;
  } finally {
    progress.stop();
  }
}
