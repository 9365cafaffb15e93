/**
 * Who is calling: the admin key check for /admin routes, and a client identity for rate limiting
 * and the stored request.
 *
 * - A request carrying one of the configured API keys (API_KEYS, SHA-256 hashes only) is that key:
 *   its own quota, stored as "key:<name>". Any other bearer token changes nothing: the caller is its
 *   IP, so random tokens cannot buy a fresh budget.
 * - Otherwise the caller is its IP (IPv6: its /64, as one household or VM has a whole /64), stored
 *   as "ip:<pseudonym>": an HMAC of it under a secret
 *   drawn at start-up, so rows cannot be traced back to an address (a plain hash of an IPv4 can be
 *   reversed by trying all 2³² of them) and nothing links them across restarts.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { normalizeIP } from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import type { ApiKey } from '../config';
import { ApiError } from './errors';

const sha256 = (s: string) => createHash('sha256').update(s).digest();

export function bearerToken(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1] : null;
}

/** A new API key and the line that configures it (`correctly api-key new NAME`). */
export function newApiKey(name: string, perMinute?: number): { key: string; entry: string } {
  const key = `ck_${randomBytes(24).toString('base64url')}`;
  return { key, entry: `${name}:${sha256(key).toString('hex')}${perMinute ? `:${perMinute}` : ''}` };
}

export interface Caller {
  /** "key:<name>" or "ip:<pseudonym>": the rate-limit bucket and the stored `client`. */
  id: string;
  /** Requests per minute. */
  quota: number;
}

export class ClientIdentity {
  private readonly keys: Map<string, ApiKey>;
  private readonly ipSecret = randomBytes(32);
  private readonly cache = new WeakMap<FastifyRequest, Caller>();

  constructor(keys: readonly ApiKey[], private readonly defaultQuota: number) {
    this.keys = new Map(keys.map((k) => [k.sha256, k]));
  }

  of(req: FastifyRequest): Caller {
    let c = this.cache.get(req);
    if (!c) {
      const token = bearerToken(req);
      // Keys are random and long: comparing their SHA-256 through a map reveals nothing usable.
      const key = token ? this.keys.get(sha256(token).toString('hex')) : undefined;
      c = key
        ? { id: `key:${key.name}`, quota: key.perMinute ?? this.defaultQuota }
        : { id: `ip:${createHmac('sha256', this.ipSecret).update(normalizeIP(req.ip)).digest('hex').slice(0, 16)}`, quota: this.defaultQuota };
      this.cache.set(req, c);
    }
    return c;
  }
}

/**
 * Admin routes need `Authorization: Bearer <CORRECTLY_ADMIN_KEY>`, compared in constant time.
 * Without a configured key they are off for everyone, loopback included: a page in the operator's
 * browser could otherwise reach them. Serving follows the MLflow champion alias by itself instead.
 */
export function requireAdmin(adminKey: string | undefined) {
  const want = adminKey ? sha256(adminKey) : null;
  return async (req: FastifyRequest): Promise<void> => {
    if (!want) throw new ApiError(403, 'admin_disabled', 'admin endpoints are off: set CORRECTLY_ADMIN_KEY on the server to use them (serving follows the MLflow champion alias without them)');
    const token = bearerToken(req);
    if (!req.headers.authorization) throw new ApiError(401, 'missing_api_key', 'admin endpoint: send Authorization: Bearer <CORRECTLY_ADMIN_KEY>');
    if (!token || !timingSafeEqual(sha256(token), want)) throw new ApiError(403, 'invalid_api_key', 'admin endpoint: the API key is not the admin key');
  };
}

/** A fresh feedback token (returned once, with the correction) and the hash stored in its place. */
export function newFeedbackToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: feedbackTokenHash(token) };
}

export function feedbackTokenHash(token: string): string {
  return sha256(token).toString('hex');
}

/** Constant-time comparison of two hex hashes of the same length. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}
