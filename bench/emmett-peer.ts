import { prefillInput } from './input-prefill';
import { jsonResultOf, spawnNode } from './processes';
import { sizesFor } from './sizes';
import { startDevstack } from './stack';

const INPUT_STREAM = 'bench-input';
const PEER_TIMEOUT_MS = 600_000;

export interface PeerFigures {
  readonly messages: number;
  readonly ordersPerSec: number;
  readonly cpuMsPerOrder: number;
}

/**
 * Emmett's `CommandHandler` on a fresh embedded store with the same pre-filled input the processing stage drains:
 * the peer figure `processing.ratioToEmmett` divides the one-processor rate by.
 */
export async function benchEmmettPeer(opts: { quick: boolean }): Promise<PeerFigures> {
  const { processingMessages: messages } = sizesFor(opts.quick);
  const devstack = await startDevstack();
  try {
    await prefillInput(devstack.esdbUrl, INPUT_STREAM, messages, `peer${Date.now().toString(36)}`);
    const worker = spawnNode('emmett-peer', {
      script: 'bench/emmett-peer-worker.ts',
      env: {
        ESDB_CONNECTION_STRING: devstack.esdbUrl,
        INPUT_STREAM,
        MESSAGES: String(messages),
      },
    });
    const result = await jsonResultOf<{ ordersPerSec: number; cpuMsPerOrder: number }>(
      worker,
      PEER_TIMEOUT_MS,
    );
    return { messages, ordersPerSec: result.ordersPerSec, cpuMsPerOrder: result.cpuMsPerOrder };
  } finally {
    await devstack.close();
  }
}
