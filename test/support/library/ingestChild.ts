/**
 * A child process for the crash-resume test: opens the engine on HEARTH_HOME, adds the folder in
 * argv[2], and prints each finished file as one JSON line, so the test can kill it mid-batch.
 */
import { createEngine } from '../../../electron/core/Engine.js';

const [folder] = process.argv.slice(2);
const engine = await createEngine({
  home: process.env.HEARTH_HOME!,
  version: '0.0.0-test',
  threads: 1,
});
engine.onEvent((event, payload) => {
  if (event === 'library.progress') process.stdout.write(`${JSON.stringify(payload.item)}\n`);
});
await engine.handlers['library.add'](
  { paths: [folder!] },
  {
    requestId: 'child',
    signal: new AbortController().signal,
    emit: () => {},
  },
);
await engine.handlers['library.waitIdle'](
  {},
  { requestId: 'wait', signal: new AbortController().signal, emit: () => {} },
);
await engine.dispose();
