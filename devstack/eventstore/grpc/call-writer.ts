import type { ServerWritableStream, ServiceError } from '@grpc/grpc-js';

/** Whether the call can still take messages (client not gone, not ended). */
export function isOpen(call: ServerWritableStream<unknown, unknown>): boolean {
  return !call.cancelled && !call.destroyed && !call.writableEnded;
}

/** Writes one message; waits for `drain` when the client reads slower than we send. False once the call is gone. */
export function writeMessage<Response>(
  call: ServerWritableStream<unknown, Response>,
  message: Response,
): Promise<boolean> {
  return writePage(call, [message]);
}

/** Writes the last messages of a call and ends it with OK. */
export function endWith<Response>(
  call: ServerWritableStream<unknown, Response>,
  messages: Iterable<Response>,
): void {
  if (!isOpen(call)) return;
  for (const message of messages) call.write(message);
  call.end();
}

/** Ends a server-streaming call with an error status and trailers (grpc-js sends an emitted error as the status). */
export function failCall(call: ServerWritableStream<unknown, unknown>, error: ServiceError): void {
  if (isOpen(call)) call.emit('error', error);
}

/** Writes a page of messages, waiting for `drain` only after the page: bounded buffering, few event-loop hops. */
export async function writePage<Response>(
  call: ServerWritableStream<unknown, Response>,
  messages: Iterable<Response>,
): Promise<boolean> {
  let full = false;
  for (const message of messages) {
    if (!isOpen(call)) return false;
    full = !call.write(message) || full;
  }
  if (!full) return isOpen(call);
  return new Promise<boolean>((resolve) => {
    const done = (open: boolean) => () => {
      call.off('drain', onDrain);
      call.off('close', onClose);
      call.off('cancelled', onClose);
      resolve(open);
    };
    const onDrain = done(true);
    const onClose = done(false);
    call.once('drain', onDrain);
    call.once('close', onClose);
    call.once('cancelled', onClose);
  });
}
