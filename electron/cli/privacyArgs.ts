/** Command lines of the privacy commands (issue 7): privacy ledger|offline, data delete. */
import { help, parse } from './args.js';
import { UsageError } from './errors.js';

export type PrivacyCommand =
  | { name: 'privacy.ledger'; json: boolean; limit?: number }
  | { name: 'privacy.offline'; offline: boolean | undefined; json: boolean }
  | { name: 'data.delete'; yes: boolean; keepModels: boolean; json: boolean };

const json = { type: 'boolean' } as const;

export function parsePrivacy(args: string[]): PrivacyCommand | { name: 'help' } {
  const { values, positionals } = parse(args, { help, json });
  if (values.help) return { name: 'help' };
  const [action, ...rest] = positionals;
  switch (action) {
    case 'ledger':
      if (rest.length > 0) throw new UsageError(`'hearth privacy ledger' takes no argument '${rest[0]}'.`);
      return { name: 'privacy.ledger', json: values.json ?? false };
    case 'offline': {
      const [state, extra] = rest;
      if (extra !== undefined || (state !== undefined && state !== 'on' && state !== 'off')) {
        throw new UsageError("'hearth privacy offline' takes 'on', 'off', or nothing to show the state.");
      }
      return {
        name: 'privacy.offline',
        offline: state === undefined ? undefined : state === 'on',
        json: values.json ?? false,
      };
    }
    case undefined:
      throw new UsageError("'hearth privacy' needs an action: ledger, offline.");
    default:
      throw new UsageError(`Unknown privacy action '${action}' (ledger, offline).`);
  }
}

export function parseData(args: string[]): PrivacyCommand | { name: 'help' } {
  const { values, positionals } = parse(args, {
    help,
    json,
    yes: { type: 'boolean', short: 'y' },
    'keep-models': { type: 'boolean' },
  });
  if (values.help) return { name: 'help' };
  const [action, ...rest] = positionals;
  if (action !== 'delete') {
    throw new UsageError(
      action === undefined
        ? "'hearth data' needs an action: delete."
        : `Unknown data action '${action}' (delete).`,
    );
  }
  if (rest.length > 0) throw new UsageError(`'hearth data delete' takes no argument '${rest[0]}'.`);
  return {
    name: 'data.delete',
    yes: values.yes ?? false,
    keepModels: values['keep-models'] ?? false,
    json: values.json ?? false,
  };
}
