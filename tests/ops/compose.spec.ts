/**
 * There is no Docker engine on the machines this project is built on, so the container files are checked by
 * structure: docker-compose.yml is parsed and held against lib/config.ts and package.json, and the Dockerfile
 * against what the services load at run time. `docker compose config` / `docker build` are not run here.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig, loadServiceConfig, SERVICE_SETTINGS, SETTINGS } from '../../lib/config';
import { AUTH_VARIABLES, interpolated, SHELL } from './compose-env';
import { dockerIgnored, importGraph } from './image-contents';
import { ROOT } from './processes';

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  expose?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[]; interval?: string; retries?: number };
  restart?: string;
  deploy?: { replicas?: number };
  init?: boolean;
  pull_policy?: string;
}

interface Compose {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
}

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const compose = parse(read('docker-compose.yml'), { merge: true }) as Compose;
const packageJson = JSON.parse(read('package.json')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const buildConfig = JSON.parse(read('tsconfig.build.json')) as { include: string[]; exclude: string[] };
const dockerfile = read('Dockerfile');
const instructions = dockerfile
  .split('\n')
  .filter((line) => line.trim() !== '' && !line.trim().startsWith('#'))
  .map((line) => line.trim());
/** The build stage (sources, every dependency) and the runtime stage (what the container runs). */
const runtimeAt = instructions.findIndex((line, i) => i > 0 && line.startsWith('FROM '));
const buildStage = instructions.slice(0, runtimeAt);
const runtimeStage = instructions.slice(runtimeAt);

/** Each application service: its npm script, the settings it reads, and the variable holding its port. */
const APP_SERVICES = {
  'shop-api': { settings: SERVICE_SETTINGS.shopApi, portSetting: SETTINGS.shopApiPort },
  processing: { settings: SERVICE_SETTINGS.processing, portSetting: SETTINGS.processingPort },
  synchronizers: { settings: SERVICE_SETTINGS.synchronizers, portSetting: SETTINGS.synchronizersPort },
} as const;

/** Who may call a service: read by every one of them, from the shell that runs `docker compose` (`${VAR:-}`). */
const service = (name: string): ComposeService => {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};

