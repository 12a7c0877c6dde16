import { builtinModules } from 'node:module';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const IMPORT_PATTERNS = [
  /^\s*(import|export)\s+(type\s+)?[^'";]*?\bfrom\s+['"]([^'"]+)['"]/gm,
  /^\s*import\s+['"]([^'"]+)['"]/gm,
  /\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g,
];
const EXTENSIONS = ['.ts', '.js', '.json', '/index.ts', '/index.js'];

export interface ImportGraph {
  /** Project files the entry points load, relative to the root. */
  readonly files: Set<string>;
  /** npm packages they load at run time (type-only imports are erased, so they are left out). */
  readonly packages: Set<string>;
}

function specifiers(source: string): { spec: string; typeOnly: boolean }[] {
  const found: { spec: string; typeOnly: boolean }[] = [];
  for (const match of source.matchAll(IMPORT_PATTERNS[0]!)) {
    found.push({ spec: match[3]!, typeOnly: match[2] !== undefined });
  }
  for (const pattern of IMPORT_PATTERNS.slice(1)) {
    for (const match of source.matchAll(pattern)) found.push({ spec: match[1]!, typeOnly: false });
  }
  return found;
}

function resolveFile(fromFile: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(fromFile), spec);
  for (const candidate of [base, ...EXTENSIONS.map((ext) => base + ext)]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

const isBuiltin = (spec: string) => spec.startsWith('node:') || builtinModules.includes(packageName(spec));

/** Follows relative imports from the entry points through the project's TypeScript sources. */
export function importGraph(root: string, entries: readonly string[]): ImportGraph {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = entries.map((entry) => path.join(root, entry));
  while (queue.length > 0) {
    const file = queue.pop()!;
    const relative = path.relative(root, file);
    if (files.has(relative)) continue;
    files.add(relative);
    if (!file.endsWith('.ts')) continue;
    for (const { spec, typeOnly } of specifiers(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) {
        const target = resolveFile(file, spec);
        if (!target) throw new Error(`${relative} imports ${spec}, which does not exist`);
        queue.push(target);
      } else if (!typeOnly && !isBuiltin(spec)) {
        packages.add(packageName(spec));
      }
    }
  }
  return { files, packages };
}

/** `.dockerignore` semantics for the patterns used here: `*`, `**`, anchored at the build context root. */
export function dockerIgnored(patterns: readonly string[]): (file: string) => boolean {
  const regexes = patterns
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith('!'))
    .map((pattern) => {
      const body = pattern
        .replace(/^\/+|\/+$/g, '')
        .split('**/')
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
        .join('(?:.*/)?');
      return new RegExp(`^${body}(?:/.*)?$`);
    });
  return (file) => regexes.some((regex) => regex.test(file));
}
