/** Command lines of the library commands: add, search, docs, collections. */
import { UsageError } from './errors.js';
import { help, integer, parse } from './args.js';

export type SearchModeArg = 'hybrid' | 'vector' | 'text';

export type LibraryCommand =
  | { name: 'add'; paths: string[]; collection?: string; watch: boolean; json: boolean }
  | {
      name: 'search';
      query: string;
      collections: string[];
      mode: SearchModeArg;
      limit: number;
      json: boolean;
    }
  | { name: 'docs.list'; collection?: string; json: boolean }
  | { name: 'docs.rm'; targets: string[]; json: boolean }
  | { name: 'collections.list'; json: boolean }
  | { name: 'collections.create'; collection: string; json: boolean }
  | { name: 'collections.rename'; collection: string; newName: string; json: boolean }
  | { name: 'collections.rm'; collection: string; json: boolean };

const json = { type: 'boolean' } as const;
const collection = { type: 'string', short: 'c' } as const;

export function parseAdd(args: string[]): LibraryCommand | { name: 'help' } {
  const { values, positionals } = parse(args, {
    help,
    json,
    collection,
    watch: { type: 'boolean', short: 'w' },
  });
  if (values.help) return { name: 'help' };
  if (positionals.length === 0) throw new UsageError("'hearth add' needs at least one file or folder.");
  return {
    name: 'add',
    paths: positionals,
    ...(values.collection ? { collection: values.collection } : {}),
    watch: values.watch ?? false,
    json: values.json ?? false,
  };
}

export function parseSearch(args: string[]): LibraryCommand | { name: 'help' } {
  const { values, positionals } = parse(args, {
    help,
    json,
    collection: { type: 'string', short: 'c', multiple: true },
    mode: { type: 'string', short: 'm' },
    limit: { type: 'string', short: 'n' },
  });
  if (values.help) return { name: 'help' };
  const query = positionals.join(' ').trim();
  if (!query) throw new UsageError("'hearth search' needs a query.");
  const mode = values.mode ?? 'hybrid';
  if (mode !== 'hybrid' && mode !== 'vector' && mode !== 'text') {
    throw new UsageError(`--mode takes hybrid, vector or text, not '${mode}'.`);
  }
  return {
    name: 'search',
    query,
    collections: values.collection ?? [],
    mode,
    limit: values.limit === undefined ? 10 : integer(values.limit, '--limit', 1, 200),
    json: values.json ?? false,
  };
}

export function parseDocs(args: string[]): LibraryCommand | { name: 'help' } {
  const { values, positionals } = parse(args, { help, json, collection });
  if (values.help) return { name: 'help' };
  const [action, ...rest] = positionals;
  if (action === 'list') {
    if (rest.length > 0) throw new UsageError(`'hearth docs list' takes no argument '${rest[0]}'.`);
    return {
      name: 'docs.list',
      ...(values.collection ? { collection: values.collection } : {}),
      json: values.json ?? false,
    };
  }
  if (action === 'rm') {
    if (rest.length === 0) throw new UsageError("'hearth docs rm' needs a document id or file path.");
    return { name: 'docs.rm', targets: rest, json: values.json ?? false };
  }
  throw new UsageError(
    action === undefined ? "'hearth docs' needs an action: list or rm." : `Unknown docs action '${action}'.`,
  );
}

export function parseCollections(args: string[]): LibraryCommand | { name: 'help' } {
  const { values, positionals } = parse(args, { help, json });
  if (values.help) return { name: 'help' };
  const [action, ...rest] = positionals;
  const asJson = values.json ?? false;
  const one = (what: string): string => {
    if (rest.length !== 1) throw new UsageError(`'hearth collections ${action}' needs ${what}.`);
    return rest[0]!;
  };
  switch (action) {
    case 'list':
      if (rest.length > 0) throw new UsageError(`'hearth collections list' takes no argument '${rest[0]}'.`);
      return { name: 'collections.list', json: asJson };
    case 'create':
      return { name: 'collections.create', collection: one('a name'), json: asJson };
    case 'rm':
      return { name: 'collections.rm', collection: one('a collection name or id'), json: asJson };
    case 'rename':
      if (rest.length !== 2)
        throw new UsageError("'hearth collections rename' needs the collection and its new name.");
      return { name: 'collections.rename', collection: rest[0]!, newName: rest[1]!, json: asJson };
    default:
      throw new UsageError(
        action === undefined
          ? "'hearth collections' needs an action: list, create, rename or rm."
          : `Unknown collections action '${action}'.`,
      );
  }
}
