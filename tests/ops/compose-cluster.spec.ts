/**
 * docker-compose.cluster.yml cannot be started on these machines (no Docker engine), so it is checked by structure,
 * like docker-compose.yml: parsed, and held against lib/config.ts and the single-node file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig, SERVICE_SETTINGS, SETTINGS } from '../../lib/config';
import { AUTH_VARIABLES, interpolated, SHELL } from './compose-env';
import { ROOT } from './processes';

interface ComposeService {
  image?: string;
  build?: unknown;
  pull_policy?: string;
  command?: string[] | string;
  entrypoint?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  deploy?: { replicas?: number };
  networks?: Record<string, { ipv4_address?: string }>;
}

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const cluster = parse(read('docker-compose.cluster.yml'), { merge: true }) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
  networks: { default: { ipam: { config: { subnet: string }[] } } };
};
const single = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, ComposeService>;
};

const service = (name: string): ComposeService => {
  const found = cluster.services[name];
  if (!found) throw new Error(`docker-compose.cluster.yml has no service ${name}`);
  return found;
};
const NODES = ['eventstore1', 'eventstore2', 'eventstore3'];
const MONGOS = ['mongo1', 'mongo2', 'mongo3'];
const APPS = { 'shop-api': 'shopApi', processing: 'processing', synchronizers: 'synchronizers' } as const;

describe('docker-compose.cluster.yml', () => {
  it('makes the certificates once with the certificate tool, a CA and one per node, before any node starts', () => {
    const certs = service('certs');
    expect(certs.image).toMatch(/^eventstore\/es-gencert-cli:\d/);
    const script = String(certs.command);
    expect(script).toContain('if [ ! -f ca/ca.crt ]');
    expect(script).toContain('es-gencert-cli create-ca -out ./ca');
    NODES.forEach((node, i) => {
      const ip = service(node).networks?.default?.ipv4_address;
      expect(script).toContain(
        `create-node -out ./node${i + 1} -ip-addresses 127.0.0.1,${ip} -dns-names ${node},`,
      );
      expect(service(node).depends_on?.certs?.condition).toBe('service_completed_successfully');
    });
  });

  it('runs three KurrentDB nodes as one secure cluster, each gossiping with the other two', () => {
    const subnet = cluster.networks.default.ipam.config[0]!.subnet;
    NODES.forEach((node, i) => {
      const s = service(node);
      const env = s.environment ?? {};
      expect(s.image).toBe(single.services.eventstore!.image);
      expect(env.KURRENTDB_CLUSTER_SIZE).toBe('3');
      expect(env.KURRENTDB_INSECURE).toBeUndefined();
      expect(env.KURRENTDB_CERTIFICATE_FILE).toBe(`/etc/kurrentdb/certs/node${i + 1}/node.crt`);
      expect(env.KURRENTDB_CERTIFICATE_PRIVATE_KEY_FILE).toBe(`/etc/kurrentdb/certs/node${i + 1}/node.key`);
      expect(env.KURRENTDB_TRUSTED_ROOT_CERTIFICATES_PATH).toBe('/etc/kurrentdb/certs/ca');
      expect(env.KURRENTDB_RUN_PROJECTIONS).toBe('System');
      const ip = s.networks?.default?.ipv4_address ?? '';
      expect(ip.startsWith(subnet.split('.').slice(0, 3).join('.'))).toBe(true);
      expect(env.KURRENTDB_REPLICATION_IP).toBe(ip);
      const others = NODES.filter((n) => n !== node).map(
        (n) => `${service(n).networks?.default?.ipv4_address}:2113`,
      );
      expect(env.KURRENTDB_GOSSIP_SEED?.split(',').sort()).toEqual(others.sort());
      expect(s.volumes).toContain('certs:/etc/kurrentdb/certs:ro');
      expect(s.healthcheck?.test.join(' ')).toContain('https://localhost:2113/health/live');
    });
  });

  it('runs a three-member MongoDB replica set, initiated once', () => {
    for (const name of MONGOS) {
      expect(service(name).image).toBe('mongo:7');
      expect(service(name).command).toEqual(['mongod', '--replSet', 'rs0', '--bind_ip_all']);
    }
    const init = service('mongo-init');
    const script = (init.command as string[]).join(' ');
    expect(script).toContain("rs.initiate({ _id: 'rs0'");
    for (const name of MONGOS) {
      expect(script).toContain(`host: '${name}:27017'`);
      expect(init.depends_on?.[name]?.condition).toBe('service_healthy');
    }
  });

  describe.each(Object.entries(APPS))('%s', (name, settingsOf) => {
    const s = service(name);
    const env = interpolated(s.environment ?? {}, SHELL);
    const settings = SERVICE_SETTINGS[settingsOf];
    const variables = [...settings.map((setting) => SETTINGS[setting].variable), ...AUTH_VARIABLES];

    it('runs the one image, built once by the gateway, compiled under plain node', () => {
      expect(s.image).toBe(service('shop-api').image);
      expect(s.build).toBe(name === 'shop-api' ? '.' : undefined);
      expect(s.pull_policy).toBe(name === 'shop-api' ? 'build' : 'never');
      expect(s.command).toEqual(['node', `dist/${name}/main.js`]);
    });

    it('reaches every node over TLS with the CA the certs service made, and every replica-set member', () => {
      for (const variable of Object.keys(env)) expect(variables).toContain(variable);
      const config = loadConfig(settings, env) as { esdbConnectionString: string; mongoUrl?: string };
      // Several hosts are not a WHATWG URL: split it the way the client does.
      const [hosts, query] = config.esdbConnectionString.split('?');
      expect(hosts).toBe('esdb+discover://eventstore1:2113,eventstore2:2113,eventstore3:2113');
      const params = new URLSearchParams(query);
      expect(params.get('tls')).toBe('true');
      expect(params.get('tlsCAFile')).toBe('/certs/ca/ca.crt');
      expect(s.volumes).toContain('certs:/certs:ro');
      for (const node of NODES) expect(s.depends_on?.[node]?.condition).toBe('service_healthy');
      if (variables.includes('MONGO_URL')) {
        expect(config.mongoUrl).toBe('mongodb://mongo1:27017,mongo2:27017,mongo3:27017/shop?replicaSet=rs0');
        expect(s.depends_on?.['mongo-init']?.condition).toBe('service_completed_successfully');
      } else {
        expect(env.MONGO_URL).toBeUndefined();
      }
    });
  });

  it('runs three processors in the one group', () => {
    expect(service('processing').deploy?.replicas).toBe(3);
    expect(service('processing').environment?.PROCESSING_GROUP).toBe('shop-processing');
  });

  it('declares every named volume it mounts', () => {
    const mounted = Object.values(cluster.services)
      .flatMap((s) => s.volumes ?? [])
      .map((volume) => volume.split(':')[0]!);
    expect(mounted.length).toBeGreaterThan(0);
    for (const volume of mounted) expect(Object.keys(cluster.volumes)).toContain(volume);
  });
});
