/**
 * A child process for the kill -9 tests: the real engine behind the real headless host, on
 * HEARTH_HOME (catalog and download base from HEARTH_CATALOG_URL / HEARTH_HF_BASE as in the app).
 * Prints one JSON line, {port, token}, once it listens; the test drives it over the WebSocket as any
 * client would, then SIGKILLs it.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '../core/Engine.js';
import { startHost } from './index.js';

const rendererDir = await mkdtemp(join(tmpdir(), 'hearth-crash-renderer-'));
await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Hearth</title>');
const engine = await createEngine({ home: process.env['HEARTH_HOME']!, version: '0.0.0-crash', threads: 1 });
const host = await startHost({ engine, rendererDir });
process.stdout.write(`${JSON.stringify({ port: host.port, token: host.token })}\n`);
