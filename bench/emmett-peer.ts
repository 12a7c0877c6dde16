import { prefillInput } from './input-prefill';
import { throughputWith } from './processing-scaling';
import { jsonResultOf, spawnNode } from './processes';
import { sizesFor } from './sizes';
import { startDevstack } from './stack';

const INPUT_STREAM = 'bench-input';
const PEER_TIMEOUT_MS = 600_000;
/** Rounds of one processor, then the peer, back to back: the machine's load changes less within a round. */
const ROUNDS = 2;

export interface PeerRound {
  readonly ordersPerSec: number;
  readonly emmettOrdersPerSec: number;
}

export interface PeerFigures {
  readonly messages: number;
  readonly rounds: readonly PeerRound[];
  /** The best of the rounds for each side: a noisy machine only ever slows a run down. */
  readonly ordersPerSec: number;
  readonly emmettOrdersPerSec: number;
  /** The peer's CPU per order in its best round. */
  readonly emmettCpuMsPerOrder: number;
}

/** Emmett's `CommandHandler` on a fresh embedded store with the same pre-filled input a processor drains. */
async function peerRun(messages: number): Promise<{ ordersPerSec: number; cpuMsPerOrder: number }> {
  const devstack = await startDevstack();
  try {
    await prefillInput(devstack.esdbUrl, INPUT_STREAM, messages, `peer${Date.now().toString(36)}`);
    const worker = spawnNode('emmett-peer', {
      script: 'bench/emmett-peer-worker.ts',
      env: { ESDB_CONNECTION_STRING: devstack.esdbUrl, INPUT_STREAM, MESSAGES: String(messages) },
    });
    return await jsonResultOf<{ ordersPerSec: number; cpuMsPerOrder: number }>(worker, PEER_TIMEOUT_MS);
  } finally {
    await devstack.close();
  }
}

/**
 * `processing.ratioToEmmett`: one processor draining the backlog scenario of the processing stage, then the peer
 * on the same input, alternating for a few rounds; each side's best round counts.
 */
export async function benchEmmettPeer(opts: { quick: boolean }): Promise<PeerFigures> {
  const { processingMessages: messages, processingWindowMs: windowMs } = sizesFor(opts.quick);
  const rounds: PeerRound[] = [];
  let best = { ordersPerSec: 0, cpuMsPerOrder: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    const ordersPerSec = await throughputWith(1, messages, windowMs);
    const peer = await peerRun(messages);
    if (peer.ordersPerSec > best.ordersPerSec) best = peer;
    rounds.push({ ordersPerSec, emmettOrdersPerSec: peer.ordersPerSec });
  }
  return {
    messages,
    rounds,
    ordersPerSec: Math.max(...rounds.map((r) => r.ordersPerSec)),
    emmettOrdersPerSec: best.ordersPerSec,
    emmettCpuMsPerOrder: best.cpuMsPerOrder,
  };
}
