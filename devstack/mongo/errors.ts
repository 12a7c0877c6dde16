import type { Document } from 'bson';

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
  UnrecognizedPipelineStage: 40324,
  DuplicateKey: 11000,
} as const;

export type ErrorCodeName = keyof typeof ERROR_CODES;

/** A command failure as MongoDB reports it: `{ok: 0, errmsg, code, codeName}` plus optional extra fields. */
export class MongoCommandError extends Error {
  readonly code: number;
  constructor(
    readonly codeName: ErrorCodeName,
    message: string,
    readonly extra: Document = {},
  ) {
    super(message);
    this.code = ERROR_CODES[codeName];
  }

  /** MongoDB names codes without a symbolic name `Location<code>`. */
  get replyCodeName(): string {
    return this.codeName === 'UnrecognizedPipelineStage' ? `Location${this.code}` : this.codeName;
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
