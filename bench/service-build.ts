import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './processes';

export type ServiceName = 'shop-api' | 'processing' | 'synchronizers';

/**
 * `compiled` (default): the services run as production runs them, `node dist/<service>/main.js` after one
 * `npm run build` per bench run; `tsx` (BENCH_SERVICES=tsx): from the TypeScript sources, to compare the two.
 */
export const SERVICE_MODE: 'compiled' | 'tsx' = process.env.BENCH_SERVICES === 'tsx' ? 'tsx' : 'compiled';

let built: Promise<void> | undefined;

/** Runs `npm run build` once per bench process: the figures are of the code in the working tree. */
export function buildServices(): Promise<void> {
  built ??= promisify(execFile)('npm', ['run', '--silent', 'build'], { cwd: ROOT }).then(() => {
    for (const service of ['shop-api', 'processing', 'synchronizers']) {
      if (!existsSync(join(ROOT, 'dist', service, 'main.js')))
        throw new Error(`build made no dist/${service}`);
    }
  });
  return built;
}

/** The entry point the bench starts for a service, building it first when it runs compiled. */
export async function serviceEntry(service: ServiceName): Promise<string> {
  if (SERVICE_MODE === 'tsx') return `${service}/main.ts`;
  await buildServices();
  return `dist/${service}/main.js`;
}
