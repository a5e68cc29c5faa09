/**
 * Settings > Local API: the server's settings, state and key from the core, kept fresh from
 * localApi.changed; the request log grows from localApi.request.
 */
import type {
  LocalApiLogEntry,
  LocalApiSettings,
  LocalApiState as ApiState,
} from '../../../../electron/common/api/contract.js';
import type { HearthClient } from '../../lib/api.js';

/** The log shows the newest requests first, this many at most. */
export const SHOWN_LOG_ENTRIES = 50;

export class LocalApiState {
  current = $state.raw<ApiState | null>(null);
  log = $state.raw<readonly LocalApiLogEntry[]>([]);
  /** A model id for the curl example: the loaded model, else the first installed one. */
  exampleModel = $state('MODEL');
  problem = $state<string | null>(null);
  saving = $state(false);

  private readonly api: HearthClient;

  constructor(api: HearthClient) {
    this.api = api;
  }

  /** The address clients use, from the settings (also while the server is off). */
  get baseUrl(): string {
    const state = this.current;
    if (!state) return '';
    if (state.server.baseUrl) return state.server.baseUrl;
    const host = ['0.0.0.0', '::'].includes(state.settings.bindAddress)
      ? '127.0.0.1'
      : state.settings.bindAddress;
    return `http://${host.includes(':') ? `[${host}]` : host}:${state.settings.port}/v1`;
  }

  /** The curl example as shown: the key hidden (copying gives the real one). */
  get curlExampleShown(): string {
    return this.curlExample.replace(this.current?.key ?? 'KEY', '$HEARTH_API_KEY');
  }

  get curlExample(): string {
    const body = JSON.stringify({
      model: this.exampleModel,
      messages: [{ role: 'user', content: 'Hello!' }],
    });
    return [
      `curl ${this.baseUrl}/chat/completions \\`,
      `  -H "Authorization: Bearer ${this.current?.key ?? 'KEY'}" \\`,
      `  -H "Content-Type: application/json" \\`,
      `  -d '${body}'`,
    ].join('\n');
  }

  start(): () => void {
    void this.load();
    const offChanged = this.api.on('localApi.changed', (state) => (this.current = state));
    const offRequest = this.api.on('localApi.request', (entry) => {
      this.log = [entry, ...this.log].slice(0, SHOWN_LOG_ENTRIES);
    });
    return () => {
      offChanged();
      offRequest();
    };
  }

  async load(): Promise<void> {
    try {
      const [state, log] = await Promise.all([
        this.api.call('localApi.get', {}),
        this.api.call('localApi.log', {}),
      ]);
      this.current = state;
      this.log = [...log].reverse().slice(0, SHOWN_LOG_ENTRIES);
      this.problem = null;
      void this.pickExampleModel();
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
    }
  }

  async set(patch: Partial<LocalApiSettings>): Promise<void> {
    this.saving = true;
    try {
      this.current = await this.api.call('localApi.set', patch);
      this.problem = null;
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
    } finally {
      this.saving = false;
    }
  }

  async regenerateKey(): Promise<void> {
    try {
      this.current = await this.api.call('localApi.regenerateKey', {});
      this.problem = null;
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
    }
  }

  private async pickExampleModel(): Promise<void> {
    try {
      const status = await this.api.call('models.status', {});
      if (status.modelId && !status.modelId.includes('/') && !status.modelId.includes('\\')) {
        this.exampleModel = status.modelId;
        return;
      }
      const installed = (await this.api.call('models.list', {})).find(
        (entry) => entry.usable && entry.kind !== 'adapter',
      );
      if (installed) this.exampleModel = installed.id;
    } catch {
      // The example keeps its placeholder.
    }
  }
}

/** Allowed origins as typed (one per line or comma-separated), cleaned. */
export function parseOrigins(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((origin) => origin.trim().replace(/\/+$/, ''))
    .filter(Boolean);
}
