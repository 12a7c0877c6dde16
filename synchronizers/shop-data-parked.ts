import { z } from 'zod';

/**
 * Two sources, one type. The processor appends it to `request-<requestId>` with the full reason and the attempts
 * just before it parks a message. And the synchronizer runner synthesizes it: when the processors park an input
 * message, EventStoreDB
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
    /** Why it was parked: the processor's full reason; absent on the synthesized one. */
    readonly reason?: string;
    /** The processor's record of when, and of the attempts; absent on the synthesized one. */
    readonly parkedAt?: string;
    readonly retryCount?: number;
    readonly firstAttemptAt?: string;
    readonly lastAttemptAt?: string;
  };
}

const timestamp = z.iso.datetime({ offset: true });
export const shopDataParkedData: z.ZodType<ShopDataParked['data']> = z.object({
  requestId: z.string().min(1),
  inputEventId: z.string().min(1),
  reason: z.string().optional(),
  parkedAt: timestamp.optional(),
  retryCount: z.number().int().nonnegative().optional(),
  firstAttemptAt: timestamp.optional(),
  lastAttemptAt: timestamp.optional(),
});
