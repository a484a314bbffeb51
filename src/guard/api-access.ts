import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { isLoopbackHost, type Config } from '../config/schema.js';
import { ApiError } from '../server/errors.js';

/**
 * Who may read `/api/*` (issue #3): with `--api-key`, whoever sends
 * `Authorization: Bearer <key>`; without one, loopback addresses only,
 * since the API tells who is online where.
 */
export function apiAccess(config: Config) {
  const expected =
    config.apiKey === undefined ? undefined : digest(config.apiKey);

  return async (request: FastifyRequest): Promise<void> => {
    if (!isApiPath(request.url)) return;
    if (expected === undefined) return loopbackOnly(request.ip);
    const given = bearerOf(request.headers.authorization);
    if (given === null) {
      throw new ApiError(
        'UNAUTHORIZED',
        'expected an Authorization: Bearer <api key> header, got none',
      );
    }
    if (!timingSafeEqual(digest(given), expected)) {
      throw new ApiError(
        'UNAUTHORIZED',
        'expected the API key of this server as Bearer token, got another',
      );
    }
  };
}

function isApiPath(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}

function loopbackOnly(address: string): void {
  if (isLoopbackHost(address)) return;
  throw new ApiError(
    'FORBIDDEN',
    `the API answers loopback addresses only while no --api-key is set; ` +
      `got a request from ${address}`,
  );
}

function bearerOf(header: string | undefined): string | null {
  const match = /^Bearer +(\S+)\s*$/i.exec(header ?? '');

  return match?.[1] ?? null;
}

/** Equal-length digests, so the comparison time says nothing of the key. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