describe('docker-compose.yml', () => {
  it('runs EventStoreDB, MongoDB and the three services', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['eventstore', 'mongo', 'processing', 'shop-api', 'synchronizers'].sort(),
    );
  });

  it('runs the official EventStoreDB image as an insecure single node with the system projections', () => {
    const eventstore = service('eventstore');
    expect(eventstore.image).toMatch(
      /^(docker\.kurrent\.io\/kurrent-latest\/kurrentdb|eventstore\/eventstore):\S+$/,
    );
    const env = eventstore.environment ?? {};
    const prefix = eventstore.image?.includes('kurrentdb') ? 'KURRENTDB' : 'EVENTSTORE';
    expect(env[`${prefix}_CLUSTER_SIZE`]).toBe('1');
    expect(env[`${prefix}_INSECURE`]).toBe('true');
    expect(['All', 'System']).toContain(env[`${prefix}_RUN_PROJECTIONS`]);
    // Nothing reads $ce- / $et- streams: the standard projections would only write link events.
    expect(env[`${prefix}_START_STANDARD_PROJECTIONS`]).toBe('false');
    expect(eventstore.ports).toBeUndefined();
    expect(eventstore.healthcheck?.test.join(' ')).toContain('http://localhost:2113/health/live');
    expect(eventstore.volumes).toContain('eventstore-data:/var/lib/kurrentdb');
  });

  it('publishes no database port to the host', () => {
    expect(service('eventstore').ports).toBeUndefined();
    expect(service('mongo').ports).toBeUndefined();
  });

  it('runs MongoDB 7 with a ping health check and a data volume', () => {
    const mongo = service('mongo');
    expect(mongo.image).toBe('mongo:7');
    expect(mongo.healthcheck?.test.join(' ')).toMatch(/mongosh.*ping/);
    expect(mongo.volumes).toContain('mongo-data:/data/db');
  });

  it('declares every named volume it mounts', () => {
    const mounted = Object.values(compose.services)
      .flatMap((s) => s.volumes ?? [])
      .map((volume) => volume.split(':')[0]!)
      .filter((source) => !source.startsWith('.') && !source.startsWith('/'));
    expect(mounted.length).toBeGreaterThan(0);
    for (const volume of mounted) expect(Object.keys(compose.volumes)).toContain(volume);
  });

  it('restarts every container unless it was stopped', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      expect({ name, restart: s.restart }).toEqual({ name, restart: 'unless-stopped' });
      expect({ name, hasHealthcheck: (s.healthcheck?.test.length ?? 0) > 0 }).toEqual({
        name,
        hasHealthcheck: true,
      });
    }
  });

  describe.each(Object.entries(APP_SERVICES))('%s', (name, { settings, portSetting }) => {
    const s = service(name);
    const env = interpolated(s.environment ?? {}, SHELL);
    const variables = [...settings.map((setting) => SETTINGS[setting].variable), ...AUTH_VARIABLES];

    it('runs the one image, built once, with its compiled entry point under plain node', () => {
      expect(s.image).toBe(service('shop-api').image);
      // Only the gateway builds the image; the others run it and never pull or build it themselves.
      expect(s.build).toBe(name === 'shop-api' ? '.' : undefined);
      expect(s.pull_policy).toBe(name === 'shop-api' ? 'build' : 'never');
      expect(s.command).toEqual(['node', `dist/${name}/main.js`]);
      expect(buildConfig.include).toContain(name);
      expect(existsSync(path.join(ROOT, name, 'main.ts'))).toBe(true);
      expect(s.init).toBe(true);
    });

    it('sets only variables lib/config.ts knows, and they pass its validation', () => {
      const known = Object.values(SETTINGS).map((setting) => setting.variable);
      for (const variable of Object.keys(env)) expect(known).toContain(variable);
      for (const variable of Object.keys(env)) expect(variables).toContain(variable);
      expect(() => loadServiceConfig(settings, env)).not.toThrow();
    });

    it('takes its API keys or OIDC issuer from the shell and stops without them, listening on every interface', () => {
      for (const variable of AUTH_VARIABLES) expect(s.environment?.[variable]).toBe(`\${${variable}:-}`);
      expect(() => loadServiceConfig(settings, interpolated(s.environment ?? {}, {}))).toThrow(
        /API_KEYS is missing/,
      );
      expect(env.HOST).toBe('0.0.0.0');
    });

    it('points at the compose servers, not at the localhost defaults', () => {
      const config = loadConfig(settings, env) as { esdbConnectionString: string; mongoUrl?: string };
      expect(config.esdbConnectionString).toBe('esdb://eventstore:2113?tls=false');
      if (variables.includes(SETTINGS.mongoUrl.variable)) {
        expect(config.mongoUrl).toBe('mongodb://mongo:27017/shop');
      } else {
        expect(env.MONGO_URL).toBeUndefined();
      }
    });

    it('waits for the servers it uses to be healthy', () => {
      const uses = ['eventstore', ...(variables.includes('MONGO_URL') ? ['mongo'] : [])];
      expect(Object.keys(s.depends_on ?? {}).sort()).toEqual(uses.sort());
      for (const dependency of uses) expect(s.depends_on?.[dependency]?.condition).toBe('service_healthy');
    });

    it('checks health on the port its settings give it', () => {
      const port = env[portSetting.variable] ?? portSetting.fallback;
      expect(port).toMatch(/^\d+$/);
      expect(s.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${port}/health`);
      const published = [...(s.ports ?? []), ...(s.expose ?? [])].map((p) => p.split(':').pop());
      expect(published).toContain(port);
    });
  });

  it('gives every service the same input stream and group', () => {
    const values = (variable: string) =>
      new Set(
        Object.keys(APP_SERVICES)
          .map((name) => service(name).environment?.[variable])
          .filter(Boolean),
      );
    expect([...values('INPUT_STREAM')]).toEqual(['shop-input']);
    expect([...values('PROCESSING_GROUP')]).toEqual(['shop-processing']);
  });

  it('scales processing to two replicas without a fixed host port', () => {
    const processing = service('processing');
    expect(processing.deploy?.replicas).toBe(2);
    expect(processing.ports).toBeUndefined();
  });

  it('publishes the gateway on port 3000', () => {
    expect(service('shop-api').ports).toContain('3000:3000');
  });
});

describe('Dockerfile', () => {
  const runtimeEntries = ['shop-api/main.ts', 'processing/main.ts', 'synchronizers/main.ts', 'admin/main.ts'];
  const copied = buildStage
    .filter((line) => line.startsWith('COPY '))
    .flatMap((line) =>
      line
        .split(/\s+/)
        .slice(1, -1)
        .filter((part) => !part.startsWith('--')),
    );
  const ignored = dockerIgnored(read('.dockerignore').split('\n'));
  const installs = (stage: readonly string[]) => stage.filter((line) => /\bnpm (ci|install|i)\b/.test(line));

  it('builds in one node:20-slim stage and runs in another', () => {
    expect(buildStage[0]).toBe('FROM node:20-slim AS build');
    expect(runtimeStage[0]).toBe('FROM node:20-slim');
    expect(instructions.filter((line) => line.startsWith('FROM '))).toHaveLength(2);
    expect(installs(buildStage)).toEqual([expect.stringMatching(/^RUN npm ci\b(?!.*--omit)/)]);
    expect(buildStage).toContain('RUN npm run build');
    expect(packageJson.scripts.build).toContain('tsc -p tsconfig.build.json');
  });

  it('installs production dependencies only in the runtime stage and copies just the compiled output', () => {
    expect(installs(runtimeStage)).toEqual([expect.stringMatching(/^RUN npm ci --omit=dev/)]);
    expect(runtimeStage).toContain('ENV NODE_ENV=production \\');
    const copies = runtimeStage.filter((line) => line.startsWith('COPY '));
    expect(copies).toEqual([
      'COPY --chown=node:node package.json package-lock.json ./',
      'COPY --from=build --chown=node:node /app/dist ./dist',
    ]);
  });

  it('runs as the unprivileged node user', () => {
    const lastUser = runtimeStage.filter((line) => line.startsWith('USER ')).pop();
    expect(lastUser).toBe('USER node');
    const userAt = runtimeStage.indexOf('USER node');
    expect(runtimeStage.slice(userAt).some((line) => line.startsWith('RUN '))).toBe(false);
  });

  it('starts a compiled service with node itself: no npm or shell between the signal and the service', () => {
    expect(runtimeStage.filter((line) => line.startsWith('CMD ')).pop()).toBe(
      'CMD ["node", "dist/shop-api/main.js"]',
    );
  });

  it('builds every file the services load, and .dockerignore keeps none of them out', () => {
    const graph = importGraph(ROOT, runtimeEntries);
    expect(graph.files.size).toBeGreaterThan(20);
    for (const file of graph.files) {
      const inImage = copied.some((source) => file === source || file.startsWith(`${source}/`));
      const compiled = buildConfig.include.some((folder) => file.startsWith(`${folder}/`));
      expect({ file, inImage, compiled, ignored: ignored(file) }).toEqual({
        file,
        inImage: true,
        compiled: true,
        ignored: false,
      });
    }
    for (const source of copied) expect(existsSync(path.join(ROOT, source))).toBe(true);
  });

  it('needs no development dependency at run time, tsx least of all', () => {
    const { packages } = importGraph(ROOT, runtimeEntries);
    expect(packages.size).toBeGreaterThan(3);
    for (const name of packages) {
      expect({ name, production: name in packageJson.dependencies }).toEqual({ name, production: true });
    }
    expect(packageJson.dependencies).not.toHaveProperty('tsx');
    expect(packageJson.devDependencies).toHaveProperty('tsx');
  });

  it('keeps tests, benchmarks, the embedded servers, local data and a local dist/ out of the image', () => {
    for (const file of [
      'tests/order-lifecycle.spec.ts',
      'devstack/main.ts',
      'bench/main.ts',
      'data/x',
      'node_modules/x',
      'dist/shop-api/main.js',
      'lib/config.spec.ts',
    ]) {
      expect({ file, ignored: ignored(file) }).toEqual({ file, ignored: true });
    }
  });
});
