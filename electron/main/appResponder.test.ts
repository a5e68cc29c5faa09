import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from './appRoutes.js';
import { createAppResponder } from './appResponder.js';

let base: string;
let respond: (request: Request) => Promise<Response>;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'hearth-app-responder-'));
  const renderer = join(base, 'renderer');
  await mkdir(join(renderer, 'assets'), { recursive: true });
  await writeFile(join(renderer, 'index.html'), '<!doctype html><title>Hearth</title>');
  await writeFile(join(renderer, 'assets', 'app.js'), 'console.log(1);');
  await writeFile(join(base, 'secret.txt'), 'not for the renderer');
  await symlink(join(base, 'secret.txt'), join(renderer, 'assets', 'leak.txt'));
  await symlink(join(renderer, 'assets', 'app.js'), join(renderer, 'assets', 'alias.js'));
  respond = createAppResponder(renderer);
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const get = (path: string, method = 'GET') => respond(new Request(`app://hearth${path}`, { method }));

describe('createAppResponder', () => {
  it('serves the page and its assets with their type and the CSP', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Hearth</title>');
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);

    const script = await get('/assets/app.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log(1);');
  });

  it('answers HEAD without a body', async () => {
    const head = await get('/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('refuses a missing file, a folder and a traversal with 404 and the CSP', async () => {
    for (const path of [
      '/missing.js',
      '/assets',
      '/assets/',
      '/..%2Fsecret.txt',
      '/assets/..%2F..%2Fsecret.txt',
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    }
  });

  it('follows a symlink that stays inside the folder, and refuses one that leaves it', async () => {
    expect((await get('/assets/alias.js')).status).toBe(200);
    const leak = await get('/assets/leak.txt');
    expect(leak.status).toBe(404);
    expect(await leak.text()).not.toContain('not for the renderer');
  });

  it('refuses other methods with 405', async () => {
    const response = await respond(new Request('app://hearth/index.html', { method: 'POST', body: 'x' }));
    expect(response.status).toBe(405);
  });
});
