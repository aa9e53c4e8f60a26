import { createHash, timingSafeEqual } from 'node:crypto';
import { HttpError } from './errors.js';

/** What a key may do: `read` (GET, HEAD) or `write` (everything). */
export type ApiKeyRole = 'read' | 'write';

/** One accepted API key. */
export interface ApiKeyEntry {
  key: string;
  role: ApiKeyRole;
}

/** Parses `API_KEYS` (`key:role,key:role`); throws a one-line Error on a bad entry. */
export function parseApiKeys(value: string): ApiKeyEntry[] {
  const out: ApiKeyEntry[] = [];
  for (const part of value.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const at = item.lastIndexOf(':');
    const key = at > 0 ? item.slice(0, at) : '';
    const role = at > 0 ? item.slice(at + 1) : '';
    if (key === '' || (role !== 'read' && role !== 'write')) {
      throw new Error(`API_KEYS entries must be key:read or key:write (got an entry with role [${role}])`);
    }
    out.push({ key, role });
  }
  if (out.length === 0) throw new Error('API_KEYS is set but holds no key');
  return out;
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Checks `Authorization: ApiKey <key>` headers against a fixed set of keys, in constant time. */
export class ApiKeyAuthenticator {
  private readonly keys: { hash: Buffer; role: ApiKeyRole }[];

  constructor(entries: readonly ApiKeyEntry[]) {
    this.keys = entries.map((e) => ({ hash: digest(e.key), role: e.role }));
  }

  /** The caller's role; HttpError 401 when the header is missing or the key unknown. */
  authenticate(header: string | undefined, path: string): ApiKeyRole {
    const challenge = { 'www-authenticate': 'ApiKey' };
    const m = header === undefined ? null : /^ApiKey\s+(\S+)\s*$/i.exec(header);
    if (!m) {
      throw new HttpError(401, 'security_exception', `missing authentication credentials for REST request [${path}]`, challenge);
    }
    const given = digest(m[1] as string);
    let role: ApiKeyRole | undefined;
    for (const k of this.keys) {
      // every key is compared, so the time does not depend on which one matched
      if (timingSafeEqual(given, k.hash) && role === undefined) role = k.role;
    }
    if (role === undefined) {
      throw new HttpError(401, 'security_exception', 'unable to authenticate with provided credentials', challenge);
    }
    return role;
  }

  /** HttpError 403 when a read key asks for a write. */
  authorize(role: ApiKeyRole, method: string, path: string): void {
    if (role === 'read' && method !== 'GET' && method !== 'HEAD') {
      throw new HttpError(
        403,
        'security_exception',
        `action [${method} ${path}] is unauthorized for API key with role [read], this action is granted by the role [write]`,
      );
    }
  }
}
