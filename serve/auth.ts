/**
 * Who is calling: the admin key check for /admin routes, and a client identity for rate limiting
 * and the stored request (a hash, never the key or the IP itself).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ApiError } from './errors';

const sha = (s: string) => createHash('sha256').update(s).digest();

export function bearerToken(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1] : null;
}

/** "key:<hash>" for a caller with a bearer token, else "ip:<hash>". */
export function clientId(req: FastifyRequest): string {
  const token = bearerToken(req);
  return token ? `key:${sha(token).toString('hex').slice(0, 16)}` : `ip:${sha(req.ip).toString('hex').slice(0, 16)}`;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Admin routes need `Authorization: Bearer <CORRECTLY_ADMIN_KEY>`. Without a configured key they
 * are open to loopback callers only (the local stack), so an unset key never opens them to the network.
 */
export function requireAdmin(adminKey: string | undefined) {
  return async (req: FastifyRequest): Promise<void> => {
    const token = bearerToken(req);
    if (!adminKey) {
      if (LOOPBACK.has(req.socket.remoteAddress ?? '')) return;
      throw new ApiError(403, 'admin_disabled', 'admin endpoints need CORRECTLY_ADMIN_KEY to be set on the server (only loopback callers are allowed without it)');
    }
    if (!req.headers.authorization) throw new ApiError(401, 'missing_api_key', 'admin endpoint: send Authorization: Bearer <CORRECTLY_ADMIN_KEY>');
    if (!token || !timingSafeEqual(sha(token), sha(adminKey))) throw new ApiError(403, 'invalid_api_key', 'admin endpoint: the API key is not the admin key');
  };
}
