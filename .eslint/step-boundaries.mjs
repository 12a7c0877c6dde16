// The import boundaries between the project's modules (ARCHITECTURE.md): each top-level folder names what it may
// import of the others; a relative import that crosses into anything else is an error. Specs, `testing/` folders
// and `tests/` are exempt: they test a module's insides on purpose.
import { dirname, relative, resolve, sep } from 'node:path';

const STEP = ['contracts', 'lib'];
/** Folder → what it may import besides itself. A path names a folder or one file (without extension). */
export const ALLOWED = {
  contracts: [],
  lib: ['contracts'],
  processing: STEP,
  synchronizers: STEP,
  'shop-api': STEP,
  devstack: ['lib'],
  admin: [...STEP, 'processing/operations', 'synchronizers/operations'],
  bench: [...STEP, 'devstack', 'processing/operations', 'synchronizers/operations'],
  scripts: [...STEP, 'devstack/devstack-args'],
};

/**
 * Domain code (deciders, adapters, projections) imports no infrastructure: only contracts, its own domain and the
 * pure value helpers in lib/values.
 */
const DOMAIN_STEPS = ['processing', 'synchronizers'];
const NOT_DOMAIN = ['host', 'main', 'operations'];
const INFRASTRUCTURE_PACKAGES = /^(@eventstore\/|mongodb|prom-client|express|pino|@opentelemetry\/|node:)/;

const EXEMPT = /(\.spec\.ts$|\/testing\/|^tests\/)/;

function isDomain(path) {
  const [top, second] = path.split('/');
  if (!DOMAIN_STEPS.includes(top) || second === undefined) return false;
  return !NOT_DOMAIN.includes(second.replace(/\.ts$/, ''));
}

function allowedFor(path) {
  const top = path.split('/')[0];
  return ALLOWED[top];
}

export const stepBoundaries = {
  meta: {
    type: 'problem',
    docs: {
      description: 'Modules import each other only through their published entry points (ARCHITECTURE.md)',
    },
    schema: [],
  },
  create(context) {
    const root = context.cwd;
    const file = relative(root, context.filename).split(sep).join('/');
    if (EXEMPT.test(file)) return {};
    const allowed = allowedFor(file);
    if (allowed === undefined) return {};
    const [top] = file.split('/');
    const domain = isDomain(file);

    function check(node, source) {
      if (typeof source !== 'string') return;
      if (!source.startsWith('.')) {
        if (domain && INFRASTRUCTURE_PACKAGES.test(source)) {
          context.report({ node, message: `domain code imports no infrastructure: "${source}" (${file})` });
        }
        return;
      }
      const target = relative(root, resolve(dirname(context.filename), source))
        .split(sep)
        .join('/');
      const targetTop = target.split('/')[0];
      if (domain && targetTop === top && !isDomain(target)) {
        context.report({ node, message: `domain code imports no infrastructure: "${source}" is ${target}` });
        return;
      }
      if (domain && targetTop !== top && targetTop !== 'contracts' && !target.startsWith('lib/values/')) {
        context.report({
          node,
          message: `domain code imports only contracts and its own domain, not ${target}`,
        });
        return;
      }
      if (targetTop === top) return;
      const ok = allowed.some((entry) => target === entry || target.startsWith(`${entry}/`));
      if (!ok) {
        context.report({
          node,
          message: `${top}/ may not import ${target}: it may import ${[...allowed].join(', ') || 'nothing outside itself'}`,
        });
      }
    }

    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};
