/** Data folders for `hearth serve` runs: a models folder holding the benchmark's model. */
import { copyFile, mkdir, mkdtemp } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { markSetupDone } from '../../test/support/setupDone.js';

export async function makeHome(
  parent: string,
  modelPath: string,
): Promise<{ home: string; modelId: string }> {
  const home = await mkdtemp(join(parent, 'home-'));
  await mkdir(join(home, 'models'), { recursive: true });
  const modelId = basename(modelPath);
  await copyFile(modelPath, join(home, 'models', modelId));
  // A set-up app: the first-run welcome (issue 10) would cover the chat.
  await markSetupDone(home);
  return { home, modelId };
}

/** The port and token in an address the host printed (`http://127.0.0.1:PORT/#token=T`). */
export function parseHostUrl(url: string): { port: number; token: string } {
  const parsed = new URL(url);
  const token = new URLSearchParams(parsed.hash.slice(1)).get('token');
  if (!token) throw new Error(`No token in ${url}`);
  return { port: Number(parsed.port), token };
}
