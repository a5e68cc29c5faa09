/** Turns the command line into a Command, or a UsageError that says what is wrong. Runs nothing. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';
import { parseSetup, type SetupCommand } from './setupArgs.js';
import { parseAdd, parseCollections, parseDocs, parseSearch, type LibraryCommand } from './libraryArgs.js';
// Privacy (issue 7)
import { parseData, parsePrivacy, type PrivacyCommand } from './privacyArgs.js';
import { parseAsk, type AskCommand } from './askArgs.js';
import { parseLibrary, type LibraryEmbedderCommand } from './commands/libraryEmbedder.js';

export type Command =
  | { name: 'help' }
  | { name: 'version' }
  | { name: 'serve'; port?: number; api?: { port?: number; key?: string } }
  | { name: 'models.list'; json: boolean }
  | { name: 'models.pull'; source: string; quantization?: string; json: boolean }
  | { name: 'models.rm'; model: string; json: boolean }
  | { name: 'models.info'; model: string; json: boolean }
  | { name: 'models.import'; path: string; link: boolean; json: boolean }
  | { name: 'chat'; model: string; prompt: string; maxTokens?: number; json: boolean }
  | { name: 'chats.list'; json: boolean; deleted: boolean }
  | { name: 'chats.export'; id: string; format: 'markdown' | 'json'; output?: string }
  | { name: 'chats.import'; file: string; json: boolean }
  | { name: 'chats.search'; query: string; json: boolean; limit?: number }
  | LibraryCommand
  // First-run setup (issue 10).
  | SetupCommand
  // Privacy (issue 7)
  | PrivacyCommand
  // Grounded answers (issue 5)
  | AskCommand
  // Library embedding model setting (issue 4)
  | LibraryEmbedderCommand;

/** The most tokens one answer may ask for (the contract's own bound for chat.send). */
export const MAX_TOKENS_LIMIT = 32_768;

export const help = { type: 'boolean', short: 'h' } as const;

type ArgOptions = NonNullable<ParseArgsConfig['options']>;
export type ParsedArgs<O extends ArgOptions> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>
>;

export function parse<O extends ArgOptions>(args: string[], options: O): ParsedArgs<O> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs explains unknown options and missing values well; keep its first sentence.
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(message.split('. To specify')[0] ?? message);
  }
}

