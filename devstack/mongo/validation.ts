import type { Document } from 'bson';
import { commandError } from './errors';
import { isPlainObject } from './field-paths';
import { newQuery } from './mingo-context';

const LEVELS = new Set(['off', 'strict', 'moderate']);
const ACTIONS = new Set(['error', 'warn']);

/** A collection's document validation (`validator`, `validationLevel`, `validationAction`). */
export interface DocumentValidator {
  /** Throws DocumentValidationFailure when `doc` may not be stored; `previous` is the document it replaces. */
  check(doc: Document, previous: Document | undefined): void;
}

function containsJsonSchema(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsJsonSchema);
  if (!isPlainObject(value)) return false;
  return Object.entries(value).some(([key, nested]) => key === '$jsonSchema' || containsJsonSchema(nested));
}

function enumValue(options: Document, field: string, allowed: Set<string>): void {
  const value = options[field] as unknown;
  if (value === undefined) return;
  if (typeof value !== 'string' || !allowed.has(value)) {
    throw commandError(
      'BadValue',
      `Enumeration value '${JSON.stringify(value)}' for field '${field}' is not a valid value.`,
    );
  }
}

/** Checks the validation options of `create` / `collMod` as mongod parses them. */
export function validateValidationOptions(options: Document, command: string): void {
  const validator = options.validator as unknown;
  if (validator !== undefined) {
    if (!isPlainObject(validator)) {
      throw commandError(
        'TypeMismatch',
        `BSON field '${command}.validator' is the wrong type '${typeof validator}', expected type 'object'`,
      );
    }
    if (containsJsonSchema(validator)) {
      // mingo needs an external JSON-schema implementation for $jsonSchema; none is bundled here.
      throw commandError('NotImplemented', '$jsonSchema validators are not supported by devstack-mongo');
    }
    newQuery(validator);
  }
  enumValue(options, 'validationLevel', LEVELS);
  enumValue(options, 'validationAction', ACTIONS);
}

/** The validator a collection's options describe, or undefined when nothing is checked. */
export function compileValidator(options: Document): DocumentValidator | undefined {
  const validator = options.validator as unknown;
  if (!isPlainObject(validator) || Object.keys(validator).length === 0) return undefined;
  const level = (options.validationLevel as string | undefined) ?? 'strict';
  const action = (options.validationAction as string | undefined) ?? 'error';
  // `warn` stores the document (mongod only logs), `off` checks nothing: neither can refuse a write.
  if (level === 'off' || action === 'warn') return undefined;
  const query = newQuery(validator);
  return {
    check(doc, previous) {
      // `moderate` leaves alone updates of documents that already broke the rules.
      if (level === 'moderate' && previous && !query.test(previous)) return;
      if (query.test(doc)) return;
      throw commandError('DocumentValidationFailure', 'Document failed validation', {
        errInfo: { failingDocumentId: doc._id as unknown },
      });
    },
  };
}
