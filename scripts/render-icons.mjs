#!/usr/bin/env node
/**
 * Renders resources/icon.svg into every icon the installers need, with the system Chromium
 * (playwright-core, no network):
 *   resources/icons/<N>x<N>.png  Linux (electron-builder's icon folder) and the source of the two below
 *   resources/icon.icns          macOS (PNG-compressed entries, 16 to 1024 px)
 *   resources/icon.ico           Windows (PNG-compressed entries, 16 to 256 px)
 * The outputs are committed; run `node scripts/render-icons.mjs` after changing the SVG.
 */
import { Buffer } from 'node:buffer';
import console from 'node:console';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { ICNS_TYPES, ICO_SIZES, ICON_SIZES, packIcns, packIco } from './iconFormats.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const resources = join(root, 'resources');

async function render(svg, sizes) {
  const browser = await chromium.launch({
    executablePath: process.env.HEARTH_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    const source = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
    const pngs = new Map();
    for (const size of sizes) {
      await page.setViewportSize({ width: size, height: size });
      await page.setContent(
        `<html><body style="margin:0;background:transparent"><img src="${source}" width="${size}" height="${size}" style="display:block"></body></html>`,
      );
      await page.locator('img').evaluate((img) => img.decode());
      pngs.set(size, await page.screenshot({ omitBackground: true, type: 'png' }));
    }
    return pngs;
  } finally {
    await browser.close();
  }
}

const svg = await readFile(join(resources, 'icon.svg'), 'utf8');
const pngs = await render(svg, ICON_SIZES);
await mkdir(join(resources, 'icons'), { recursive: true });
for (const [size, png] of pngs) await writeFile(join(resources, 'icons', `${size}x${size}.png`), png);
await writeFile(
  join(resources, 'icon.icns'),
  packIcns(ICNS_TYPES.map(([type, size]) => [type, pngs.get(size)])),
);
await writeFile(join(resources, 'icon.ico'), packIco(ICO_SIZES.map((size) => [size, pngs.get(size)])));
console.log(`Rendered ${pngs.size} sizes into resources/icons, resources/icon.icns and resources/icon.ico.`);
