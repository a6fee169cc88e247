import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { installed } from './support/cluster';
import { ROOT } from './support/process';

const read = (...path: string[]) => readFileSync(join(ROOT, ...path), 'utf8');

/** `[Section]` → key → values, as systemd reads a unit (a key may repeat). */
function parseUnit(text: string): Record<string, Record<string, string[]>> {
  const sections: Record<string, Record<string, string[]>> = {};
  let current: Record<string, string[]> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      current = sections[section[1]] ??= {};
      continue;
    }
    const at = line.indexOf('=');
    if (!current || at < 0) throw new Error(`not a unit line: ${line}`);
    (current[line.slice(0, at)] ??= []).push(line.slice(at + 1));
  }
  return sections;
}

interface ComposeService {
  build?: string;
  image?: string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  ports?: string[];
  restart?: string;
}

describe('deployment files', () => {
  const readme = read('README.md');

  it('builds the image in stages, with production dependencies only, as a non-root user', () => {
    const dockerfile = read('Dockerfile');
    const stages = dockerfile.match(/^FROM .+$/gm) ?? [];
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    expect(runtime).toMatch(/^COPY --from=build .*node_modules/m);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^HEALTHCHECK [\s\S]*\/api\/health\/ready/m);
    expect(runtime).toMatch(/^VOLUME \["\/data"\]$/m);
    expect(runtime).toMatch(/DATA_DIR=\/data/);
    expect(read('.dockerignore')).toMatch(/^node_modules$/m);
    expect(readme).toContain('docker build');
  });

  it('composes two instances on PostgreSQL and Redis behind nginx, as the README says', () => {
    const compose = load(read('docker-compose.yml')) as {
      services: Record<string, ComposeService>;
    };
    const { services } = compose;
    expect(Object.keys(services).sort()).toEqual(
      ['guildhall-a', 'guildhall-b', 'nginx', 'postgres', 'redis'].sort(),
    );
    for (const name of ['guildhall-a', 'guildhall-b']) {
      const app = services[name];
      expect(app.build).toBe('.');
      expect(app.restart).toBe('unless-stopped');
      expect(app.environment).toMatchObject({
        DATABASE_URL: expect.stringContaining('@postgres:5432/'),
        REDIS_URL: 'redis://redis:6379',
        INSTANCE_ID: name,
        TRUST_PROXY: expect.any(String),
      });
      expect(app.depends_on).toMatchObject({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
    }
    // nginx mounts the committed locations, and its own upstreams name both instances.
    const mounts = services.nginx.volumes ?? [];
    for (const file of ['guildhall-locations.inc', 'guildhall-proxy.inc'])
      expect(mounts).toContain(`./deploy/nginx/${file}:/etc/nginx/conf.d/${file}:ro`);
    const site = read('deploy', 'docker', 'nginx-compose.conf');
    expect(site).toMatch(/server guildhall-a:5070/);
    expect(site).toMatch(/server guildhall-b:5070/);
    expect(readme).toContain('docker compose up');
  });

  it('runs under systemd with restarts and hardening', () => {
    const unit = parseUnit(read('deploy', 'systemd', 'guildhall.service'));
    const service = unit.Service;
    expect(service.ExecStart[0]).toMatch(/^\/usr\/bin\/node .*dist\/src\/main\.js$/);
    expect(service.Restart).toEqual(['on-failure']);
    expect(service.User).toEqual(['guildhall']);
    for (const key of ['NoNewPrivileges', 'ProtectHome', 'PrivateTmp', 'PrivateDevices'])
      expect(service[key]).toEqual(['yes']);
    expect(service.ProtectSystem).toEqual(['strict']);
    expect(service.ReadWritePaths).toEqual(['/var/lib/guildhall']);
    expect(service.Environment).toContain('DATA_DIR=/var/lib/guildhall');
    expect(unit.Install.WantedBy).toEqual(['multi-user.target']);
    expect(readme).toContain('deploy/systemd/guildhall.service');
  });

  (installed('nginx') && installed('openssl', ['version']) ? it : it.skip)(
    'has an nginx configuration that nginx -t accepts',
    () => {
      const nginx = installed('nginx') as string;
      const dir = mkdtempSync(join(tmpdir(), 'guildhall-nginx-'));
      try {
        mkdirSync(join(dir, 'conf.d'));
        for (const file of ['guildhall.conf', 'guildhall-locations.inc', 'guildhall-proxy.inc'])
          copyFileSync(join(ROOT, 'deploy', 'nginx', file), join(dir, 'conf.d', file));
        // A throwaway certificate where the configuration expects Let's Encrypt's.
        execFileSync(
          'openssl',
          ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=test'] //
            .concat(['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')]),
          { stdio: 'ignore' },
        );
        const site = join(dir, 'conf.d', 'guildhall.conf');
        writeFileSync(
          site,
          readFileSync(site, 'utf8')
            .replace(/\/etc\/letsencrypt\/live\/[^;]+\/fullchain\.pem/, join(dir, 'cert.pem'))
            .replace(/\/etc\/letsencrypt\/live\/[^;]+\/privkey\.pem/, join(dir, 'key.pem')),
        );
        writeFileSync(
          join(dir, 'nginx.conf'),
          `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\n` +
            `http { client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; include conf.d/guildhall.conf; }\n`,
        );
        const check = spawnSync(nginx, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')], {
          encoding: 'utf8',
        });
        expect(check.stderr).toContain('test is successful');
        expect(check.status).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