export function integer(value: string, option: string, min: number, max: number): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${option} takes a whole number, not '${value}'.`);
  const number = Number(value);
  if (number < min || number > max) throw new UsageError(`${option} must be between ${min} and ${max}.`);
  return number;
}

function noPositionals(positionals: string[], command: string): void {
  if (positionals.length > 0) {
    throw new UsageError(`'hearth ${command}' takes no argument '${positionals[0]}'.`);
  }
}

function parseServe(args: string[]): Command {
  const { values, positionals } = parse(args, {
    help,
    port: { type: 'string', short: 'p' },
    // Local API (issue 8)
    api: { type: 'boolean' },
    'api-port': { type: 'string' },
    'api-key': { type: 'string' },
  });
  if (values.help) return { name: 'help' };
  noPositionals(positionals, 'serve');
  const command: Extract<Command, { name: 'serve' }> = { name: 'serve' };
  if (values.port !== undefined) command.port = integer(values.port, '--port', 0, 65_535);
  if (!values.api && (values['api-port'] !== undefined || values['api-key'] !== undefined)) {
    throw new UsageError('--api-port and --api-key go with --api.');
  }
  if (values.api) {
    command.api = {};
    if (values['api-port'] !== undefined)
      command.api.port = integer(values['api-port'], '--api-port', 1, 65_535);
    if (values['api-key'] !== undefined) {
      if (values['api-key'].length < 16) throw new UsageError('--api-key must be at least 16 characters.');
      command.api.key = values['api-key'];
    }
  }
  return command;
}

const MODELS_ACTIONS = 'list, pull, rm, info, import';

function parseModels(args: string[]): Command {
  const { values, positionals } = parse(args, {
    help,
    json: { type: 'boolean' },
    quant: { type: 'string', short: 'q' },
    link: { type: 'boolean' },
  });
  if (values.help) return { name: 'help' };
  const [action, ...rest] = positionals;
  const json = values.json ?? false;
  const one = (what: string): string => {
    const [value, extra] = rest;
    if (value === undefined) throw new UsageError(`'hearth models ${action}' needs ${what}.`);
    if (extra !== undefined)
      throw new UsageError(`'hearth models ${action}' takes one ${what}, not also '${extra}'.`);
    return value;
  };
  const only = (option: string, allowed: boolean) => {
    if (!allowed) throw new UsageError(`--${option} is not an option of 'hearth models ${action}'.`);
  };
  only('quant', values.quant === undefined || action === 'pull');
  only('link', values.link === undefined || action === 'import');
  switch (action) {
    case 'list':
      noPositionals(rest, 'models list');
      return { name: 'models.list', json };
    case 'pull': {
      const source = one('a catalog id, hf:owner/repo/file.gguf or an https URL');
      return { name: 'models.pull', source, json, ...(values.quant ? { quantization: values.quant } : {}) };
    }
    case 'rm':
      return { name: 'models.rm', model: one('a model name or id'), json };
    case 'info':
      return { name: 'models.info', model: one('a model name or id'), json };
    case 'import':
      return {
        name: 'models.import',
        path: one('the path of a .gguf file'),
        link: values.link ?? false,
        json,
      };
    case undefined:
      throw new UsageError(`'hearth models' needs an action: ${MODELS_ACTIONS}.`);
    default:
      throw new UsageError(`Unknown models action '${action}' (one of ${MODELS_ACTIONS}).`);
  }
}

function parseChat(args: string[]): Command {
  const { values, positionals } = parse(args, {
    help,
    model: { type: 'string', short: 'm' },
    'max-tokens': { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) return { name: 'help' };
  if (!values.model) throw new UsageError("'hearth chat' needs --model <name|id|path>.");
  // Several words without quotes are one prompt, as a person would mean them.
  const prompt = positionals.join(' ');
  if (prompt.trim() === '') throw new UsageError("'hearth chat' needs a prompt.");
  const maxTokens = values['max-tokens'];
  return {
    name: 'chat',
    model: values.model,
    prompt,
    json: values.json ?? false,
    ...(maxTokens === undefined
      ? {}
      : { maxTokens: integer(maxTokens, '--max-tokens', 1, MAX_TOKENS_LIMIT) }),
  };
}

const CHATS_ACTIONS = 'list, export, import, search';

function parseChats(args: string[]): Command {
  const { values, positionals } = parse(args, {
    help,
    json: { type: 'boolean' },
    deleted: { type: 'boolean' },
    format: { type: 'string', short: 'f' },
    output: { type: 'string', short: 'o' },
    limit: { type: 'string' },
  });
  if (values.help) return { name: 'help' };
  const [action, ...rest] = positionals;
  const only = (allowed: string[]) => {
    for (const option of ['json', 'deleted', 'format', 'output', 'limit'] as const) {
      if (values[option] !== undefined && !allowed.includes(option)) {
        throw new UsageError(`'hearth chats ${action}' takes no --${option}.`);
      }
    }
  };
  switch (action) {
    case 'list':
      only(['json', 'deleted']);
      noPositionals(rest, 'chats list');
      return { name: 'chats.list', json: values.json ?? false, deleted: values.deleted ?? false };
    case 'export': {
      only(['format', 'output']);
      const [id, ...extra] = rest;
      if (!id)
        throw new UsageError("'hearth chats export' needs a conversation id (see 'hearth chats list').");
      noPositionals(extra, 'chats export');
      const format = values.format ?? 'md';
      if (format !== 'md' && format !== 'markdown' && format !== 'json') {
        throw new UsageError(`--format takes md or json, not '${format}'.`);
      }
      return {
        name: 'chats.export',
        id,
        format: format === 'json' ? 'json' : 'markdown',
        ...(values.output === undefined ? {} : { output: values.output }),
      };
    }
    case 'import': {
      only(['json']);
      const [file, ...extra] = rest;
      if (!file) throw new UsageError("'hearth chats import' needs a JSON file exported by Hearth.");
      noPositionals(extra, 'chats import');
      return { name: 'chats.import', file, json: values.json ?? false };
    }
    case 'search': {
      only(['json', 'limit']);
      const query = rest.join(' ');
      if (!query.trim()) throw new UsageError("'hearth chats search' needs the words to find.");
      return {
        name: 'chats.search',
        query,
        json: values.json ?? false,
        ...(values.limit === undefined ? {} : { limit: integer(values.limit, '--limit', 1, 200) }),
      };
    }
    case undefined:
      throw new UsageError(`'hearth chats' needs an action: ${CHATS_ACTIONS}.`);
    default:
      throw new UsageError(`Unknown chats action '${action}' (${CHATS_ACTIONS}).`);
  }
}

export function parseCommand(argv: readonly string[]): Command {
  const [first, ...rest] = argv;
  switch (first) {
    case undefined:
      throw new UsageError('A command is required.');
    case '-h':
    case '--help':
    case 'help':
      return { name: 'help' };
    case '-v':
    case '--version':
      return { name: 'version' };
    case 'serve':
      return parseServe(rest);
    case 'models':
      return parseModels(rest);
    case 'chat':
      return parseChat(rest);
    case 'chats':
      return parseChats(rest);
    case 'add':
      return parseAdd(rest);
    case 'search':
      return parseSearch(rest);
    case 'docs':
      return parseDocs(rest);
    case 'collections':
      return parseCollections(rest);
    // First-run setup (issue 10).
    case 'setup':
      return parseSetup(rest);
    // Privacy (issue 7)
    case 'privacy':
      return parsePrivacy(rest);
    case 'data':
      return parseData(rest);
    // Grounded answers (issue 5)
    case 'ask':
      return parseAsk(rest);
    // Library embedding model setting (issue 4)
    case 'library':
      return parseLibrary(rest);
    default:
      throw new UsageError(
        first.startsWith('-') ? `Unknown option '${first}'.` : `Unknown command '${first}'.`,
      );
  }
}
