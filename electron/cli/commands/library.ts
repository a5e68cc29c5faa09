/**
 * The library from a terminal: `hearth add`, `search`, `docs list|rm`, `collections ...`, all
 * through the contract. Progress goes to stderr, results to stdout (JSON with --json).
 */
import { resolve } from 'node:path';
import type { IngestItem, LibraryDocument, Passage } from '../../common/api/contract.js';
import { CoreClient } from '../client.js';
import { withEngine, type CliContext } from '../context.js';
import { CliError, ExitCode } from '../errors.js';
import { formatBytes } from '../format.js';
import type { LibraryCommand } from '../libraryArgs.js';

type Of<N extends LibraryCommand['name']> = Extract<LibraryCommand, { name: N }>;

function writeJson(context: CliContext, value: unknown): void {
  context.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

function describeItem(item: IngestItem): string {
  const detail =
    item.state === 'ready'
      ? ` (${item.chunkCount ?? 0} chunks)${item.reason ? `: ${item.reason}` : ''}`
      : item.reason
        ? `: ${item.reason}`
        : '';
  return `${item.state.padEnd(8)} ${item.path}${detail}`;
}

export async function runAdd(context: CliContext, command: Of<'add'>): Promise<number> {
  return withEngine(
    context,
    async (engine) => {
      const client = new CoreClient(engine.handlers);
      const ours = new Set<string>();
      const finished = new Map<string, IngestItem>();
      const stop = engine.onEvent((event, payload) => {
        if (event !== 'library.progress' || !ours.has(payload.item.id)) return;
        const { item, overall } = payload;
        if (item.state === 'ready' || item.state === 'skipped' || item.state === 'failed') {
          finished.set(item.id, item);
          const eta = overall.etaSeconds === undefined ? '' : `, about ${overall.etaSeconds}s left`;
          context.stderr.write(
            `[${overall.ready + overall.skipped + overall.failed}/${overall.total}${eta}] ${describeItem(item)}\n`,
          );
        }
      });
      try {
        const { queued } = await client.call('library.add', {
          paths: command.paths.map((path) => resolve(context.cwd, path)),
          ...(command.collection ? { collection: command.collection } : {}),
          watch: command.watch,
        });
        for (const item of queued) {
          ours.add(item.id);
          if (item.state !== 'queued') finished.set(item.id, item);
        }
        context.stderr.write(`Adding ${queued.length} file${queued.length === 1 ? '' : 's'}...\n`);
        try {
          await client.call('library.waitIdle', {}, { signal: context.interrupt });
        } catch (error) {
          if (!context.interrupt.aborted) throw error;
          context.stderr.write('Stopped. Files not indexed yet stay queued and resume next time.\n');
          return ExitCode.Interrupted;
        }
        const status = await client.call('library.status', {});
        const items = status.items.filter((item) => ours.has(item.id));
        if (command.json) writeJson(context, items);
        else {
          const count = (state: string) => items.filter((i) => i.state === state).length;
          context.stdout.write(
            `${count('ready')} indexed, ${count('skipped')} skipped, ${count('failed')} failed.\n`,
          );
        }
        if (command.watch) {
          context.stderr.write('Watching for changes (Ctrl-C to stop)...\n');
          stop();
          const watching = engine.onEvent((event, payload) => {
            if (event === 'library.progress' && ['ready', 'skipped', 'failed'].includes(payload.item.state)) {
              context.stderr.write(`${describeItem(payload.item)}\n`);
            } else if (event === 'library.changed' && payload.reason === 'document-removed') {
              context.stderr.write('removed  a deleted file left the library\n');
            } else if (event === 'library.watch' && payload.state === 'synced') {
              context.stderr.write(`synced   ${payload.path} is up to date\n`);
            } else if (event === 'library.watch' && payload.state === 'error') {
              context.stderr.write(`error    ${payload.path}: ${payload.reason ?? 'cannot be watched'}\n`);
            }
          });
          await new Promise<void>((done) => {
            if (context.interrupt.aborted) done();
            context.interrupt.addEventListener('abort', () => done(), { once: true });
          });
          watching();
          return ExitCode.Ok;
        }
        return ExitCode.Ok;
      } finally {
        stop();
      }
    },
    { longRunning: command.watch },
  );
}

function snippet(passage: Passage, width = 240): string {
  const first = passage.highlights[0]?.[0] ?? 0;
  const start = Math.max(0, first - Math.floor(width / 3));
  const text = passage.text
    .slice(start, start + width)
    .replace(/\s+/g, ' ')
    .trim();
  return `${start > 0 ? '…' : ''}${text}${start + width < passage.text.length ? '…' : ''}`;
}

export async function runSearch(context: CliContext, command: Of<'search'>): Promise<number> {
  return withEngine(context, async (engine) => {
    const client = new CoreClient(engine.handlers);
    const passages = await client.call('library.search', {
      query: command.query,
      mode: command.mode,
      limit: command.limit,
      ...(command.collections.length ? { collections: command.collections } : {}),
    });
    if (command.json) {
      writeJson(context, passages);
      return ExitCode.Ok;
    }
    if (passages.length === 0) {
      context.stdout.write('No passages found.\n');
      return ExitCode.Ok;
    }
    passages.forEach((p, i) => {
      const where = [p.page !== undefined ? `page ${p.page}` : '', p.headingPath.join(' > ')]
        .filter(Boolean)
        .join(', ');
      context.stdout.write(
        `${i + 1}. ${p.documentName}${where ? ` (${where})` : ''}  score ${p.score.toFixed(4)}\n` +
          `   ${p.path} [${p.charStart}-${p.charEnd}]\n   ${snippet(p)}\n\n`,
      );
    });
    return ExitCode.Ok;
  });
}

function documentTable(documents: LibraryDocument[], collections: Map<string, string>): string {
  const rows = [
    ['ID', 'NAME', 'COLLECTION', 'KIND', 'SIZE', 'CHUNKS', 'INDEXED'],
    ...documents.map((d) => [
      d.id.slice(0, 12),
      d.name,
      collections.get(d.collectionId) ?? d.collectionId,
      d.kind,
      formatBytes(d.sizeBytes),
      String(d.chunkCount),
      d.indexedAt.slice(0, 16).replace('T', ' '),
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  '))
    .join('\n');
}

export async function runDocs(
  context: CliContext,
  command: Of<'docs.list'> | Of<'docs.rm'>,
): Promise<number> {
  return withEngine(context, async (engine) => {
    const client = new CoreClient(engine.handlers);
    if (command.name === 'docs.list') {
      const documents = await client.call(
        'library.documents',
        command.collection ? { collection: command.collection } : {},
      );
      if (command.json) writeJson(context, documents);
      else if (documents.length === 0)
        context.stdout.write('No documents yet. Add some with `hearth add <file or folder>`.\n');
      else {
        const collections = new Map((await client.call('collections.list', {})).map((c) => [c.id, c.name]));
        context.stdout.write(`${documentTable(documents, collections)}\n`);
      }
      return ExitCode.Ok;
    }
    const documents = await client.call('library.documents', {});
    const removed: string[] = [];
    for (const target of command.targets) {
      const path = resolve(context.cwd, target);
      const matches = documents.filter(
        (d) => d.id === target || (target.length >= 6 && d.id.startsWith(target)) || d.path === path,
      );
      if (matches.length === 0) throw new CliError(`No document '${target}' in the library.`);
      for (const document of matches) {
        await client.call('library.removeDocument', { documentId: document.id });
        removed.push(document.id);
        if (!command.json) context.stdout.write(`Removed ${document.name} (${document.id.slice(0, 12)}).\n`);
      }
    }
    if (command.json) writeJson(context, { removed });
    return ExitCode.Ok;
  });
}

export async function runCollections(
  context: CliContext,
  command:
    Of<'collections.list'> | Of<'collections.create'> | Of<'collections.rename'> | Of<'collections.rm'>,
): Promise<number> {
  return withEngine(context, async (engine) => {
    const client = new CoreClient(engine.handlers);
    const find = async (ref: string) => {
      const all = await client.call('collections.list', {});
      const found =
        all.find((c) => c.id === ref) ?? all.find((c) => c.name.toLowerCase() === ref.toLowerCase());
      if (!found) throw new CliError(`No collection '${ref}'.`);
      return found;
    };
    switch (command.name) {
      case 'collections.list': {
        const all = await client.call('collections.list', {});
        if (command.json) writeJson(context, all);
        else if (all.length === 0) context.stdout.write('No collections yet.\n');
        else
          for (const c of all) context.stdout.write(`${c.name}  (${c.documentCount} documents)  ${c.id}\n`);
        return ExitCode.Ok;
      }
      case 'collections.create': {
        const created = await client.call('collections.create', { name: command.collection });
        if (command.json) writeJson(context, created);
        else context.stdout.write(`Created collection ${created.name}.\n`);
        return ExitCode.Ok;
      }
      case 'collections.rename': {
        const found = await find(command.collection);
        const renamed = await client.call('collections.rename', {
          collectionId: found.id,
          name: command.newName,
        });
        if (command.json) writeJson(context, renamed);
        else context.stdout.write(`Renamed ${found.name} to ${renamed.name}.\n`);
        return ExitCode.Ok;
      }
      case 'collections.rm': {
        const found = await find(command.collection);
        const result = await client.call('collections.delete', { collectionId: found.id });
        if (command.json) writeJson(context, result);
        else
          context.stdout.write(
            `Deleted collection ${found.name} and its ${found.documentCount} documents.\n`,
          );
        return ExitCode.Ok;
      }
    }
  });
}
