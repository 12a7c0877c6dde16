import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import type { sendUnaryData, ServerUnaryCall, UntypedServiceImplementation } from '@grpc/grpc-js';

/** The EventStoreDB version we answer as: the protocol generation client 6.2.1 was built against. */
export const SERVER_VERSION = '23.10.0';

export interface AdvertisedMethod {
  readonly service: string;
  readonly method: string;
  readonly features?: readonly string[];
}

/**
 * Parses a method list entry: `name` or `name:feature1,feature2`. Entries without features get `defaults`.
 */
export function advertised(service: string, entries: readonly string[], defaults: readonly string[] = []) {
  return entries.map((entry): AdvertisedMethod => {
    const [method = entry, features] = entry.split(':');
    return { service, method: method.toLowerCase(), features: features ? features.split(',') : defaults };
  });
}

export function createServerFeaturesService(
  methods: () => readonly AdvertisedMethod[],
): UntypedServiceImplementation {
  return {
    getSupportedMethods(
      _call: ServerUnaryCall<Empty, SupportedMethods>,
      callback: sendUnaryData<SupportedMethods>,
    ) {
      const list = methods().map((entry) =>
        new SupportedMethod()
          .setServiceName(entry.service)
          .setMethodName(entry.method)
          .setFeaturesList([...(entry.features ?? [])]),
      );
      callback(null, new SupportedMethods().setMethodsList(list).setEventStoreServerVersion(SERVER_VERSION));
    },
  };
}
