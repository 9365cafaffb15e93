/**
 * Headless Chromium for tests (Debian `chromium` driven by playwright-core), where screenshots go,
 * and a pixel count of a screenshot done by the browser itself (canvas), so no PNG library is needed.
 */
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SHOTS = path.join(os.tmpdir(), 'correctly-screenshots');

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: run \`bash scripts/setup.sh --test\` (installs Debian's chromium) or set CHROMIUM_PATH`);
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
}

/** Pixels of `screenshot` close to `rgb`, counted by the browser itself (canvas), so no PNG library is needed. */
export async function countPixels(page: Page, screenshot: Buffer, colors: Record<string, [number, number, number]>): Promise<Record<string, number>> {
  return page.evaluate(
    async ({ b64, colors }) => {
      const g0 = globalThis as any; // runs in the page (DOM), typed here without the DOM lib
      const img = new g0.Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const canvas = new g0.OffscreenCanvas(img.width, img.height);
      const g = canvas.getContext('2d')!;
      g.drawImage(img, 0, 0);
      const px = g.getImageData(0, 0, img.width, img.height).data;
      const out: Record<string, number> = {};
      for (const [name, [r, gg, b]] of Object.entries(colors)) {
        let n = 0;
        for (let i = 0; i < px.length; i += 4) if (Math.abs(px[i] - r) + Math.abs(px[i + 1] - gg) + Math.abs(px[i + 2] - b) < 12) n++;
        out[name] = n;
      }
      return out;
    },
    { b64: screenshot.toString('base64'), colors },
  );
}
