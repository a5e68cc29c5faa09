/**
 * Where other local-AI apps keep their models, per OS. Paths come from each app's defaults (and
 * Ollama's OLLAMA_MODELS); tests pass their own home, platform and environment.
 */
import { join } from 'node:path';
import type { DetectedFolder } from '../../common/api/contract.js';

export type AppName = DetectedFolder['app'];

export interface FolderCandidate {
  app: AppName;
  folder: string;
  /** 'files': .gguf files under the folder; 'ollama': Ollama's blobs named by its manifests. */
  layout: 'files' | 'ollama';
}

export interface FolderEnvironment {
  home: string;
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
}

/** The per-user data folders each OS gives apps. */
function dataFolders({ home, platform, env }: FolderEnvironment) {
  if (platform === 'darwin') {
    const support = join(home, 'Library', 'Application Support');
    return { config: support, data: support, local: support };
  }
  if (platform === 'win32') {
    return {
      config: env.APPDATA ?? join(home, 'AppData', 'Roaming'),
      data: env.APPDATA ?? join(home, 'AppData', 'Roaming'),
      local: env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'),
    };
  }
  return {
    config: env.XDG_CONFIG_HOME ?? join(home, '.config'),
    data: env.XDG_DATA_HOME ?? join(home, '.local', 'share'),
    local: env.XDG_DATA_HOME ?? join(home, '.local', 'share'),
  };
}

export function modelFolderCandidates(where: FolderEnvironment): FolderCandidate[] {
  const { home, platform, env } = where;
  const folders = dataFolders(where);
  const candidates: FolderCandidate[] = [
    { app: 'LM Studio', folder: join(home, '.lmstudio', 'models'), layout: 'files' },
    { app: 'LM Studio', folder: join(home, '.cache', 'lm-studio', 'models'), layout: 'files' },
    { app: 'Jan', folder: join(home, 'jan', 'models'), layout: 'files' },
    // Jan's data folder (0.5 and later), where its llama.cpp engine keeps downloaded models.
    { app: 'Jan', folder: join(folders.data, 'Jan', 'data', 'models'), layout: 'files' },
    { app: 'Jan', folder: join(folders.data, 'Jan', 'data', 'llamacpp', 'models'), layout: 'files' },
    { app: 'GPT4All', folder: join(folders.local, 'nomic.ai', 'GPT4All'), layout: 'files' },
  ];
  if (env.OLLAMA_MODELS) candidates.push({ app: 'Ollama', folder: env.OLLAMA_MODELS, layout: 'ollama' });
  candidates.push({ app: 'Ollama', folder: join(home, '.ollama', 'models'), layout: 'ollama' });
  // The Linux installer runs Ollama as a system service with its own home.
  if (platform === 'linux') {
    candidates.push({ app: 'Ollama', folder: '/usr/share/ollama/.ollama/models', layout: 'ollama' });
  }
  return candidates;
}
