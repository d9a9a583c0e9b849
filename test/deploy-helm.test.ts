import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/processes.js';

const CHART = join(ROOT, 'deploy/helm/hyperevolve');

/** helm as CI provides it (.ci/run puts its cached build on PATH), or HYPEREVOLVE_HELM. */
function findHelm(): string | undefined {
  const candidates = [process.env.HYPEREVOLVE_HELM, ...(process.env.PATH ?? '').split(delimiter).filter((d) => d !== '').map((dir) => join(dir, 'helm'))];
  return candidates.find((path): path is string => {
    if (path === undefined || path === '') return false;
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
const helm = findHelm();
// CI builds helm (.ci/run): there a missing helm fails the test, never skips it.
const skip = helm === undefined && process.env.CI !== 'true';

interface EnvVar { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string }; fieldRef?: unknown } }
interface Probe { httpGet?: { path: string; port: string | number }; exec?: { command: string[] } }
interface Container {
  name: string;
  args?: string[];
  command?: string[];
  env?: EnvVar[];
  ports?: { name?: string; containerPort: number }[];
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  readinessProbe?: Probe;
  livenessProbe?: Probe;
}
interface PodSpec { containers: Container[]; terminationGracePeriodSeconds?: number }
interface Manifest {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  data?: Record<string, string>;
  spec?: {
    template?: { metadata: { labels: Record<string, string> }; spec: PodSpec };
    selector?: { matchLabels?: Record<string, string> };
    maxUnavailable?: number;
    volumeClaimTemplates?: unknown[];
  } & Partial<PodSpec>;
}

function render(sets: readonly string[]): { code: number | null; stderr: string; manifests: Manifest[] } {
  if (helm === undefined) throw new Error('helm not found: .ci/run builds it (go install helm.sh/helm/v4/cmd/helm) and puts it on PATH; or set HYPEREVOLVE_HELM');
  const result = spawnSync(helm, ['template', 'ci', CHART, '--namespace', 'gpu', ...sets.flatMap((set) => ['--set', set])], { encoding: 'utf8' });
  const manifests = result.status === 0 ? (loadAll(result.stdout) as (Manifest | null)[]).filter((m): m is Manifest => m !== null) : [];
  return { code: result.status, stderr: result.stderr, manifests };
}

function one(manifests: Manifest[], kind: string, name: string): Manifest {
  const found = manifests.filter((m) => m.kind === kind && m.metadata.name === name);
  expect(found, `${kind} ${name} among ${manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}`).toHaveLength(1);
  return found[0] as Manifest;
}

function podSpec(m: Manifest): PodSpec {
  const spec = m.kind === 'Pod' ? (m.spec as PodSpec | undefined) : m.spec?.template?.spec;
  if (spec === undefined) throw new Error(`${m.kind} ${m.metadata.name} has no pod spec`);
  return spec;
}

const SECRET_LIKE = /PASSWORD|TOKEN|SECRET|REDIS_URL|AUTH|KEY/i;

/** Every password, token and Redis URL comes from a Secret: no literal value in env or args. */
function expectSecretsOnly(manifests: Manifest[], secretsGiven: readonly string[]): void {
  const rendered = new Set(manifests.filter((m) => m.kind === 'Secret').map((m) => m.metadata.name));
  for (const m of manifests.filter((x) => ['Deployment', 'StatefulSet', 'DaemonSet', 'Pod'].includes(x.kind))) {
    for (const c of podSpec(m).containers) {
      const where = `${m.kind} ${m.metadata.name}, container ${c.name}`;
      for (const env of c.env ?? []) {
        if (SECRET_LIKE.test(env.name)) {
          expect(env.value, `${where}: ${env.name} must come from a Secret`).toBeUndefined();
          const ref = env.valueFrom?.secretKeyRef;
          expect(ref, `${where}: ${env.name}`).toBeDefined();
          expect(rendered.has(ref?.name ?? '') || secretsGiven.includes(ref?.name ?? ''), `${where}: ${env.name} from Secret ${ref?.name ?? ''}, which is neither rendered nor given`).toBe(true);
        }
        expect(env.value ?? '', `${where}: ${env.name}`).not.toMatch(/rediss?:\/\/[^@\s]*:[^@\s]+@/);
      }
      for (const word of [...(c.args ?? []), ...(c.command ?? [])]) expect(word, `${where}: a password in the command line`).not.toMatch(/requirepass \S*[^"$\w]|--http-token|rediss?:\/\/[^@\s]*:[^@\s$]+@/);
    }
  }
}

function envOf(c: Container, name: string): EnvVar | undefined {
  return c.env?.find((e) => e.name === name);
}

describe.skipIf(skip)('Helm chart deploy/helm/hyperevolve (rendered with helm template; not run on a live cluster here)', () => {
  it('default values: Redis StatefulSet with AOF on a volume, scheduler with probes and its token in a Secret, one-GPU worker Deployment, PDB, helm test hook', () => {
    const { code, stderr, manifests } = render([]);
    expect(code, stderr).toBe(0);
    expectSecretsOnly(manifests, []);

    const redis = one(manifests, 'StatefulSet', 'ci-hyperevolve-redis');
    const redisContainer = podSpec(redis).containers[0] as Container;
    expect(redisContainer.command?.join(' ')).toMatch(/--appendonly yes .*--maxmemory-policy noeviction/);
    expect(redis.spec?.volumeClaimTemplates).toHaveLength(1);
    expect(redisContainer.readinessProbe?.exec?.command).toEqual(['redis-cli', 'ping']);
    expect(redisContainer.livenessProbe?.exec?.command).toEqual(['redis-cli', 'ping']);
    expect(envOf(redisContainer, 'REDISCLI_AUTH')?.valueFrom?.secretKeyRef).toEqual({ name: 'ci-hyperevolve-redis', key: 'redis-password' });
    const redisSecret = one(manifests, 'Secret', 'ci-hyperevolve-redis');
    const url = Buffer.from(redisSecret.data?.['redis-url'] ?? '', 'base64').toString();
    const password = Buffer.from(redisSecret.data?.['redis-password'] ?? '', 'base64').toString();
    expect(password).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(url).toBe(`redis://:${password}@ci-hyperevolve-redis:6379`);

    const scheduler = podSpec(one(manifests, 'Deployment', 'ci-hyperevolve-scheduler')).containers[0] as Container;
    expect(scheduler.args?.slice(0, 3)).toEqual(['serve', '--http', '0.0.0.0:3000']);
    expect(scheduler.args?.[4]).toContain('ci-hyperevolve-dashboard.gpu.svc');
    for (const probe of [scheduler.readinessProbe, scheduler.livenessProbe]) expect(probe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(scheduler.ports).toEqual([{ name: 'http', containerPort: 3000 }]);
    expect(envOf(scheduler, 'HYPEREVOLVE_HTTP_TOKEN')?.valueFrom?.secretKeyRef).toEqual({ name: 'ci-hyperevolve-dashboard', key: 'http-token' });
    expect(Buffer.from(one(manifests, 'Secret', 'ci-hyperevolve-dashboard').data?.['http-token'] ?? '', 'base64').toString().length).toBeGreaterThanOrEqual(12);
    one(manifests, 'Service', 'ci-hyperevolve-dashboard');

    const workers = one(manifests, 'Deployment', 'ci-hyperevolve-worker');
    const worker = podSpec(workers).containers[0] as Container;
    expect(worker.args?.slice(0, 2)).toEqual(['--device', 'auto']);
    expect(worker.resources?.limits?.['nvidia.com/gpu']).toBe(1);
    expect(worker.resources?.requests?.['nvidia.com/gpu']).toBe(1);
    expect(envOf(worker, 'HYPEREVOLVE_ALLOW_COMMANDS')?.value).toBe('python train.py');
    expect(envOf(worker, 'REDIS_URL')?.valueFrom?.secretKeyRef).toEqual({ name: 'ci-hyperevolve-redis', key: 'redis-url' });
    expect(worker.args?.slice(worker.args.indexOf('--grace'), worker.args.indexOf('--grace') + 2)).toEqual(['--grace', '0s']);
    expect(podSpec(workers).terminationGracePeriodSeconds).toBe(30);

    // Every container asks for what it needs.
    for (const m of manifests.filter((x) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(x.kind))) {
      for (const c of podSpec(m).containers) expect(Object.keys(c.resources?.requests ?? {}), `${m.metadata.name}/${c.name}`).toEqual(expect.arrayContaining(['cpu', 'memory']));
    }

    const pdb = one(manifests, 'PodDisruptionBudget', 'ci-hyperevolve-worker');
    expect(pdb.spec?.maxUnavailable).toBe(1);
    expect(workers.spec?.template?.metadata.labels).toMatchObject(pdb.spec?.selector?.matchLabels ?? { none: 'none' });

    const test = manifests.find((m) => m.kind === 'Pod' && m.metadata.annotations?.['helm.sh/hook'] === 'test');
    expect(test).toBeDefined();
    const testContainer = podSpec(test as Manifest).containers[0] as Container;
    expect(testContainer.args).toEqual(['status']);
    expect(envOf(testContainer, 'REDIS_URL')?.valueFrom?.secretKeyRef).toEqual({ name: 'ci-hyperevolve-redis', key: 'redis-url' });
  });

  it('external Redis: no StatefulSet, every REDIS_URL from the given Secret; a URL given as a value goes into a Secret, not into a pod', () => {
    const existing = render(['redis.enabled=false', 'externalRedis.existingSecret=team-redis']);
    expect(existing.code, existing.stderr).toBe(0);
    expect(existing.manifests.filter((m) => m.kind === 'StatefulSet')).toEqual([]);
    expectSecretsOnly(existing.manifests, ['team-redis']);
    const users = existing.manifests.filter((m) => ['Deployment', 'Pod'].includes(m.kind)).map((m) => envOf(podSpec(m).containers[0] as Container, 'REDIS_URL')?.valueFrom?.secretKeyRef);
    expect(users).toEqual([{ name: 'team-redis', key: 'redis-url' }, { name: 'team-redis', key: 'redis-url' }, { name: 'team-redis', key: 'redis-url' }]);

    const byUrl = render(['redis.enabled=false', 'externalRedis.url=rediss://:s3cret-pass@redis.example:6380']);
    expect(byUrl.code, byUrl.stderr).toBe(0);
    expectSecretsOnly(byUrl.manifests, []);
    const secret = one(byUrl.manifests, 'Secret', 'ci-hyperevolve-redis-url');
    expect(Buffer.from(secret.data?.['redis-url'] ?? '', 'base64').toString()).toBe('rediss://:s3cret-pass@redis.example:6380');
    const workloads = byUrl.manifests.filter((m) => m.kind !== 'Secret');
    expect(JSON.stringify(workloads)).not.toContain('s3cret-pass');

    const neither = render(['redis.enabled=false']);
    expect(neither.code).not.toBe(0);
    expect(neither.stderr).toMatch(/set externalRedis\.existingSecret \(a Secret with the key redis-url\) or externalRedis\.url/);
  });

  it('DaemonSet workers: --devices auto on every GPU node with all its GPUs, the pod\'s grace tied to the worker\'s', () => {
    const { code, stderr, manifests } = render(['workers.kind=DaemonSet', 'workers.gpusPerNode=4', 'workers.graceSeconds=600', 'workers.allowCommands={python train.py,yolo detect train}']);
    expect(code, stderr).toBe(0);
    expectSecretsOnly(manifests, []);
    expect(manifests.filter((m) => m.kind === 'Deployment').map((m) => m.metadata.name)).toEqual(['ci-hyperevolve-scheduler']);
    const daemon = one(manifests, 'DaemonSet', 'ci-hyperevolve-worker');
    const spec = podSpec(daemon);
    const worker = spec.containers[0] as Container;
    expect(worker.args?.slice(0, 2)).toEqual(['--devices', 'auto']);
    expect(worker.resources?.limits?.['nvidia.com/gpu']).toBe(4);
    expect(worker.args?.slice(worker.args.indexOf('--grace'), worker.args.indexOf('--grace') + 2)).toEqual(['--grace', '600s']);
    expect(spec.terminationGracePeriodSeconds).toBe(630);
    expect((spec as PodSpec & { nodeSelector?: Record<string, string> }).nodeSelector).toEqual({ 'nvidia.com/gpu.present': 'true' });
    expect(envOf(worker, 'HYPEREVOLVE_ALLOW_COMMANDS')?.value).toBe('python train.py;yolo detect train');
    one(manifests, 'PodDisruptionBudget', 'ci-hyperevolve-worker');

    const bad = render(['workers.kind=Job']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/workers\.kind: "Job" is neither Deployment .* nor DaemonSet/);
  });

});
