import { ProtobufReader } from './protobuf-reader';
import { readStreamName } from './shared-decoders';

/** `Streams.Read` requests (`ReadReq`) decoded by hand, streams.proto field numbers; oneofs keep the last sent. */

export type DecodedStreamFrom =
  { readonly kind: 'revision'; readonly value: string } | { readonly kind: 'start' | 'end' };

export type DecodedAllFrom =
  | { readonly kind: 'position'; readonly commit: string; readonly prepare: string }
  | { readonly kind: 'start' | 'end' };

export type DecodedReadTarget =
  | {
      readonly kind: 'stream';
      readonly streamName: Uint8Array | undefined;
      readonly from: DecodedStreamFrom | undefined;
    }
  | { readonly kind: 'all'; readonly from: DecodedAllFrom | undefined };

export interface DecodedFilterExpression {
  readonly on: 'stream' | 'eventType';
  readonly regex: string;
  readonly prefixes: readonly string[];
}

export interface DecodedFilter {
  readonly expression: DecodedFilterExpression | undefined;
  /** `max`, or undefined when the window is `count` or unset. */
  readonly max: number | undefined;
  readonly checkpointIntervalMultiplier: number;
}

export interface DecodedReadOptions {
  readonly target: DecodedReadTarget | undefined;
  /** The enum's number: 1 is BACKWARDS. */
  readonly readDirection: number;
  readonly resolveLinks: boolean;
  readonly countOption:
    { readonly kind: 'count'; readonly value: string } | { readonly kind: 'subscription' } | undefined;
  /** undefined for `no_filter` or none. */
  readonly filter: DecodedFilter | undefined;
}

export interface DecodedReadRequest {
  readonly options: DecodedReadOptions | undefined;
}

const START = { kind: 'start' } as const;
const END = { kind: 'end' } as const;
const SUBSCRIPTION = { kind: 'subscription' } as const;

function readStreamOptions(reader: ProtobufReader): DecodedReadTarget {
  let streamName: Uint8Array | undefined;
  let from: DecodedStreamFrom | undefined;
  while (reader.next()) {
    if (reader.field === 1) streamName = readStreamName(reader.message());
    else if (reader.field === 2) from = { kind: 'revision', value: reader.uint64String() };
    else if (reader.field === 3) {
      reader.skipMessage();
      from = START;
    } else if (reader.field === 4) {
      reader.skipMessage();
      from = END;
    } else reader.skip();
  }
  return { kind: 'stream', streamName, from };
}

function readPosition(reader: ProtobufReader): DecodedAllFrom {
  let commit = '0';
  let prepare = '0';
  while (reader.next()) {
    if (reader.field === 1) commit = reader.uint64String();
    else if (reader.field === 2) prepare = reader.uint64String();
    else reader.skip();
  }
  return { kind: 'position', commit, prepare };
}

function readAllOptions(reader: ProtobufReader): DecodedReadTarget {
  let from: DecodedAllFrom | undefined;
  while (reader.next()) {
    if (reader.field === 1) from = readPosition(reader.message());
    else if (reader.field === 2) {
      reader.skipMessage();
      from = START;
    } else if (reader.field === 3) {
      reader.skipMessage();
      from = END;
    } else reader.skip();
  }
  return { kind: 'all', from };
}

function readExpression(reader: ProtobufReader, on: DecodedFilterExpression['on']): DecodedFilterExpression {
  let regex = '';
  const prefixes: string[] = [];
  while (reader.next()) {
    if (reader.field === 1) regex = reader.string();
    else if (reader.field === 2) prefixes.push(reader.string());
    else reader.skip();
  }
  return { on, regex, prefixes };
}

function readFilter(reader: ProtobufReader): DecodedFilter {
  let expression: DecodedFilterExpression | undefined;
  let max: number | undefined;
  let checkpointIntervalMultiplier = 0;
  while (reader.next()) {
    switch (reader.field) {
      case 1:
        expression = readExpression(reader.message(), 'stream');
        break;
      case 2:
        expression = readExpression(reader.message(), 'eventType');
        break;
      case 3:
        max = reader.uint32();
        break;
      case 4:
        reader.skipMessage();
        max = undefined;
        break;
      case 5:
        checkpointIntervalMultiplier = reader.uint32();
        break;
      default:
        reader.skip();
    }
  }
  return { expression, max, checkpointIntervalMultiplier };
}

/** `UUIDOption` (two Empty choices) and `ControlOption` (a uint32): checked as google-protobuf would, unused. */
function checkUuidOption(reader: ProtobufReader): void {
  while (reader.next()) {
    if (reader.field === 1 || reader.field === 2) reader.skipMessage();
    else reader.skip();
  }
}

function checkControlOption(reader: ProtobufReader): void {
  while (reader.next()) {
    if (reader.field === 1) reader.uint32();
    else reader.skip();
  }
}

function readOptions(reader: ProtobufReader): DecodedReadOptions {
  let target: DecodedReadTarget | undefined;
  let readDirection = 0;
  let resolveLinks = false;
  let countOption: DecodedReadOptions['countOption'];
  let filter: DecodedFilter | undefined;
  while (reader.next()) {
    switch (reader.field) {
      case 1:
        target = readStreamOptions(reader.message());
        break;
      case 2:
        target = readAllOptions(reader.message());
        break;
      case 3:
        readDirection = reader.int32();
        break;
      case 4:
        resolveLinks = reader.bool();
        break;
      case 5:
        countOption = { kind: 'count', value: reader.uint64String() };
        break;
      case 6:
        reader.skipMessage();
        countOption = SUBSCRIPTION;
        break;
      case 7:
        filter = readFilter(reader.message());
        break;
      case 8:
        reader.skipMessage();
        filter = undefined;
        break;
      case 9:
        checkUuidOption(reader.message());
        break;
      case 10:
        checkControlOption(reader.message());
        break;
      default:
        reader.skip();
    }
  }
  return { target, readDirection, resolveLinks, countOption, filter };
}

export function decodeReadRequest(buffer: Buffer): DecodedReadRequest {
  const reader = new ProtobufReader(buffer);
  let options: DecodedReadOptions | undefined;
  while (reader.next()) {
    if (reader.field === 1) options = readOptions(reader.message());
    else reader.skip();
  }
  return { options };
}
