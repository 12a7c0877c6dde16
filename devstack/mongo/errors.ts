import type { Document } from 'bson';
import { MingoError } from 'mingo/util';

/** MongoDB's error codes and their codeNames (as listed in the server's error_codes.yml). */
export const ERROR_CODES = {
  BadValue: 2,
  NoSuchKey: 4,
  FailedToParse: 9,
  TypeMismatch: 14,
  IllegalOperation: 20,
  InvalidBSON: 22,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  PathNotViable: 28,
  ConflictingUpdateOperators: 40,
  CursorNotFound: 43,
  NamespaceExists: 48,
  DollarPrefixedFieldName: 52,
  InvalidIdField: 53,
  EmptyFieldName: 56,
  CommandNotFound: 59,
  ImmutableField: 66,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  CannotIndexParallelArrays: 171,
  Unauthorized: 13,
  DocumentValidationFailure: 121,
  ViewDepthLimitExceeded: 45,
  CommandNotSupportedOnView: 166,
  OptionNotSupportedOnView: 167,
  InvalidViewDefinition: 182,
  NotImplemented: 238,
  UnrecognizedPipelineStage: 40324,
  UnknownField: 40415,
  MissingField: 40414,
  UndefinedVariable: 17276,
  InvalidVariableName: 16870,
  MergeOnFieldNotUnique: 51183,
  MergeOnFieldMissing: 51132,
  ChangeStreamNotSupported: 40573,
  NoQueryExecutionPlans: 291,
  BSONObjectTooLarge: 10334,
  DuplicateKey: 11000,
} as const;

// Codes mongod raises from a source location rather than a named error: their codeName is `Location<code>`.
const LOCATION_CODES = new Set<ErrorCodeName>([
  'UnrecognizedPipelineStage',
  'UnknownField',
  'MissingField',
  'UndefinedVariable',
  'InvalidVariableName',
  'MergeOnFieldNotUnique',
  'MergeOnFieldMissing',
  'ChangeStreamNotSupported',
]);

export type ErrorCodeName = keyof typeof ERROR_CODES;

/** A command failure as MongoDB reports it: `{ok: 0, errmsg, code, codeName}` plus optional extra fields. */
export class MongoCommandError extends Error {
  readonly code: number;
  constructor(
    readonly codeName: ErrorCodeName,
    message: string,
    readonly extra: Document = {},
  ) {
    // A client's error is answered, never logged: capturing no stack saves nine tenths of its cost (a guarded
    // upsert's duplicate key is an everyday outcome).
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = stackTraceLimit;
    this.code = ERROR_CODES[codeName];
  }

  /** MongoDB names codes without a symbolic name `Location<code>`. */
  get replyCodeName(): string {
    return LOCATION_CODES.has(this.codeName) ? `Location${this.code}` : this.codeName;
  }

  toReply(): Document {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.replyCodeName, ...this.extra };
  }

  /** The shape of one entry of a write command's `writeErrors`. */
  toWriteError(index: number): Document {
    return { index, code: this.code, codeName: this.replyCodeName, errmsg: this.message, ...this.extra };
  }
}

export function commandError(codeName: ErrorCodeName, message: string, extra?: Document): MongoCommandError {
  return new MongoCommandError(codeName, message, extra);
}

const UNDEFINED_VARIABLE = /^Use of undefined variable: (.*)$/;
const UNKNOWN_STAGE = /^unregistered pipeline operator (\$\w+)/;
const UNKNOWN_QUERY_OPERATOR = /^unknown (?:top level |query )operator:? (\$\w+)/;

// What mongod answers for features mingo does not have: a standalone has no change streams, and text and
// geo queries need indexes this server cannot build.
function unsupportedFeature(
  stage: string | undefined,
  operator: string | undefined,
): MongoCommandError | undefined {
  if (stage === '$changeStream') {
    return commandError(
      'ChangeStreamNotSupported',
      'The $changeStream stage is only supported on replica sets',
    );
  }
  if (operator === '$text') return commandError('IndexNotFound', 'text index required for $text query');
  if (operator === '$near' || operator === '$nearSphere' || stage === '$geoNear') {
    return commandError('NoQueryExecutionPlans', 'unable to find index for $geoNear query');
  }
  if (operator === '$geoWithin' || operator === '$geoIntersects') {
    return commandError('NotImplemented', `${operator} is not supported by devstack-mongo`);
  }
  return undefined;
}

/**
 * The MongoDB error for a failure while evaluating a client's query, update or pipeline: mingo rejects bad
 * expressions with its own error type, which is the client's input error (BadValue unless mongod names it).
 * Undefined for anything else, which is a bug of this server.
 */
export function evaluationError(error: unknown): MongoCommandError | undefined {
  if (error instanceof MongoCommandError) return error;
  if (!(error instanceof MingoError)) return undefined;
  const message = error.message.replace(/\.$/, '');
  const variable = UNDEFINED_VARIABLE.exec(message)?.[1];
  if (variable !== undefined)
    return commandError('UndefinedVariable', `Use of undefined variable: ${variable}`);
  const stage = UNKNOWN_STAGE.exec(message)?.[1];
  const unsupported = unsupportedFeature(stage, UNKNOWN_QUERY_OPERATOR.exec(message)?.[1]);
  if (unsupported) return unsupported;
  if (stage) return commandError('UnrecognizedPipelineStage', `Unrecognized pipeline stage name: '${stage}'`);
  return commandError('BadValue', message);
}
