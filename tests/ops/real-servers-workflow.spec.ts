/**
 * `npm run test:servers` and the workflow that runs it on real KurrentDB and MongoDB cannot run here (no Docker
 * engine), so they are checked by structure: the workflow against docker-compose.yml and package.json, the spec
 * list against the files and the one embedded/external switch they must go through.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { externalServers, withDatabase } from '../support/test-servers';
import { ROOT } from './processes';

interface Workflow {
  jobs: Record<
    string,
    {
      services: Record<string, { image: string; env?: Record<string, string>; ports: string[] }>;
      env: Record<string, string>;
      steps: { run?: string; uses?: string }[];
    }
  >;
}

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const workflow = parse(read('.github/workflows/real-servers.yml')) as Workflow;
const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, { image: string; environment: Record<string, string> }>;
};
const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;

const SERVERS_CONFIG = path.join(ROOT, 'jest.servers.config.js');
function loadServersConfig(env: Record<string, string | undefined>): { testMatch: string[] } {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete process.env[name];
  try {
    jest.resetModules();
    return jest.requireActual<{ testMatch: string[] }>(SERVERS_CONFIG);
  } finally {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}

describe('the real-servers workflow', () => {
  const [job, ...others] = Object.values(workflow.jobs);

  it('runs exactly npm run test:servers, against the servers its variables name', () => {
    expect(others).toEqual([]);
    const runs = job!.steps.flatMap((step) => (step.run ? [step.run] : []));
    expect(runs[runs.length - 1]).toBe('npm run test:servers');
    expect(scripts['test:servers']).toMatch(/^jest -c jest\.servers\.config\.js /);
    expect(job!.env.ESDB_CONNECTION_STRING).toBe('esdb://127.0.0.1:2113?tls=false');
    expect(job!.env.MONGO_URL).toBe('mongodb://127.0.0.1:27017/shop');
  });

  it('uses the KurrentDB of docker-compose.yml (insecure, system projections) and MongoDB 7', () => {
    const { eventstore, mongo } = job!.services;
    const composed = compose.services.eventstore!;
    expect(eventstore?.image).toBe(composed.image);
    for (const name of [
      'KURRENTDB_INSECURE',
      'KURRENTDB_RUN_PROJECTIONS',
      'KURRENTDB_START_STANDARD_PROJECTIONS',
    ]) {
      expect({ name, value: eventstore?.env?.[name] }).toEqual({ name, value: composed.environment[name] });
    }
    expect(eventstore?.ports).toEqual(['2113:2113']);
    expect(mongo?.image).toBe('mongo:7');
    expect(mongo?.ports).toEqual(['27017:27017']);
  });
});

describe('npm run test:servers', () => {
  it('refuses to start without both servers named', () => {
    expect(() =>
      loadServersConfig({ ESDB_CONNECTION_STRING: 'esdb://127.0.0.1:2113?tls=false', MONGO_URL: undefined }),
    ).toThrow(/needs MONGO_URL/);
  });

  it('lists specs that exist and open their servers through the one switch', () => {
    const config = loadServersConfig({
      ESDB_CONNECTION_STRING: 'esdb://127.0.0.1:2113?tls=false',
      MONGO_URL: 'mongodb://127.0.0.1:27017/shop',
    });
    expect(config.testMatch.length).toBeGreaterThan(0);
    for (const pattern of config.testMatch) {
      const file = pattern.replace('<rootDir>', ROOT);
      expect({ file, exists: existsSync(file) }).toEqual({ file, exists: true });
      const source = readFileSync(file, 'utf8');
      expect({ file, embedded: /devstack\//.test(source) }).toEqual({ file, embedded: false });
      expect({ file, switch: /support\/(test-servers|pipeline)'/.test(source) }).toEqual({
        file,
        switch: true,
      });
    }
  });

  it('targets the external servers only when asked, so npm test stays on the embedded ones', () => {
    const named = {
      ESDB_CONNECTION_STRING: 'esdb://db:2113?tls=false',
      MONGO_URL: 'mongodb://db:27017/shop',
    };
    expect(externalServers(named)).toBeUndefined();
    expect(externalServers({ ...named, SHOP_TEST_SERVERS: 'external' })).toEqual({
      esdb: named.ESDB_CONNECTION_STRING,
      mongo: named.MONGO_URL,
    });
  });

  it('gives each spec a database of its own on a shared MongoDB, keeping hosts and options', () => {
    expect(withDatabase('mongodb://127.0.0.1:27017/shop', 'shop-1')).toBe('mongodb://127.0.0.1:27017/shop-1');
    expect(withDatabase('mongodb://a:1,b:2/shop?replicaSet=rs0', 'x')).toBe(
      'mongodb://a:1,b:2/x?replicaSet=rs0',
    );
    expect(withDatabase('mongodb://127.0.0.1:27017', 'x')).toBe('mongodb://127.0.0.1:27017/x');
  });
});
