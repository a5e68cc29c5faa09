/** API keys: random, and compared in constant time so a wrong key's timing says nothing. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const KEY_PREFIX = 'hearth-';

export function generateApiKey(): string {
  return `${KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
}

/**
 * Whether `presented` is `expected`. Both are hashed first, so the comparison runs on equal
 * lengths and takes the same time whatever the presented key's length or content.
 */
export function keysMatch(presented: string | undefined, expected: string): boolean {
  if (presented === undefined || expected === '') return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
