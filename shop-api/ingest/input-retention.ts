import type { EventStoreDBClient } from '@eventstore/db-client';
import type { Logger } from '../../lib/logger';

const RETRY_MS = 5000;

/**
 * The raw input is a buffer, not the record (the domain events are, with personal data sealed): the input
 * stream gets `$maxAge`, so the plain personal data it carries is gone from reads after that many seconds.
 * Set once at start, again only when it differs; retried in the background while the store is unreachable.
 */
export function keepInputFor(
  client: EventStoreDBClient,
  stream: string,
  maxAgeSeconds: number,
  logger: Logger,
): { readonly done: Promise<void>; stop(): void } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const attempt = async (): Promise<void> => {
    const current = await client.getStreamMetadata(stream);
    if (current.metadata?.maxAge === maxAgeSeconds) return;
    await client.setStreamMetadata(stream, { ...current.metadata, maxAge: maxAgeSeconds });
    logger.info({ stream, maxAgeSeconds }, 'input stream retention set');
  };
  const done = new Promise<void>((resolve) => {
    const run = () => {
      if (stopped) return resolve();
      attempt().then(resolve, (error: unknown) => {
        logger.warn({ err: error, stream }, 'could not set the input stream retention; retrying');
        timer = setTimeout(run, RETRY_MS);
      });
    };
    run();
  });
  return {
    done,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
