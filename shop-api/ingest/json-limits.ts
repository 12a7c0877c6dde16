/**
 * Bounds on the shape of a posted JSON body, checked before anything serializes or stores it: a body nested
 * 5,000 deep once overflowed the stack of the event store client's JSON.stringify and took the gateway down.
 * The walk is iterative, so the check itself has no recursion to overflow.
 */
export interface JsonLimits {
  readonly maxDepth: number;
  readonly maxArrayLength: number;
  readonly maxStringLength: number;
  readonly maxObjectKeys: number;
}

/** Generous for real orders (hundreds of lines, long addresses), far below what hurts. */
export const DEFAULT_JSON_LIMITS: JsonLimits = {
  maxDepth: 32,
  maxArrayLength: 10_000,
  maxStringLength: 100_000,
  maxObjectKeys: 1000,
};

export interface LimitBreach {
  /** The setting that moves the limit. */
  readonly limit:
    'MAX_JSON_DEPTH' | 'MAX_JSON_ARRAY_LENGTH' | 'MAX_JSON_STRING_LENGTH' | 'MAX_JSON_OBJECT_KEYS';
  readonly max: number;
  /** Where in the body, e.g. `$.lines[3].sku` (shortened for deep paths). */
  readonly path: string;
  readonly detail: string;
}

const MAX_PATH_LENGTH = 200;

function childPath(path: string, key: string | number): string {
  if (path.length > MAX_PATH_LENGTH) return path;
  const next = typeof key === 'number' ? `${path}[${key}]` : `${path}.${key.slice(0, 40)}`;
  return next.length > MAX_PATH_LENGTH ? `${next.slice(0, MAX_PATH_LENGTH)}…` : next;
}

/** A value still to check: where it sits is kept as its parent and key, spelled out only for a breach. */
interface Pending {
  readonly value: unknown;
  readonly depth: number;
  readonly parent: Pending | undefined;
  readonly key: string | number;
}

/** The `$.lines[3].sku` of a pending value, built step by step from the root as `childPath` bounds it. */
function pathOf(item: Pending): string {
  const keys: (string | number)[] = [];
  for (let at: Pending | undefined = item; at?.parent !== undefined; at = at.parent) keys.push(at.key);
  let path = '$';
  for (let index = keys.length - 1; index >= 0; index--)
    path = childPath(path, keys[index] as string | number);
  return path;
}

/** The first limit the value breaks, or undefined when it keeps them all. */
export function checkJsonLimits(value: unknown, limits: JsonLimits): LimitBreach | undefined {
  const stack: Pending[] = [{ value, depth: 0, parent: undefined, key: '$' }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { value: current, depth } = item;
    if (typeof current === 'string') {
      if (current.length > limits.maxStringLength) {
        return breach('MAX_JSON_STRING_LENGTH', limits.maxStringLength, pathOf(item), 'a string longer than');
      }
      // a key is a string too, checked with its object below
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth + 1 > limits.maxDepth) {
      return breach('MAX_JSON_DEPTH', limits.maxDepth, pathOf(item), 'nesting deeper than');
    }
    if (Array.isArray(current)) {
      if (current.length > limits.maxArrayLength) {
        return breach('MAX_JSON_ARRAY_LENGTH', limits.maxArrayLength, pathOf(item), 'an array longer than');
      }
      for (let index = 0; index < current.length; index++) {
        stack.push({ value: current[index] as unknown, depth: depth + 1, parent: item, key: index });
      }
      continue;
    }
    const keys = Object.keys(current);
    if (keys.length > limits.maxObjectKeys) {
      return breach(
        'MAX_JSON_OBJECT_KEYS',
        limits.maxObjectKeys,
        pathOf(item),
        'an object with more fields than',
      );
    }
    for (const key of keys) {
      if (key.length > limits.maxStringLength) {
        return breach(
          'MAX_JSON_STRING_LENGTH',
          limits.maxStringLength,
          pathOf(item),
          'a field name longer than',
        );
      }
      stack.push({
        value: (current as Record<string, unknown>)[key],
        depth: depth + 1,
        parent: item,
        key,
      });
    }
  }
  return undefined;
}

function breach(limit: LimitBreach['limit'], max: number, path: string, what: string): LimitBreach {
  return { limit, max, path, detail: `The body has ${what} ${max} (${limit}) at ${path}.` };
}
