/** The CLI as a function: arguments and a context in, an exit code out. index.ts wires the process. */
import { HearthError, RemoteError } from '../common/api/errors.js';
import { parseCommand, type Command } from './args.js';
import { runAsk } from './commands/ask.js';
import { runChat } from './commands/chat.js';
import { runChatsExport, runChatsImport, runChatsList, runChatsSearch } from './commands/chats.js';
import { runAdd, runCollections, runDocs, runSearch } from './commands/library.js';
import { runModelsImport, runModelsInfo, runModelsPull, runModelsRm } from './commands/models.js';
import { runModelsList } from './commands/modelsList.js';
// Privacy (issue 7)
import { runDataDelete, runPrivacyLedger, runPrivacyOffline } from './commands/privacy.js';
import { runServe } from './commands/serve.js';
import { runSetupDetect, runSetupRecommend } from './commands/setup.js';
import { runLibraryEmbedder } from './commands/libraryEmbedder.js';
import type { CliContext } from './context.js';
import { CliError, ExitCode, UsageError } from './errors.js';
import { USAGE } from './usage.js';

function run(command: Command, context: CliContext): Promise<number> {
  switch (command.name) {
    case 'help':
      context.stdout.write(USAGE);
      return Promise.resolve(ExitCode.Ok);
    case 'version':
      context.stdout.write(`hearth ${context.version}\n`);
      return Promise.resolve(ExitCode.Ok);
    case 'serve':
      return runServe(context, command);
    case 'models.list':
      return runModelsList(context, command);
    case 'models.pull':
      return runModelsPull(context, command);
    case 'models.rm':
      return runModelsRm(context, command);
    case 'models.info':
      return runModelsInfo(context, command);
    case 'models.import':
      return runModelsImport(context, command);
    case 'chat':
      return runChat(context, command);
    case 'chats.list':
      return runChatsList(context, command);
    case 'chats.export':
      return runChatsExport(context, command);
    case 'chats.import':
      return runChatsImport(context, command);
    case 'chats.search':
      return runChatsSearch(context, command);
    case 'add':
      return runAdd(context, command);
    case 'search':
      return runSearch(context, command);
    case 'docs.list':
    case 'docs.rm':
      return runDocs(context, command);
    case 'collections.list':
    case 'collections.create':
    case 'collections.rename':
    case 'collections.rm':
      return runCollections(context, command);
    // First-run setup (issue 10).
    case 'setup.recommend':
      return runSetupRecommend(context, command);
    case 'setup.detect':
      return runSetupDetect(context, command);
    // Privacy (issue 7)
    case 'privacy.ledger':
      return runPrivacyLedger(context, command);
    case 'privacy.offline':
      return runPrivacyOffline(context, command);
    case 'data.delete':
      return runDataDelete(context, command);
    // Grounded answers (issue 5)
    case 'ask':
      return runAsk(context, command);
    // Library embedding model setting (issue 4)
    case 'library.embedder':
      return runLibraryEmbedder(context, command);
  }
}

/** One line, whatever the error: a person reads it, a script greps it. */
function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim() || 'Unexpected error.';
}

export async function runCli(argv: readonly string[], context: CliContext): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    context.stderr.write(`hearth: ${error.message}\n\n${USAGE}`);
    return ExitCode.Usage;
  }
  try {
    return await run(command, context);
  } catch (error) {
    const known = error instanceof CliError || error instanceof RemoteError || error instanceof HearthError;
    const message = error instanceof Error ? error.message : String(error);
    context.stderr.write(`hearth: ${oneLine(known ? message : `Unexpected error: ${message}`)}\n`);
    return ExitCode.Runtime;
  }
}
