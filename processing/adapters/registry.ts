import { type AdaptResult, type Adapter, unmappable } from './adapt-result';
import { ERP_EXPORT_V1, erpExportV1Order } from './erp-export-v1';
import { WEB_V1, webV1Order, webV1Payment, webV1Shipping } from './web-v1';

export type { AdaptResult } from './adapt-result';

export interface RawInput {
  readonly applies: string;
  readonly profile: string;
  readonly requestId: string;
  readonly payload: unknown;
}

/** Which adapter turns which `(applies, profile)` into a command. */
const ADAPTERS: ReadonlyMap<string, Adapter> = new Map([
  [key('Order', WEB_V1), webV1Order],
  [key('Order', ERP_EXPORT_V1), erpExportV1Order],
  [key('Payment', WEB_V1), webV1Payment],
  [key('Shipping', WEB_V1), webV1Shipping],
]);

function key(applies: string, profile: string): string {
  return `${applies} ${profile}`;
}

/** The `(applies, profile)` pairs we understand, e.g. `Order web/v1`. */
export const SUPPORTED_PROFILES: readonly string[] = [...ADAPTERS.keys()];

/** Raw message → command. An unknown `(applies, profile)` or a malformed payload is a reason, never a throw. */
export function adapt(input: RawInput): AdaptResult {
  const adapter = ADAPTERS.get(key(input.applies, input.profile));
  if (adapter === undefined) {
    return unmappable(
      `no adapter for applies ${JSON.stringify(input.applies)} with profile ${JSON.stringify(input.profile)}; ` +
        `supported: ${SUPPORTED_PROFILES.join(', ')}`,
    );
  }
  return adapter(input.payload, input.requestId);
}
