/**
 * What the network gate lets through. Offline mode refuses everything (loopback included: a
 * download from a local server is still a download). Otherwise a request's host must be allowed
 * for its purpose, either by the allow-list (Hugging Face and its CDNs for models, the catalog's
 * own host) or because the user named that host in the action behind the request (a pasted URL).
 * Update checks have no allowed host: Hearth makes none unless that is built and turned on.
 */
import type { NetworkPurpose } from '../../common/api/contract.js';

/** Host patterns: an exact name, or `*.example.com` for any subdomain (not the bare domain). */
export type AllowedHosts = Record<NetworkPurpose, readonly string[]>;

/** Hugging Face serves files from huggingface.co, then redirects to its CDN and Xet storage hosts. */
const HUGGING_FACE = ['huggingface.co', '*.huggingface.co', 'hf.co', '*.hf.co'];

export const DEFAULT_ALLOWED_HOSTS: AllowedHosts = {
  'model-download': HUGGING_FACE,
  'model-header': HUGGING_FACE,
  catalog: [],
  'update-check': [],
};

export interface PolicyQuery {
  host: string;
  purpose: NetworkPurpose;
  /** Hosts the user typed or pasted for this very action (e.g. the host of a model URL). */
  userNamedHosts?: readonly string[];
}

export type PolicyDecision = { allowed: true } | { allowed: false; reason: string };

export interface NetworkPolicy {
  check(query: PolicyQuery): Promise<PolicyDecision>;
}

export function hostMatches(host: string, pattern: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  const wanted = pattern.toLowerCase();
  if (wanted.startsWith('*.')) return name.endsWith(wanted.slice(1)) && name.length > wanted.length - 1;
  return name === wanted;
}

/** Adds hosts to purposes (e.g. the configured Hugging Face mirror or the catalog URL's host). */
export function withExtraHosts(
  base: AllowedHosts,
  extra: Partial<Record<NetworkPurpose, readonly string[]>>,
): AllowedHosts {
  const merged = { ...base };
  for (const [purpose, hosts] of Object.entries(extra) as Array<[NetworkPurpose, readonly string[]]>) {
    merged[purpose] = [...merged[purpose], ...hosts];
  }
  return merged;
}

export function createNetworkPolicy(options: {
  /** Asked before every connection (it may read the setting from disk). */
  isOffline: () => boolean | Promise<boolean>;
  allowedHosts: AllowedHosts;
}): NetworkPolicy {
  return {
    async check({ host, purpose, userNamedHosts = [] }) {
      if (await options.isOffline()) return { allowed: false, reason: 'offline mode is on' };
      const patterns = [...options.allowedHosts[purpose], ...userNamedHosts];
      if (patterns.some((pattern) => hostMatches(host, pattern))) return { allowed: true };
      return {
        allowed: false,
        reason:
          purpose === 'update-check'
            ? 'update checks are off'
            : `${host} is not an allowed host for ${purposeLabel(purpose)}`,
      };
    },
  };
}

export function purposeLabel(purpose: NetworkPurpose): string {
  switch (purpose) {
    case 'model-download':
      return 'model downloads';
    case 'model-header':
      return 'model fit checks';
    case 'catalog':
      return 'the model catalog';
    case 'update-check':
      return 'update checks';
  }
}
