import { describe, expect, it } from 'vitest';
import type { LedgerEntry, PrivacyStatus } from '../../../../electron/common/api/contract.js';
import { HearthClient } from '../../lib/api.js';
import { LoopbackTransport } from '../../lib/loopbackTransport.testing.js';
import { connectionsSentence, formatLedgerBytes, outcomeOf } from './format.js';
import { PrivacyState } from './PrivacyState.svelte.js';

const status = (offline: boolean, allowed = 3): PrivacyStatus => ({
  offline,
  debugLogging: false,
  connections: { allowed, blocked: 1 },
  dataDir: '/home/me/.config/Hearth',
});

const entry = (seq: number, allowed: boolean): LedgerEntry => ({
  seq,
  at: '2026-11-27T10:00:00.000Z',
  host: 'huggingface.co',
  method: 'GET',
  purpose: 'model-download',
  description: 'model download: Qwen3 4B Q4_K_M',
  allowed,
  ...(allowed ? {} : { reason: 'offline mode is on' }),
  bytes: allowed ? 2_500_000 : 0,
  finished: true,
});

describe('the privacy state', () => {
  it('follows offline mode from the core, and reloads the ledger on changes only while it is shown', async () => {
    let current = status(false);
    let ledgerCalls = 0;
    const transport = new LoopbackTransport({
      'privacy.status': async () => current,
      'privacy.set': async (patch) => (current = { ...current, ...patch }),
      'privacy.ledger': async () => {
        ledgerCalls++;
        return [entry(2, false), entry(1, true)];
      },
    });
    const privacy = new PrivacyState(new HearthClient(transport));
    privacy.start();
    await privacy.load();
    expect(privacy.offline).toBe(false);

    await privacy.set({ offline: true });
    expect(privacy.offline).toBe(true);

    const unwatch = await privacy.watchLedger();
    expect(privacy.ledger.map((e) => e.seq)).toEqual([2, 1]);
    transport.emit('privacy.changed', status(false, 4));
    expect(privacy.status?.connections.allowed).toBe(4);
    expect(privacy.offline).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(ledgerCalls).toBe(2);
    unwatch();
    transport.emit('privacy.changed', status(false, 5));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(ledgerCalls).toBe(2);
  });

  it('words the count and each entry', () => {
    expect(connectionsSentence(1)).toBe('Hearth has made 1 network connection since install');
    expect(connectionsSentence(1234)).toBe('Hearth has made 1,234 network connections since install');
    expect(formatLedgerBytes(0)).toBe('0 B');
    expect(formatLedgerBytes(2_500_000)).toBe('2.4 MB');
    expect(outcomeOf(entry(1, false))).toEqual({ tone: 'blocked', label: 'Blocked' });
    expect(outcomeOf({ ...entry(1, true), error: 'ECONNRESET' })).toEqual({
      tone: 'failed',
      label: 'Failed',
    });
  });
});
