// Static checks of deploy/: Kubernetes manifests against the Kubernetes schemas (kubernetes-models),
// compose.yaml against the Compose Specification schema, the Containerfile parsed (dockerfile-ast),
// redis.conf, the Caddyfile (validated by the real caddy binary) and the onion-service notes.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { DockerfileParser } from 'dockerfile-ast';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';

const execFileAsync = promisify(execFile);
const repo = new URL('../../', import.meta.url).pathname;
const deploy = join(repo, 'deploy');
const read = (path: string) => readFileSync(join(deploy, path), 'utf8');

type Doc = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; annotations?: Record<string, string> }; [k: string]: any };

/** Every document of every deploy/k8s/*.yaml, with the file it came from. */
function k8sDocuments(): { file: string; doc: Doc }[] {
  const out: { file: string; doc: Doc }[] = [];
  for (const file of readdirSync(join(deploy, 'k8s')).filter((f) => f.endsWith('.yaml')).sort()) {
    for (const document of parseAllDocuments(read(`k8s/${file}`))) {
      expect(document.errors, file).toEqual([]);
      const doc = document.toJS() as Doc | null;
      if (doc !== null) out.push({ file, doc });
    }
  }
  return out;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each model takes its own typed data
type Model = new (data: any) => { validate(): void };
/** The kubernetes-models class of every kind deploy/k8s uses (a kind missing here fails the test). */
const MODELS: Record<string, Model> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

async function modelOf(doc: { apiVersion: string; kind: string }): Promise<Model> {
  const model = MODELS[`${doc.apiVersion}/${doc.kind}`];
  if (model === undefined) throw new Error(`no schema model for ${doc.apiVersion} ${doc.kind}: add it to MODELS`);
  return model;
}

const find = (docs: { doc: Doc }[], kind: string, name: string) => {
  const found = docs.find((d) => d.doc.kind === kind && d.doc.metadata.name === name)?.doc;
  if (found === undefined) throw new Error(`missing ${kind}/${name}`);
  return found;
};

/** Names that look like they hold a secret, and values that look like one. */
const SECRET_NAME = /pass(word)?|secret|token|api[_-]?key|private|credential/i;
const SECRET_VALUE = /\b(redis|rediss|postgres|mysql|https?):\/\/[^\s:@/]+:[^\s@/]+@|-----BEGIN [A-Z ]*PRIVATE KEY-----/;

describe('Kubernetes manifests', () => {
  const docs = k8sDocuments();

  it('validate against the Kubernetes schemas', async () => {
    expect(docs.length).toBeGreaterThanOrEqual(12);
    for (const { file, doc } of docs) {
      const Model = await modelOf(doc);
      expect(() => new Model(doc).validate(), `${file}: ${doc.kind}/${doc.metadata.name}`).not.toThrow();
    }
  });

  it('the validator does reject a broken manifest (control)', async () => {
    const deployment = structuredClone(find(docs, 'Deployment', 'utvag'));
    deployment.spec.replicas = 'two';
    const Model = await modelOf(deployment);
    expect(() => new Model(deployment).validate()).toThrow();
    const noImage = structuredClone(find(docs, 'Deployment', 'utvag'));
    delete noImage.spec.template.spec.containers[0].name;
    expect(() => new Model(noImage).validate()).toThrow();
  });

  it('has every piece the issue asks for, in one namespace', () => {
    const kinds = new Set(docs.map((d) => d.doc.kind));
    for (const kind of ['Namespace', 'Deployment', 'Service', 'Ingress', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy', 'ConfigMap', 'Secret', 'StatefulSet']) {
      expect(kinds, kind).toContain(kind);
    }
    for (const { doc } of docs) if (doc.kind !== 'Namespace') expect(doc.metadata.namespace, `${doc.kind}/${doc.metadata.name}`).toBe('utvag');
  });

  it('runs the app with ≥ 2 replicas, probes, limits and a locked-down security context', () => {
    const d = find(docs, 'Deployment', 'utvag');
    expect(d.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(d.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    const pod = d.spec.template.spec;
    const [app] = pod.containers;
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(app.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(app.readinessProbe.httpGet.path).toBe('/readyz');
    expect(app.livenessProbe.httpGet.path).toBe('/healthz');
    for (const kind of ['requests', 'limits']) expect(Object.keys(app.resources[kind]).sort()).toEqual(['cpu', 'memory']);
    // The app finishes on its own before Kubernetes kills it.
    const config = find(docs, 'ConfigMap', 'utvag-config').data as Record<string, string>;
    const preStop = Number(app.lifecycle.preStop.exec.command.at(-1));
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(Number(config.SHUTDOWN_GRACE_SECONDS) + preStop);
    // The secret comes from a Secret, never from a literal.
    const redisUrl = app.env.find((e: { name: string }) => e.name === 'REDIS_URL');
    expect(redisUrl.valueFrom.secretKeyRef).toEqual({ name: 'utvag-redis', key: 'REDIS_URL' });
    for (const [name, value] of Object.entries(config)) {
      expect(SECRET_NAME.test(name), name).toBe(false);
      expect(SECRET_VALUE.test(value), name).toBe(false);
    }
    // The metrics port is bound inside the pod but is a separate container port from the public one.
    expect(app.ports.map((p: { containerPort: number }) => p.containerPort).sort()).toEqual([8080, 9464]);
  });

  it('keeps WebSockets open through the Ingress and logs no client addresses there', () => {
    const ingress = find(docs, 'Ingress', 'utvag');
    const a = ingress.metadata.annotations ?? {};
    expect(Number(a['nginx.ingress.kubernetes.io/proxy-read-timeout'])).toBeGreaterThanOrEqual(300);
    expect(Number(a['nginx.ingress.kubernetes.io/proxy-send-timeout'])).toBeGreaterThanOrEqual(300);
    expect(a['nginx.ingress.kubernetes.io/enable-access-log']).toBe('false');
    expect(ingress.spec.tls.length).toBeGreaterThan(0);
  });

  it('scales between ≥ 2 replicas and keeps one available during drains', () => {
    expect(find(docs, 'HorizontalPodAutoscaler', 'utvag').spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(find(docs, 'PodDisruptionBudget', 'utvag').spec.minAvailable).toBeGreaterThanOrEqual(1);
  });

  it('lets only the ingress controller reach the app and only the app reach Redis', () => {
    expect(find(docs, 'NetworkPolicy', 'default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const app = find(docs, 'NetworkPolicy', 'utvag-app').spec;
    const httpRule = app.ingress.find((r: any) => r.ports.some((p: any) => p.port === 8080));
    expect(httpRule.from).toEqual([
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
      },
    ]);
    // No rule opens the public port to anything else.
    expect(app.ingress.filter((r: any) => r.ports.some((p: any) => p.port === 8080))).toHaveLength(1);
    const redis = find(docs, 'NetworkPolicy', 'redis').spec;
    expect(redis.ingress).toEqual([
      {
        from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'utvag', 'app.kubernetes.io/component': 'app' } } }],
        ports: [{ port: 6379, protocol: 'TCP' }],
      },
    ]);
  });

  it('runs Redis from deploy/redis.conf verbatim, with its ACL file from a Secret', () => {
    const config = find(docs, 'ConfigMap', 'redis-config');
    expect(config.data['redis.conf']).toBe(read('redis.conf'));
    const set = find(docs, 'StatefulSet', 'redis');
    const pod = set.spec.template.spec;
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
    const users = pod.volumes.find((v: any) => v.name === 'users');
    expect(users.secret.secretName).toBe('utvag-redis-users');
    expect(pod.containers[0].volumeMounts.find((m: any) => m.name === 'users').mountPath).toBe('/run/secrets');
    expect(set.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBeDefined();
  });

  it('ships no real secret', () => {
    const secret = find(docs, 'Secret', 'utvag-redis');
    expect(secret.stringData.REDIS_URL).toContain('REPLACE_ME');
  });
});

describe('compose.yaml', () => {
  const schema = JSON.parse(readFileSync(new URL('./compose-spec.schema.json', import.meta.url), 'utf8')) as object;
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  // Formats the Compose schema names; Go durations as Compose accepts them.
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp))?$/);
  ajv.addFormat('ports', /^(([\d.]+|\[[0-9a-f:]+\]):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('subnet_ip_address', true);
  const validate = ajv.compile(schema);
  const compose = parse(read('compose.yaml'), { merge: true }) as any;

  it('validates against the Compose Specification schema', () => {
    const valid = validate(compose);
    expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
    expect(valid).toBe(true);
    // Control: the schema does reject a wrong type and an unknown key.
    const broken = structuredClone(compose);
    broken.services.app1.read_only = 'yes';
    broken.services.redis.restart_policy = 'always';
    expect(validate(broken)).toBe(false);
  });

  it('runs Redis with deploy/redis.conf, two or more app instances and Caddy with deploy/Caddyfile', () => {
    const s = compose.services;
    expect(s.redis.command).toEqual(['redis-server', '/usr/local/etc/redis/redis.conf']);
    expect(s.redis.volumes).toContain('./redis.conf:/usr/local/etc/redis/redis.conf:ro');
    const apps = Object.keys(s).filter((name) => s[name].build?.dockerfile === 'deploy/Containerfile');
    expect(apps.length).toBeGreaterThanOrEqual(2);
    expect(s.caddy.volumes).toContain('./Caddyfile:/etc/caddy/Caddyfile:ro');
    expect(s.caddy.environment.UTVAG_UPSTREAMS.split(' ')).toEqual(apps.map((a) => `${a}:8080`));
    for (const name of apps) {
      const app = s[name];
      expect(app.read_only).toBe(true);
      expect(app.user).not.toMatch(/^(0|root)\b/);
      expect(app.environment.REDIS_URL).toBeUndefined();
      expect(app.environment.REDIS_URL_FILE).toBe('/run/secrets/redis-url');
      expect(app.secrets).toContain('redis-url');
      // The orchestrator waits longer than the app's own grace period.
      expect(parseInt(app.stop_grace_period, 10)).toBeGreaterThan(Number(app.environment.SHUTDOWN_GRACE_SECONDS));
      for (const [key, value] of Object.entries(app.environment as Record<string, string>)) {
        expect(SECRET_NAME.test(key), key).toBe(false);
        expect(SECRET_VALUE.test(String(value)), key).toBe(false);
      }
    }
    // Secrets come from files; Redis sits on an internal network only.
    for (const secret of Object.values(compose.secrets as Record<string, { file?: string }>)) expect(secret.file).toMatch(/^\.\/secrets\//);
    expect(compose.networks.backend.internal).toBe(true);
    expect(s.redis.networks).toEqual(['backend']);
    expect(s.redis.ports).toBeUndefined();
    expect(s.caddy.networks).not.toContain('backend');
  });
});

describe('redis.conf', () => {
  const conf = read('redis.conf');
  const directives = new Map(
    conf
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((l) => [l.split(/\s+/)[0]!, l.split(/\s+/).slice(1).join(' ')] as const),
  );

  it('persists with AOF every second, never evicts and keeps users in an ACL file', () => {
    expect(directives.get('appendonly')).toBe('yes');
    expect(directives.get('appendfsync')).toBe('everysec');
    expect(directives.get('maxmemory-policy')).toBe('noeviction');
    expect(directives.get('maxmemory')).toMatch(/^\d+[kmg]b$/);
    expect(directives.get('aclfile')).toBe('/run/secrets/redis-users.acl');
    expect(directives.has('requirepass')).toBe(false);
    expect(directives.has('user')).toBe(false);
  });

  it('the ACL example switches the default user off and has a password-hashed app user', () => {
    const acl = read('redis-users.acl.example');
    expect(acl).toMatch(/^user default off /m);
    expect(acl).toMatch(/^user utvag on #[0-9a-f]{64} /m);
    expect(acl).not.toMatch(/^user [^\n]*>/m); // no clear-text password
  });
});

describe('Containerfile', () => {
  const text = read('Containerfile');
  const dockerfile = DockerfileParser.parse(text);
  const instructions = dockerfile.getInstructions();
  const froms = dockerfile.getFROMs();
  const lastFrom = froms.at(-1)!;
  const finalStage = instructions.filter((i) => i.getRange().start.line >= lastFrom.getRange().start.line);
  const finalOf = (keyword: string) => finalStage.filter((i) => i.getKeyword() === keyword);

  it('is a multi-stage build on slim Node 20 images', () => {
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) {
      expect(from.getImageName()).toBe('node');
      expect(from.getImageTag()).toMatch(/^20(\.\d+)*-.*slim$/);
    }
    expect(text).toMatch(/npm ci --omit=dev/);
  });

  it('copies every source the build reads (vite.config.ts imports, tsconfig.build.json includes)', () => {
    const copied = dockerfile
      .getCOPYs()
      .map((c) => c.getArgumentsContent() ?? '')
      .filter((args) => !args.includes('--from'))
      .flatMap((args) => args.split(/\s+/).slice(0, -1));
    const viteImports = [...readFileSync(join(repo, 'vite.config.ts'), 'utf8').matchAll(/from '\.\/([^/']+)\//g)].map((m) => m[1]!);
    const buildIncludes = (JSON.parse(readFileSync(join(repo, 'tsconfig.build.json'), 'utf8')) as { include: string[] }).include;
    for (const dir of new Set(['client', ...viteImports, ...buildIncludes])) expect(copied, dir).toContain(dir);
    for (const file of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'vite.config.ts']) expect(copied, file).toContain(file);
  });

  it('runs as a non-root USER', () => {
    const users = finalOf('USER');
    expect(users.length).toBeGreaterThan(0);
    const user = users.at(-1)!.getArgumentsContent() ?? '';
    expect(user.split(':')[0]).not.toMatch(/^(0|root)$/);
  });

  it('has a HEALTHCHECK on /readyz', () => {
    const checks = dockerfile.getHEALTHCHECKs();
    expect(checks).toHaveLength(1);
    expect(checks[0]!.getRange().start.line).toBeGreaterThan(lastFrom.getRange().start.line);
    expect(checks[0]!.getArgumentsContent()).toContain('/readyz');
  });

  it('bakes in no secret', () => {
    for (const env of dockerfile.getENVs()) {
      for (const property of env.getProperties()) {
        expect(SECRET_NAME.test(property.getName()), property.getName()).toBe(false);
        expect(SECRET_VALUE.test(property.getValue() ?? ''), property.getName()).toBe(false);
      }
    }
    for (const arg of dockerfile.getARGs()) expect(SECRET_NAME.test(arg.getProperty()?.getName() ?? ''), 'ARG').toBe(false);
    for (const copy of dockerfile.getCOPYs()) {
      const args = copy.getArgumentsContent() ?? '';
      expect(args).not.toMatch(/secrets|\.env\b|\.acl\b|\.pem\b|\.key\b/);
    }
    expect(text).not.toMatch(SECRET_VALUE);
    // And the build context leaves secrets and local builds out.
    const ignored = read('Containerfile.dockerignore').split('\n').map((l) => l.trim());
    for (const entry of ['deploy/secrets', '**/node_modules', 'dist', '.git']) expect(ignored, entry).toContain(entry);
  });
});

describe('Caddyfile', () => {
  it('is accepted by caddy with the compose and the test parameters', async () => {
    const caddy = process.env.CADDY_PATH ?? '/usr/bin/caddy';
    if (!existsSync(caddy)) throw new Error('caddy is missing: scripts/test.sh installs it (apt-get install caddy)');
    const home = mkdtempSync(join(tmpdir(), 'utvag-caddy-validate-'));
    try {
      for (const env of [
        { UTVAG_SITE: 'utvag.example.se', UTVAG_UPSTREAMS: 'app1:8080 app2:8080' },
        { UTVAG_SITE: 'http://127.0.0.1:18443', UTVAG_UPSTREAMS: '127.0.0.1:18081 127.0.0.1:18082' },
      ]) {
        const { stdout, stderr } = await execFileAsync(caddy, ['adapt', '--config', join(deploy, 'Caddyfile'), '--adapter', 'caddyfile'], {
          env: { PATH: process.env.PATH ?? '', HOME: home, XDG_DATA_HOME: home, XDG_CONFIG_HOME: home, ...env },
        });
        const json = JSON.parse(stdout) as any;
        const route = JSON.stringify(json.apps.http.servers);
        for (const upstream of env.UTVAG_UPSTREAMS.split(' ')) expect(route).toContain(`"dial":"${upstream}"`);
        expect(route).toContain('"uri":"/readyz"');
        // API answers compressed (zstd, gzip); assets come precompressed from the app.
        expect(route).toContain('"encodings":{"gzip":{},"zstd":{}},"handler":"encode","prefer":["zstd","gzip"]');
        expect(json.admin?.disabled).toBe(true);
        // No access log: it would hold visitors' addresses.
        expect(json.logging?.logs ?? {}).toEqual({});
        expect(route).not.toContain('"logs"');
        expect(stderr).not.toMatch(/"level":"error"/);
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('onion service (deploy/tor)', () => {
  it('publishes the service with a v3 onion address and documents the setup', () => {
    const torrc = read('tor/torrc');
    expect(torrc).toMatch(/^HiddenServiceDir \/var\/lib\/tor\/utvag\/$/m);
    expect(torrc).toMatch(/^HiddenServiceVersion 3$/m);
    expect(torrc).toMatch(/^HiddenServicePort 80 127\.0\.0\.1:\d+$/m);
    expect(read('tor/README.md')).toContain('PUBLIC_URL');
  });

  it('the built visitor pages contain no absolute URL (they must work from the .onion origin)', () => {
    const root = join(repo, 'dist/public');
    if (!existsSync(root)) throw new Error('dist/public is missing: run `npm run build` (npm test does)');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.(html|js|css|json|webmanifest)$/.test(name)) files.push(path);
      }
    };
    walk(root);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const urls = readFileSync(file, 'utf8').match(/\b(https?|wss?):\/\/[^\s"'`)<>]+/g) ?? [];
      // Allowed: XML namespace names (preact's SVG/MathML support), identifiers never fetched; and
      // the quick-exit destination, a top-level navigation away from the service, never a request.
      const allowed = [/^http:\/\/www\.w3\.org\//, /^https:\/\/www\.smhi\.se\/$/];
      const fetched = urls.filter((u) => !allowed.some((pattern) => pattern.test(u)));
      expect(fetched, file).toEqual([]);
      // And no resource is loaded by absolute URL from any page.
      if (file.endsWith('.html')) expect(readFileSync(file, 'utf8'), file).not.toMatch(/\b(src|href)="(https?:)?\/\//);
    }
  });
});
