import { decodeProtectedHeader, errors, jwtVerify, SignJWT } from 'jose';
import { isChannelName, isChannelPattern } from '../guard/channels.js';
import { canonicalUid, UID_EXPECTED } from '../presence/uid.js';

/**
 * Signed identity (issue #3): the application signs, per page, a JWT with
 * HS256 and the server's secret. The user and what it may reach come from
 * the token alone; a client's own `current_user` is only compared with it.
 */
export interface Identity {
  /** Canonical uid (`sub`). */
  readonly uid: string;
  /** `name`. */
  readonly uname: string;
  /** Room channels or patterns the user may join (`rooms`). */
  readonly rooms: readonly string[];
  /** Time channels or patterns the user may be timed in. */
  readonly timeChannels: readonly string[];
  /** Other channels or patterns to subscribe and publish to. */
  readonly channels: readonly string[];
  /** Epoch milliseconds after which the token no longer opens a session. */
  readonly expires: number;
  /** The token itself, to recognise it when a client sends it again. */
  readonly token: string;
}

/** Why a token was refused; stable words, listed in the README. */
export type TokenFault =
  | 'token_missing'
  | 'token_expired'
  | 'token_bad_signature'
  | 'token_wrong_algorithm'
  | 'token_malformed';

export class TokenError extends Error {
  constructor(
    readonly fault: TokenFault,
    message: string,
  ) {
    super(message);
  }
}

export const ALGORITHM = 'HS256';
const MAX_TOKEN = 8192;
const MAX_GRANTS = 256;
const MAX_UNAME = 128;

function keyOf(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

/** Verifies a token and reads its claims, or throws a `TokenError`. */
export async function verifyToken(
  token: string,
  secret: string,
): Promise<Identity> {
  if (token.length > MAX_TOKEN) {
    throw new TokenError(
      'token_malformed',
      `token must be at most ${MAX_TOKEN} characters, got ${token.length}`,
    );
  }
  let payload: Record<string, unknown>;
  try {
    const verified = await jwtVerify(token, keyOf(secret), {
      algorithms: [ALGORITHM],
      requiredClaims: ['exp'],
    });
    payload = verified.payload;
  } catch (error) {
    throw classify(error, token);
  }

  return claimsOf(payload, token);
}

function classify(error: unknown, token: string): TokenError {
  if (error instanceof errors.JWTExpired) {
    const exp = Number(error.payload.exp) * 1000;
    const when = Number.isFinite(exp) ? new Date(exp).toISOString() : '?';
    return new TokenError('token_expired', `token expired at ${when}`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new TokenError(
      'token_bad_signature',
      'token signature does not match the server secret',
    );
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new TokenError(
      'token_wrong_algorithm',
      `token algorithm must be ${ALGORITHM}, got ${headerAlg(token)}`,
    );
  }
  const detail = error instanceof Error ? error.message : String(error);

  return new TokenError('token_malformed', `token is malformed: ${detail}`);
}

/** The `alg` a refused token claimed, for the message only. */
function headerAlg(token: string): string {
  try {
    return JSON.stringify(decodeProtectedHeader(token).alg).slice(0, 20);
  } catch {
    return 'an unreadable header';
  }
}

function malformed(claim: string, expected: string, got: unknown) {
  const shown = got === undefined ? 'nothing' : JSON.stringify(got);
  return new TokenError(
    'token_malformed',
    `token claim ${claim} must be ${expected}, got ${shown?.slice(0, 80)}`,
  );
}

function claimsOf(payload: Record<string, unknown>, token: string): Identity {
  const uid = canonicalUid(payload.sub);
  if (uid === null) throw malformed('sub', UID_EXPECTED, payload.sub);
  const { name } = payload;
  if (typeof name !== 'string' || name.length < 1 || name.length > MAX_UNAME) {
    throw malformed('name', `a string of 1 to ${MAX_UNAME} characters`, name);
  }

  return {
    uid,
    uname: name,
    rooms: grantsOf(payload, 'rooms', true),
    timeChannels: grantsOf(payload, 'time_channels', true),
    channels: grantsOf(payload, 'channels', false),
    expires: Number(payload.exp) * 1000,
    token,
  };
}

const GRANTS_EXPECTED =
  `an array of at most ${MAX_GRANTS} channel names or patterns ` +
  '(/classes/4, /classes/*, /classes/**)';

function grantsOf(
  payload: Record<string, unknown>,
  claim: string,
  required: boolean,
): string[] {
  const value = payload[claim];
  if (value === undefined && !required) return [];
  const valid =
    Array.isArray(value) &&
    value.length <= MAX_GRANTS &&
    value.every((item) => isChannelName(item) || isChannelPattern(item));
  if (!valid) throw malformed(claim, GRANTS_EXPECTED, value);

  return value as string[];
}

export interface TokenClaims {
  readonly uid: string;
  readonly uname: string;
  readonly rooms: readonly string[];
  readonly timeChannels: readonly string[];
  readonly channels?: readonly string[];
  /** Seconds the token stays valid. */
  readonly ttl: number;
}

/** Signs a token as an application backend would (CLI, tests). */
export async function signToken(
  claims: TokenClaims,
  secret: string,
  now = Date.now(),
): Promise<string> {
  const payload: Record<string, unknown> = {
    name: claims.uname,
    rooms: [...claims.rooms],
    time_channels: [...claims.timeChannels],
  };
  if (claims.channels !== undefined) payload.channels = [...claims.channels];
  const issued = Math.floor(now / 1000);

  return new SignJWT(payload)
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(claims.uid)
    .setIssuedAt(issued)
    .setExpirationTime(issued + Math.round(claims.ttl))
    .sign(keyOf(secret));
}
