/** Command lines of first-run setup (issue 10): `hearth setup recommend|detect [--json]`. */
import { UsageError } from './errors.js';
import { help, parse } from './args.js';

export type SetupCommand =
  { name: 'setup.recommend'; json: boolean } | { name: 'setup.detect'; json: boolean };

export function parseSetup(args: string[]): SetupCommand | { name: 'help' } {
  const { values, positionals } = parse(args, { help, json: { type: 'boolean' } });
  if (values.help) return { name: 'help' };
  const [action, extra] = positionals;
  if (extra !== undefined) throw new UsageError(`'hearth setup ${action}' takes no argument '${extra}'.`);
  const json = values.json ?? false;
  switch (action) {
    case 'recommend':
      return { name: 'setup.recommend', json };
    case 'detect':
      return { name: 'setup.detect', json };
    case undefined:
      throw new UsageError("'hearth setup' needs an action (recommend, detect).");
    default:
      throw new UsageError(`Unknown setup action '${action}' (recommend, detect).`);
  }
}
