/**
 * Synthesized by the synchronizer runner, never appended: when the processors park an input message, EventStoreDB
 * writes a link to it in `$persistentsubscription-<input>::<group>-parked`. The runner resolves the link (the
 * target is the `ShopDataReceived` message, whose `$correlationId` is the requestId) and hands the requests model
 * this event, with the link event's own `$all` position, stream, revision and created time.
 */
export const SHOP_DATA_PARKED = 'ShopDataParked';

export interface ShopDataParked {
  readonly type: typeof SHOP_DATA_PARKED;
  readonly data: {
    readonly requestId: string;
    /** The parked input message's event id. */
    readonly inputEventId: string;
    /** Why it was parked, when the runner can tell (the link's metadata); optional. */
    readonly reason?: string;
  };
}
