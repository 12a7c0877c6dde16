import type { PersistentLogPort } from './port';
import type { EventFilter, StartFrom, SubscriptionDefinition, SubscriptionSettings } from './settings';
import { CONFIG_EVENT_TYPE, CONFIG_STREAM } from './names';

/**
 * Group definitions persist in `$persistentSubscriptionConfig`, as EventStoreDB keeps them: every change
 * appends the whole configuration; the last event is the truth at start-up.
 */

interface StoredEntry {
  readonly stream: string;
  readonly group: string;
  readonly filter?: EventFilter;
  readonly settings: Omit<SubscriptionSettings, 'startFrom'> & { readonly startFrom: StoredStartFrom };
}

type StoredStartFrom =
  | { kind: 'start' }
  | { kind: 'end' }
  | { kind: 'revision'; revision: string }
  | { kind: 'position'; commit: string; prepare: string };

interface StoredConfig {
  readonly version: string;
  readonly updated: string;
  readonly updatedBy: string;
  readonly entries: readonly StoredEntry[];
}

const CONFIG_VERSION = '2';

function storeStartFrom(startFrom: StartFrom): StoredStartFrom {
  switch (startFrom.kind) {
    case 'revision':
      return { kind: 'revision', revision: startFrom.revision.toString() };
    case 'position':
      return {
        kind: 'position',
        commit: startFrom.position.commit.toString(),
        prepare: startFrom.position.prepare.toString(),
      };
    default:
      return startFrom;
  }
}

function loadStartFrom(stored: StoredStartFrom): StartFrom {
  switch (stored.kind) {
    case 'revision':
      return { kind: 'revision', revision: BigInt(stored.revision) };
    case 'position':
      return {
        kind: 'position',
        position: { commit: BigInt(stored.commit), prepare: BigInt(stored.prepare) },
      };
    default:
      return stored;
  }
}

export async function loadDefinitions(log: PersistentLogPort): Promise<SubscriptionDefinition[]> {
  const last = await log.readLast(CONFIG_STREAM);
  if (!last) return [];
  const config = JSON.parse(Buffer.from(last.data).toString('utf8')) as StoredConfig;
  return config.entries.map((entry) => ({
    stream: entry.stream,
    group: entry.group,
    ...(entry.filter ? { filter: entry.filter } : {}),
    settings: { ...entry.settings, startFrom: loadStartFrom(entry.settings.startFrom) },
  }));
}

export async function saveDefinitions(
  log: PersistentLogPort,
  definitions: readonly SubscriptionDefinition[],
  updatedBy: string,
): Promise<boolean> {
  const config: StoredConfig = {
    version: CONFIG_VERSION,
    updated: new Date().toISOString(),
    updatedBy,
    entries: definitions.map((d) => ({
      stream: d.stream,
      group: d.group,
      ...(d.filter ? { filter: d.filter } : {}),
      settings: { ...d.settings, startFrom: storeStartFrom(d.settings.startFrom) },
    })),
  };
  const outcome = await log.append(CONFIG_STREAM, 'any', [
    {
      id: crypto.randomUUID(),
      type: CONFIG_EVENT_TYPE,
      contentType: 'application/json',
      data: Buffer.from(JSON.stringify(config)),
      metadata: new Uint8Array(),
    },
  ]);
  return outcome.ok;
}
