/** Words and numbers for the privacy screen. */
import type { LedgerEntry, NetworkPurpose } from '../../../../electron/common/api/contract.js';

export function connectionsSentence(allowed: number): string {
  return `Hearth has made ${allowed.toLocaleString('en-US')} network connection${allowed === 1 ? '' : 's'} since install`;
}

const purposeNames: Record<NetworkPurpose, string> = {
  'model-download': 'Model download',
  'model-header': 'Fit check',
  catalog: 'Model catalog',
  'update-check': 'Update check',
};

export function purposeName(purpose: NetworkPurpose): string {
  return purposeNames[purpose];
}

export function formatLedgerBytes(bytes: number): string {
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

export function formatLedgerTime(iso: string, now = new Date()): string {
  const at = new Date(iso);
  const sameDay = at.toDateString() === now.toDateString();
  const time = at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  if (sameDay) return time;
  return `${at.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' })} ${time}`;
}

/** "allowed", "blocked: offline mode is on", "failed: ..." */
export function outcomeOf(entry: LedgerEntry): { tone: 'allowed' | 'blocked' | 'failed'; label: string } {
  if (!entry.allowed) return { tone: 'blocked', label: 'Blocked' };
  if (entry.error) return { tone: 'failed', label: 'Failed' };
  return { tone: 'allowed', label: 'Allowed' };
}
