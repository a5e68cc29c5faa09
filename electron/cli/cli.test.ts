// The CLI in-process, with the real engine on a temporary HEARTH_HOME and the generated model.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTestModel } from '../../test/support/index.js';
import type { ModelEntry } from '../common/api/contract.js';
import { makeRendererFixture, openSocket, rawRequest, type RendererFixture } from '../host/testing.js';
import { BROKEN_MODEL_ID, makeTestHome, TEST_MODEL_ID, type TestHome } from '../host/testEngine.js';
import { runCliToEnd, startCli } from './testing.js';
import { USAGE } from './usage.js';

let home: TestHome;
let emptyHome: TestHome;
let outside: string;

beforeAll(async () => {
  home = await makeTestHome({ models: true, broken: true });
  emptyHome = await makeTestHome();
  outside = await mkdtemp(join(tmpdir(), 'hearth-outside-'));
});

afterAll(async () => {
  await home?.cleanup();
  await emptyHome?.cleanup();
  await rm(outside, { recursive: true, force: true });
});

interface JsonLine {
  type: 'delta' | 'done';
  text: string;
  stopReason?: string;
  generatedTokens?: number;
}

function jsonLines(text: string): JsonLine[] {
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as JsonLine);
}

describe('hearth --help and --version', () => {
  it('prints the usage to stdout and exits 0', async () => {
    const run = await runCliToEnd(['--help'], { home: home.home });
    expect(run).toMatchObject({ code: 0, stdout: USAGE, stderr: '' });
    for (const command of ['serve', 'models list', 'chat --model']) expect(run.stdout).toContain(command);
  });

  it('prints the version', async () => {
    expect(await runCliToEnd(['--version'], { home: home.home })).toMatchObject({
      code: 0,
      stdout: 'hearth 0.0.0-test\n',
    });
  });
});

describe('usage errors (exit 1)', () => {
  it.each([[[]], [['launch']], [['models']], [['chat', 'hi']], [['serve', '--port', 'x']]])(
    '%j exits 1 with the reason and the usage on stderr, opening no engine',
    async (argv) => {
      const run = await runCliToEnd(argv, { home: home.home });
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^hearth: .+\n\nUsage: hearth <command>/);
      expect(run.engines.opened).toBe(0);
    },
  );
});

describe('hearth models list', () => {
  it('--json prints every model, the broken file with its reason', async () => {
    const run = await runCliToEnd(['models', 'list', '--json'], { home: home.home });
    expect(run.code).toBe(0);
    const models = JSON.parse(run.stdout) as ModelEntry[];
    expect(models.map((m) => [m.id, m.usable])).toEqual([
      [BROKEN_MODEL_ID, false],
      [TEST_MODEL_ID, true],
    ]);
    expect(models[0]?.problem).toMatch(/not a GGUF/i);
    expect(models[1]).toMatchObject({ architecture: 'llama', quantization: 'F32', contextLength: 4096 });
    expect(run.engines).toEqual({ opened: 1, disposed: 1 });
  });

  it('prints a table for people', async () => {
    const run = await runCliToEnd(['models', 'list'], { home: home.home });
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(`Models in ${home.modelsDir}`);
    expect(lines[2]).toMatch(/^ID\s+NAME\s+SIZE\s+ARCH\s+PARAMS\s+QUANT\s+CTX$/);
    expect(run.stdout).toMatch(/broken\.gguf .*unusable: .*not a GGUF/i);
    expect(run.stdout).toMatch(
      /tiny\.gguf\s+Hearth test model \(seed 1\)\s+\d+ KB\s+llama\s+\d+K\s+F32\s+4096/,
    );
  });

  it('says where to put a model when there is none', async () => {
    const run = await runCliToEnd(['models', 'list'], { home: emptyHome.home });
    expect(run).toMatchObject({
      code: 0,
      stdout: `No models yet. Put a .gguf file in ${emptyHome.modelsDir}\n`,
    });
    const json = await runCliToEnd(['models', 'list', '--json'], { home: emptyHome.home });
    expect(JSON.parse(json.stdout)).toEqual([]);
  });
});

