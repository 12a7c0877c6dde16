import { randomUUID } from 'node:crypto';
import { ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { ServerWritableStream } from '@grpc/grpc-js';
import type { Logger } from '../../../lib/logger';
import type { EventLog } from '../log/event-log';
import type { ResolvedEvent } from '../log/types';
import { failCall, isOpen, writeMessage, writePage } from './call-writer';
import { encodeReadEventResponse } from './read-response-encoder';
import { streamDeletedError } from './errors';
import type { ReadRequest } from './read-request';
import type { ReadReply } from './streams-definition';

/** Events taken from the log per step; bounds the work between checks for a cancelled call. */
const PAGE_SIZE = 500;

type Call = ServerWritableStream<unknown, ReadReply>;

interface Page {
  readonly events: readonly ResolvedEvent[];
  /** Checkpoints, each placed after `before` of `events`. */
  readonly checkpoints: readonly { readonly before: number; readonly position: number }[];
  /** Nothing more to read right now. */
  readonly exhausted: boolean;
}

interface Source {
  /** The next events after the cursor, advancing it; 'deleted' when the stream was tombstoned. */
  next(): Page | 'deleted';
}

/** `$all` from a sequence cursor: every event is looked at once, so checkpoints count scanned events. */
function allSource(log: EventLog, request: ReadRequest, from: number | 'start' | 'end'): Source {
  let cursor = from === 'start' ? 0 : from === 'end' ? log.visibleCount : log.sequenceAtOrAfter(from + 1);
  let scanned = 0;
  const filter = request.filter;
  return {
    next() {
      const end = Math.min(log.visibleCount, cursor + PAGE_SIZE);
      const checkpoints: { before: number; position: number }[] = [];
      const sequences: number[] = [];
      if (!filter) {
        for (; cursor < end; cursor++) sequences.push(cursor);
      } else {
        // Filtered on the index alone: only the matching events' bodies are read.
        for (; cursor < end; cursor++) {
          const header = log.eventHeaderAt(cursor);
          if (!header) break;
          if (filter.matches(header)) sequences.push(cursor);
          scanned++;
          if (scanned % filter.checkpointInterval === 0)
            checkpoints.push({ before: sequences.length, position: header.position });
        }
      }
      const events = log.eventsAt(sequences).map((event) => log.resolve(event, request.resolveLinkTos));
      return { events, checkpoints, exhausted: cursor >= log.visibleCount };
    },
  };
}

function streamSource(
  log: EventLog,
  request: ReadRequest,
  streamId: string,
  from: number | 'start' | 'end',
): Source {
  let cursor = from === 'start' ? 0 : from === 'end' ? log.lastVisibleRevisionOf(streamId) + 1 : from + 1;
  return {
    next() {
      const result = log.readStream(streamId, {
        fromRevision: cursor,
        maxCount: PAGE_SIZE,
        resolveLinkTos: request.resolveLinkTos,
      });
      if (!result.ok)
        return result.reason === 'stream-deleted'
          ? 'deleted'
          : { events: [], checkpoints: [], exhausted: true };
      const last = result.events[result.events.length - 1];
      const lastRecord = last?.link ?? last?.event;
      if (lastRecord) cursor = lastRecord.revision + 1;
      return { events: result.events, checkpoints: [], exhausted: result.events.length < PAGE_SIZE };
    },
  };
}

/** The page's events as replies, with its checkpoints placed among them. */
function* pageMessages(page: Page): Generator<ReadReply> {
  let nextCheckpoint = 0;
  for (let index = 0; index <= page.events.length; index++) {
    for (let checkpoint = page.checkpoints[nextCheckpoint]; checkpoint?.before === index;) {
      yield checkpointMessage(checkpoint.position);
      checkpoint = page.checkpoints[++nextCheckpoint];
    }
    const event = page.events[index];
    if (event) yield encodeReadEventResponse(event);
  }
}

function checkpointMessage(position: number): ReadResp {
  return new ReadResp().setCheckpoint(
    new ReadResp.Checkpoint().setCommitPosition(String(position)).setPreparePosition(String(position)),
  );
}

/**
 * A catch-up subscription: history from the cursor, then live. History and live come from the same cursor over
 * the log, so the switch can neither skip nor repeat an event. Sends `caughtUp` once, when history is done.
 */
export function runCatchUpSubscription(
  call: Call,
  log: EventLog,
  request: ReadRequest,
  logger: Logger,
): void {
  const target = request.target;
  const source =
    target.kind === 'all'
      ? allSource(log, request, target.from)
      : streamSource(log, request, target.streamId, target.from);
  let pumping = false;
  let again = false;
  let caughtUp = false;

  const pump = async (): Promise<void> => {
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    try {
      do {
        again = false;
        for (;;) {
          const page = source.next();
          if (page === 'deleted') {
            if (target.kind === 'stream') failCall(call, streamDeletedError(target.streamId));
            return stop();
          }
          if (!(await writePage(call, pageMessages(page)))) return stop();
          if (page.exhausted) break;
        }
        if (!caughtUp) {
          caughtUp = true;
          if (!(await writeMessage(call, new ReadResp().setCaughtUp(new ReadResp.CaughtUp())))) return stop();
        }
      } while (again);
    } finally {
      pumping = false;
    }
  };

  const schedule = (): void => {
    pump().catch((error: unknown) => {
      logger.error({ err: error }, 'catch-up subscription failed');
      stop();
    });
  };
  const unsubscribe = log.onAppended((events) => {
    if (target.kind === 'all' || events.some((event) => event.streamId === target.streamId)) schedule();
  });
  const stop = (): void => {
    unsubscribe();
  };
  call.on('cancelled', stop);
  call.on('close', stop);
  call.on('error', stop);

  const confirmation = new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID());
  if (isOpen(call)) call.write(new ReadResp().setConfirmation(confirmation));
  schedule();
}
