/** The command line of `hearth ask` (grounded answers, issue 5). */
import { help, integer, MAX_TOKENS_LIMIT, parse } from './args.js';
import { UsageError } from './errors.js';

export interface AskCommand {
  name: 'ask';
  question: string;
  collections: string[];
  model?: string;
  maxTokens?: number;
  json: boolean;
}

export function parseAsk(args: string[]): AskCommand | { name: 'help' } {
  const { values, positionals } = parse(args, {
    help,
    json: { type: 'boolean' },
    collection: { type: 'string', short: 'c', multiple: true },
    model: { type: 'string', short: 'm' },
    'max-tokens': { type: 'string' },
  });
  if (values.help) return { name: 'help' };
  const question = positionals.join(' ').trim();
  if (!question) throw new UsageError("'hearth ask' needs a question.");
  const collections = values.collection ?? [];
  if (collections.length === 0) throw new UsageError("'hearth ask' needs --collection NAME (one or more).");
  const maxTokens = values['max-tokens'];
  return {
    name: 'ask',
    question,
    collections,
    json: values.json ?? false,
    ...(values.model ? { model: values.model } : {}),
    ...(maxTokens === undefined
      ? {}
      : { maxTokens: integer(maxTokens, '--max-tokens', 1, MAX_TOKENS_LIMIT) }),
  };
}
