// The HTML report: one self-contained page (plus its figure files) per run or comparison of runs.
// renderReport is pure; writeReport is the edge helper that puts the folder on disk.

export interface ReportFigure {
  /** File name inside the report folder ([A-Za-z0-9._-], ending in .png or .svg). */
  file: string;
  title: string;
  caption?: string;
  /** PNG bytes or SVG text. */
  content: Uint8Array | string;
}

export interface ReportTable {
  title: string;
  columns: string[];
  rows: (string | number)[][];
}

export interface ReportSection {
  title: string;
  /** One line under the heading: what the figures show and how to read them. */
  description?: string;
  figures?: ReportFigure[];
  tables?: ReportTable[];
}

export interface ReportRun {
  label: string;
  /** Where the run lives (shown, not linked). */
  path?: string;
  /** The run's config (model, training options), shown as JSON. */
  config?: unknown;
  /** A few headline numbers, e.g. final test top-1. */
  summary?: Record<string, string | number>;
}

export interface ReportInput {
  title: string;
  runs: ReportRun[];
  sections: ReportSection[];
  /** Shown in the footer; pass a fixed value for reproducible output. */
  generatedAt?: string;
}

export interface ReportFile {
  name: string;
  content: Uint8Array | string;
}

export interface RenderedReport {
  /** The page, to be saved as report.html next to the files. */
  html: string;
  files: ReportFile[];
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const anchorOf = (title: string, index: number) => `s${index + 1}-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;

const validFileName = /^[A-Za-z0-9][A-Za-z0-9._-]*\.(png|svg)$/;

function formatCell(value: string | number): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(3);
  return escapeHtml(value);
}

function renderTable(table: ReportTable): string {
  const head = table.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = table.rows.map((row) => `<tr>${row.map((cell) => `<td>${formatCell(cell)}</td>`).join('')}</tr>`).join('\n');
  return `<div class="table"><h3>${escapeHtml(table.title)}</h3><table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

function renderFigure(figure: ReportFigure): string {
  const caption = figure.caption ? `<br><span class="caption">${escapeHtml(figure.caption)}</span>` : '';
  return `<figure><img src="${escapeHtml(figure.file)}" alt="${escapeHtml(figure.title)}" loading="lazy"><figcaption><b>${escapeHtml(figure.title)}</b>${caption}</figcaption></figure>`;
}

function renderRun(run: ReportRun): string {
  const summary = Object.entries(run.summary ?? {}).map(([key, value]) => `<span class="metric">${escapeHtml(key)}: <b>${formatCell(value)}</b></span>`).join(' ');
  const config = run.config === undefined ? '' : `<details><summary>config</summary><pre>${escapeHtml(JSON.stringify(run.config, null, 2))}</pre></details>`;
  const path = run.path ? ` <code>${escapeHtml(run.path)}</code>` : '';
  return `<div class="run"><h3>${escapeHtml(run.label)}${path}</h3>${summary}${config}</div>`;
}

const style = `
body { font: 14px/1.45 Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 1280px; padding: 0 16px; color: #222; }
h1 { font-size: 22px; } h2 { font-size: 18px; border-bottom: 1px solid #ddd; padding-bottom: 4px; margin-top: 36px; }
h3 { font-size: 15px; margin: 12px 0 6px; }
nav ol { columns: 2; } .description { color: #555; }
figure { display: inline-block; vertical-align: top; margin: 8px 16px 16px 0; max-width: 100%; }
figure img { max-width: 100%; image-rendering: pixelated; border: 1px solid #eee; }
figcaption { font-size: 12px; color: #444; max-width: 720px; } .caption { color: #666; }
table { border-collapse: collapse; font-size: 13px; } td, th { border: 1px solid #ddd; padding: 2px 8px; text-align: left; }
.table { display: inline-block; vertical-align: top; margin: 0 24px 16px 0; }
.run { margin-bottom: 8px; } .metric { margin-right: 16px; } pre { background: #f7f7f7; padding: 8px; max-height: 400px; overflow: auto; }
footer { margin-top: 40px; color: #888; font-size: 12px; }`;

/** The page and its files; figure file names must be unique and plain (they become relative links). */
export function renderReport(input: ReportInput): RenderedReport {
  const files: ReportFile[] = [];
  const seen = new Set<string>();
  for (const section of input.sections) {
    for (const figure of section.figures ?? []) {
      if (!validFileName.test(figure.file)) throw new Error(`report figure "${figure.title}": file name "${figure.file}" must match ${validFileName}`);
      if (seen.has(figure.file)) throw new Error(`report figure file "${figure.file}" is used twice`);
      const isPng = figure.file.endsWith('.png');
      if (isPng !== figure.content instanceof Uint8Array) throw new Error(`report figure "${figure.file}": ${isPng ? 'a .png needs bytes' : 'an .svg needs text'}`);
      seen.add(figure.file);
      files.push({ name: figure.file, content: figure.content });
    }
  }
  const sections = input.sections.filter((s) => (s.figures?.length ?? 0) + (s.tables?.length ?? 0) > 0);
  const toc = sections.map((s, i) => `<li><a href="#${anchorOf(s.title, i)}">${escapeHtml(s.title)}</a></li>`).join('');
  const body = sections
    .map((section, i) => {
      const description = section.description ? `<p class="description">${escapeHtml(section.description)}</p>` : '';
      const figures = (section.figures ?? []).map(renderFigure).join('\n');
      const tables = (section.tables ?? []).map(renderTable).join('\n');
      return `<section id="${anchorOf(section.title, i)}"><h2>${escapeHtml(section.title)}</h2>${description}\n${tables}\n${figures}</section>`;
    })
    .join('\n');
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(input.title)}</title><style>${style}</style></head>
<body>
<h1>${escapeHtml(input.title)}</h1>
<section id="runs"><h2>Runs</h2>${input.runs.map(renderRun).join('\n')}</section>
<nav><ol>${toc}</ol></nav>
${body}
<footer>Made with @sketch-xnor/viz${input.generatedAt ? ` on ${escapeHtml(input.generatedAt)}` : ''}.</footer>
</body>
</html>
`;
  return { html, files };
}

/** Writes report.html and its files into `dir` (created if needed); returns the written paths. */
export async function writeReport(dir: string, report: RenderedReport, htmlName = 'report.html'): Promise<string[]> {
  const { mkdir, writeFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const file of report.files) {
    const path = join(dir, file.name);
    await writeFile(path, file.content);
    written.push(path);
  }
  const htmlPath = join(dir, htmlName);
  await writeFile(htmlPath, report.html);
  written.push(htmlPath);
  return written;
}
