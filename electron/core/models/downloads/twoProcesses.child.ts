/**
 * One Hearth process pulling a catalog model, as `hearth models pull` does: the real engine
 * on a data folder, its download events and the outcome as JSON lines on stdout.
 * Usage (after bundling): node twoProcesses.child.mjs <home> <catalog url> <hf base> <source>
 */
import { serializeError } from '../../../common/api/errors.js';
import type { DownloadInfo } from '../../../common/api/contract.js';
import { createEngine } from '../../Engine.js';

const [home, catalogUrl, hfBase, source] = process.argv.slice(2);
if (!home || !catalogUrl || !hfBase || !source)
  throw new Error('usage: child <home> <catalog> <hf> <source>');
const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

const engine = await createEngine({
  home,
  version: '0.0.0-test',
  threads: 1,
  env: { HEARTH_CATALOG_URL: catalogUrl, HEARTH_HF_BASE: hfBase },
  downloads: { autoResume: false, baseDelayMs: 10 },
});
const finished = new Promise<DownloadInfo>((resolve) => {
  engine.onEvent((event, payload) => {
    if (event !== 'downloads.changed') return;
    const info = payload as DownloadInfo;
    say({ pid: process.pid, download: info });
    if (info.state === 'done' || info.state === 'failed') resolve(info);
  });
});
try {
  await engine.handlers['downloads.start'](
    { source },
    { requestId: 'r1', signal: new AbortController().signal, emit: () => undefined },
  );
  say({ finished: await finished });
} catch (error) {
  say({ error: serializeError(error) });
}
await engine.dispose();
