/** A real network gate for tests: its ledger in a temporary folder, loopback allowed for every purpose. */
import { join } from 'node:path';
import { createNetwork, type Network } from '../net/network.js';
import { NetworkLedger } from './NetworkLedger.js';
import { createNetworkPolicy, type AllowedHosts } from './networkPolicy.js';

const LOOPBACK = ['127.0.0.1', 'localhost'];

export interface TestNetwork {
  network: Network;
  ledger: NetworkLedger;
  /** Turns the policy's offline mode on or off. */
  setOffline(offline: boolean): void;
}

export async function createTestNetwork(
  dir: string,
  options: { fetch?: typeof fetch } = {},
): Promise<TestNetwork> {
  const ledger = await NetworkLedger.open(join(dir, 'privacy'));
  let offline = false;
  const allowedHosts: AllowedHosts = {
    'model-download': LOOPBACK,
    'model-header': LOOPBACK,
    catalog: LOOPBACK,
    'update-check': LOOPBACK,
  };
  const network = createNetwork({
    ledger,
    policy: createNetworkPolicy({ isOffline: () => offline, allowedHosts }),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return { network, ledger, setOffline: (value) => void (offline = value) };
}
