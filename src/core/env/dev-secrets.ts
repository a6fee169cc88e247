import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const DEV_SECRETS_FILE = 'dev-secrets.json';

interface StoredSecrets {
  secret_key: string;
  admin_password: string;
}

export interface DevSecrets {
  secretKey: string;
  adminPassword: string;
  /** True only on the start that generated the password, so it is shown exactly once. */
  createdAdminPassword: boolean;
}

/**
 * Outside production a missing SECRET_KEY or API_ADMIN_PASS is generated once and kept in
 * `<DATA_DIR>/dev-secrets.json` (mode 0600), so tokens and the password survive restarts.
 */
export function readOrCreateDevSecrets(dataDir: string): DevSecrets {
  const file = join(dataDir, DEV_SECRETS_FILE);
  const stored = readStored(file);
  if (stored) {
    return {
      secretKey: stored.secret_key,
      adminPassword: stored.admin_password,
      createdAdminPassword: false,
    };
  }
  const created: StoredSecrets = {
    secret_key: randomBytes(48).toString('base64url'),
    admin_password: randomBytes(12).toString('base64url'),
  };
  mkdirSync(dataDir, { recursive: true });
  // 'wx' fails when another process created the file first; then its secrets are the ones to use.
  try {
    writeFileSync(file, JSON.stringify(created, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  } catch (error) {
    const raced = (error as NodeJS.ErrnoException).code === 'EEXIST' ? readStored(file) : undefined;
    if (!raced) throw error;
    return {
      secretKey: raced.secret_key,
      adminPassword: raced.admin_password,
      createdAdminPassword: false,
    };
  }
  return {
    secretKey: created.secret_key,
    adminPassword: created.admin_password,
    createdAdminPassword: true,
  };
}

/** What readOrCreateDevSecrets would use, without creating anything; undefined before the first start. */
export function readDevSecrets(dataDir: string): DevSecrets | undefined {
  const stored = readStored(join(dataDir, DEV_SECRETS_FILE));
  return (
    stored && {
      secretKey: stored.secret_key,
      adminPassword: stored.admin_password,
      createdAdminPassword: false,
    }
  );
}

function readStored(file: string): StoredSecrets | undefined {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = JSON.parse(raw) as Partial<StoredSecrets>;
  if (typeof parsed.secret_key !== 'string' || typeof parsed.admin_password !== 'string') {
    throw new Error(`${file} is damaged: delete it to generate new development secrets`);
  }
  return { secret_key: parsed.secret_key, admin_password: parsed.admin_password };
}
