/** Stream names and ids the real server uses for persistent-subscription bookkeeping. */

export const ALL_STREAM = '$all';
export const CONFIG_STREAM = '$persistentSubscriptionConfig';
export const CONFIG_EVENT_TYPE = '$PersistentConfig';
export const CHECKPOINT_EVENT_TYPE = '$SubscriptionCheckpoint';
export const LINK_EVENT_TYPE = '$>';
export const METADATA_EVENT_TYPE = '$metadata';

/** `<stream>::<group>`, the id in the subscription confirmation and in the bookkeeping stream names. */
export function subscriptionIdOf(stream: string, group: string): string {
  return `${stream}::${group}`;
}

export function parkedStreamOf(stream: string, group: string): string {
  return `$persistentsubscription-${subscriptionIdOf(stream, group)}-parked`;
}

export function checkpointStreamOf(stream: string, group: string): string {
  return `$persistentsubscription-${subscriptionIdOf(stream, group)}-checkpoint`;
}

export function metastreamOf(stream: string): string {
  return `$$${stream}`;
}
