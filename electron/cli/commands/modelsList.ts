/** `hearth models list [--json]`: every .gguf in the models folder, through models.list. */
import { CoreClient } from '../client.js';
import { withEngine, type CliContext } from '../context.js';
import { ExitCode } from '../errors.js';
import { formatModelTable } from '../format.js';

export async function runModelsList(context: CliContext, options: { json: boolean }): Promise<number> {
  return withEngine(context, async (engine) => {
    const client = new CoreClient(engine.handlers);
    const models = await client.call('models.list', {});
    if (options.json) {
      context.stdout.write(`${JSON.stringify(models, null, 2)}\n`);
      return ExitCode.Ok;
    }
    const { modelsDir } = await client.call('app.info', {});
    if (models.length === 0) {
      context.stdout.write(`No models yet. Put a .gguf file in ${modelsDir}\n`);
      return ExitCode.Ok;
    }
    context.stdout.write(`Models in ${modelsDir}\n\n${formatModelTable(models)}\n`);
    return ExitCode.Ok;
  });
}
