// Takes docs/screenshot.png: the built app with its default models, a Quick, Draw! sketch drawn by touch, at a
// 360 x 740 phone viewport. Run after a build: npx tsx apps/playground/scripts/screenshot.ts [category]
import { fileURLToPath } from 'node:url';
import { DIST, drawWithTouch, launchPhone, quickDrawSketch, serveStatic } from '../test/e2e/harness.js';

const category = process.argv[2] ?? 'umbrella';
const server = await serveStatic({ '/': DIST });
const context = await launchPhone();
try {
  const page = await context.newPage();
  await page.goto(server.url);
  for (const slot of ['float', 'binary']) await page.locator(`#${slot}-panel[data-state='ready']`).waitFor({ timeout: 60_000 });
  await drawWithTouch(page, await quickDrawSketch(category, 1));
  for (const slot of ['float', 'binary']) await page.locator(`#${slot}-panel ol.top li`).nth(4).waitFor({ timeout: 60_000 });
  await page.waitForTimeout(500);
  await page.screenshot({ path: fileURLToPath(new URL('../docs/screenshot.png', import.meta.url)), scale: 'css' });
} finally {
  await context.close();
  await server.close();
}
