/**
 * One update check: reads the releases feed through the core's network module (purpose "update
 * check") and compares versions. It only reads: downloading a new version is the user's own step
 * from the release page. Accepts GitHub's release JSON ({tag_name, body, html_url}, or a list of
 * them) or a plain {version, notes, url}.
 */
import { z } from 'zod';
import type { UpdateCheck } from '../../common/api/contract.js';
import { UpdateCheckFailedError } from '../errors/index.js';
import { readText, type Network } from '../net/network.js';

const GitHubRelease = z.object({
  tag_name: z.string(),
  body: z.string().nullable().optional(),
  html_url: z.string().optional(),
  draft: z.boolean().optional(),
  prerelease: z.boolean().optional(),
});
const PlainRelease = z.object({
  version: z.string(),
  notes: z.string().optional(),
  url: z.string().optional(),
});

interface Release {
  version: string;
  notes: string;
  url?: string;
}

function parseFeed(value: unknown): Release | undefined {
  const plain = PlainRelease.safeParse(value);
  if (plain.success)
    return { version: plain.data.version, notes: plain.data.notes ?? '', url: plain.data.url };
  const list = Array.isArray(value) ? value : [value];
  for (const item of list) {
    const release = GitHubRelease.safeParse(item);
    if (!release.success || release.data.draft || release.data.prerelease) continue;
    return { version: release.data.tag_name, notes: release.data.body ?? '', url: release.data.html_url };
  }
  return undefined;
}

/** Numeric parts of "v1.2.3" / "1.2.3-beta.1"; a pre-release sorts before its release. */
export function compareVersions(a: string, b: string): number {
  const parse = (version: string) => {
    const [core = '', pre] = version.trim().replace(/^v/i, '').split('-', 2);
    return { parts: core.split('.').map((part) => Number.parseInt(part, 10) || 0), pre };
  };
  const left = parse(a);
  const right = parse(b);
  for (let index = 0; index < Math.max(left.parts.length, right.parts.length); index++) {
    const difference = (left.parts[index] ?? 0) - (right.parts[index] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  if (left.pre && !right.pre) return -1;
  if (!left.pre && right.pre) return 1;
  return (left.pre ?? '').localeCompare(right.pre ?? '');
}

export async function checkForUpdate(
  network: Network,
  releasesUrl: string,
  currentVersion: string,
  signal?: AbortSignal,
): Promise<UpdateCheck> {
  let text: string;
  try {
    const response = await network.request({
      url: releasesUrl,
      headers: { accept: 'application/json' },
      purpose: 'update-check',
      description: 'update check: latest Hearth release',
      // The feed's address is the user's setting (or the project's default), so its host is the one
      // this check may reach; the gate allows no other for update checks.
      userNamedHosts: [new URL(releasesUrl).hostname],
      signal,
    });
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      throw new Error(`the server answered ${response.status}`);
    }
    text = await readText(response);
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new UpdateCheckFailedError(
      `Could not check for updates at ${releasesUrl}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  let release: Release | undefined;
  try {
    release = parseFeed(JSON.parse(text));
  } catch {
    release = undefined;
  }
  if (!release) throw new UpdateCheckFailedError(`The releases feed at ${releasesUrl} names no release.`);
  const latestVersion = release.version.replace(/^v/i, '');
  return {
    currentVersion,
    latestVersion,
    newer: compareVersions(latestVersion, currentVersion) > 0,
    notes: release.notes,
    ...(release.url && /^https?:\/\//i.test(release.url) ? { url: release.url } : {}),
    checkedAt: new Date().toISOString(),
  };
}
