/**
 * `hearth privacy ledger|offline` and `hearth data delete` (issue 7): the network ledger, offline
 * mode and "delete all my data" from the terminal, through the same privacy.* contract methods.
 */
import { DELETE_DATA_CONFIRMATION, type LedgerEntry } from '../../common/api/contract.js';
import { CoreClient } from '../client.js';
import { withEngine, type CliContext } from '../context.js';
import { CliError, ExitCode } from '../errors.js';

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatLedgerTable(entries: readonly LedgerEntry[]): string {
  const rows = entries.map((e) => [
    e.at.replace('T', ' ').slice(0, 19),
    e.allowed ? 'allowed' : 'BLOCKED',
    e.host,
    formatBytes(e.bytes),
    `${e.description}${e.reason ? ` (${e.reason})` : ''}${e.error ? ` (failed: ${e.error})` : ''}`,
  ]);
  const header = ['TIME (UTC)', 'RESULT', 'HOST', 'BYTES', 'PURPOSE'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export async function runPrivacyLedger(context: CliContext, options: { json: boolean }) {
  return withEngine(context, async (engine) => {
    const client = new CoreClient(engine.handlers);
    const [status, entries] = await Promise.all([
      client.call('privacy.status', {}),
      client.call('privacy.ledger', {}),
    ]);
    if (options.json) {
      context.stdout.write(`${JSON.stringify({ ...status, entries }, null, 2)}\n`);
      return ExitCode.Ok;
    }
    const { allowed, blocked } = status.connections;
    context.stdout.write(
      `Hearth has made ${allowed} network connection${allowed === 1 ? '' : 's'} since install` +
        ` (${blocked} more blocked). Offline mode is ${status.offline ? 'on' : 'off'}.\n`,
    );
    if (entries.length > 0) context.stdout.write(`\n${formatLedgerTable(entries)}\n`);
    return ExitCode.Ok;
  });
}

export async function runPrivacyOffline(context: CliContext, options: { offline?: boolean; json: boolean }) {
  return withEngine(context, async (engine) => {
    const client = new CoreClient(engine.handlers);
    const status =
      options.offline === undefined
        ? await client.call('privacy.status', {})
        : await client.call('privacy.set', { offline: options.offline });
    if (options.json) context.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
    else
      context.stdout.write(
        status.offline
          ? 'Offline mode is on: Hearth makes no network connection, downloads included.\n'
          : 'Offline mode is off.\n',
      );
    return ExitCode.Ok;
  });
}

export async function runDataDelete(
  context: CliContext,
  options: { yes: boolean; keepModels: boolean; json: boolean },
) {
  if (!options.yes) {
    throw new CliError(
      'This deletes every conversation, document index, setting and the network ledger' +
        `${options.keepModels ? '' : ', and every model'}. Run it again with --yes to do it.`,
    );
  }
  return withEngine(context, async (engine) => {
    const client = new CoreClient(engine.handlers);
    const result = await client.call('privacy.deleteAllData', {
      confirm: DELETE_DATA_CONFIRMATION,
      keepModels: options.keepModels,
    });
    if (options.json) context.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else
      context.stdout.write(
        `Deleted all Hearth data${result.keptModels ? ' (models kept)' : ', models included'}.\n`,
      );
    return ExitCode.Ok;
  });
}