describe('hearth chat', () => {
  it('streams the answer as text, ending with a newline', async () => {
    const run = await runCliToEnd(['chat', '--model', 'tiny', '--max-tokens', '16', 'Hello there'], {
      home: home.home,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.trim().length).toBeGreaterThan(0);
    expect(run.stdout.endsWith('\n')).toBe(true);
    expect(run.engines).toEqual({ opened: 1, disposed: 1 });
  });

  it('--json prints one object per line: the deltas, then the result', async () => {
    const run = await runCliToEnd(['chat', '--json', '-m', TEST_MODEL_ID, '--max-tokens', '12', 'Hi'], {
      home: home.home,
    });
    expect(run.code).toBe(0);
    const lines = jsonLines(run.stdout);
    const done = lines.pop();
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.every((line) => line.type === 'delta' && line.text !== '')).toBe(true);
    expect(done).toMatchObject({ type: 'done', stopReason: 'maxTokens', generatedTokens: 12 });
    expect(lines.map((line) => line.text).join('')).toBe(done?.text);
  });

  it('loads a model file from outside the models folder, by a path relative to the working folder', async () => {
    const model = await ensureTestModel();
    const run = await runCliToEnd(
      ['chat', '--model', relative(outside, model), '--max-tokens', '8', '--json', 'Hi'],
      {
        home: emptyHome.home,
        cwd: outside,
      },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(jsonLines(run.stdout).pop()).toMatchObject({ type: 'done', generatedTokens: 8 });
  });

  it('stops on Ctrl-C, keeping what was printed, and exits 130', async () => {
    const run = startCli(['chat', '--model', 'tiny', '--max-tokens', '32768', '--json', 'Go on and on'], {
      home: home.home,
    });
    await run.stdout.waitFor(/"type":"delta"/);
    run.interrupt.abort();
    expect(await run.exit).toBe(130);
    const done = jsonLines(run.stdout.text).pop();
    expect(done).toMatchObject({ type: 'done', stopReason: 'cancelled' });
    expect(done?.generatedTokens).toBeLessThan(32_768);
    expect(run.engines).toEqual({ opened: 1, disposed: 1 });
  });

  describe('runtime errors (exit 2, one line on stderr)', () => {
    it('names the folder when the model is not there', async () => {
      const run = await runCliToEnd(['chat', '--model', 'x', 'hi'], { home: home.home });
      expect(run).toMatchObject({
        code: 2,
        stdout: '',
        stderr: `hearth: Model 'x' not found in ${home.modelsDir}\n`,
      });
      expect(run.engines).toEqual({ opened: 1, disposed: 1 });
    });

    it('gives the reason a listed file cannot be used', async () => {
      const run = await runCliToEnd(['chat', '--model', 'broken', 'hi'], { home: home.home });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^hearth: Model 'broken\.gguf' cannot be used: .*GGUF.*\n$/);
    });

    it('refuses a file outside the folder that is not a GGUF, and a missing path', async () => {
      const fake = join(outside, 'fake.gguf');
      await writeFile(fake, 'not a model');
      const run = await runCliToEnd(['chat', '--model', fake, 'hi'], { home: emptyHome.home });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^hearth: .*GGUF.*\n$/);
      expect(run.stderr.split('\n')).toHaveLength(2);

      const missing = await runCliToEnd(['chat', '--model', join(outside, 'missing.gguf'), 'hi'], {
        home: emptyHome.home,
      });
      expect(missing).toMatchObject({
        code: 2,
        stderr: `hearth: Model file '${join(outside, 'missing.gguf')}' not found.\n`,
      });
    });
  });
});

describe('hearth serve', () => {
  let fixture: RendererFixture;
  beforeAll(async () => {
    fixture = await makeRendererFixture();
  });
  afterAll(async () => {
    await rm(fixture.root, { recursive: true, force: true });
  });

  it('prints the address, serves the UI and the socket, and shuts down cleanly on Ctrl-C', async () => {
    const run = startCli(['serve'], { home: home.home, rendererDir: fixture.rendererDir });
    const [, port, token] = await run.stdout.waitFor(
      /^Hearth is running at http:\/\/127\.0\.0\.1:(\d+)\/#token=([A-Za-z0-9_-]{43})\n/,
    );
    const page = await rawRequest(Number(port), '/', { headers: { authorization: `Bearer ${token}` } });
    expect(page.status).toBe(200);
    expect((await rawRequest(Number(port), '/')).status).toBe(401);
    const socket = await openSocket(Number(port), { path: `/api?token=${token}` });
    if (!socket.ok) throw new Error(`socket refused: ${socket.status}`);
    expect((await socket.client.call('app.info', {})).type).toBe('result');

    run.interrupt.abort();
    expect(await run.exit).toBe(0);
    expect(await socket.client.closed).toBe(1001);
    expect(run.engines).toEqual({ opened: 1, disposed: 1 });
    await expect(rawRequest(Number(port), '/')).rejects.toThrow();
  });

  it('takes --port', async () => {
    const probe = startCli(['serve', '--port', '0'], { home: home.home, rendererDir: fixture.rendererDir });
    const [, port] = await probe.stdout.waitFor(/127\.0\.0\.1:(\d+)\//);
    probe.interrupt.abort();
    await probe.exit;
    // The port just freed is very likely still free.
    const run = startCli(['serve', '--port', port ?? ''], {
      home: home.home,
      rendererDir: fixture.rendererDir,
    });
    await run.stdout.waitFor(new RegExp(`127\\.0\\.0\\.1:${port}/#token=`));
    run.interrupt.abort();
    expect(await run.exit).toBe(0);
  });

  it('exits 2 when the UI is not built', async () => {
    const missing = join(outside, 'no-renderer');
    await mkdir(missing, { recursive: true });
    const run = await runCliToEnd(['serve'], { home: home.home, rendererDir: missing });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^hearth: The app's UI is not built .*npm run build/);
    expect(run.engines.opened).toBe(0);
  });
});
