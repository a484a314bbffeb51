/**
 * The one catalogue of HTTP API errors: a stable code, its status, and the
 * body `{ error: { code, message } }`. The README lists these codes.
 */
export const API_ERRORS = {
  INVALID_PARAMETER: 400,
  NOT_FOUND: 404,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  PAYLOAD_TOO_LARGE: 413,
  STORAGE_UNAVAILABLE: 503,
  INTERNAL: 500,
} as const;

export type ApiErrorCode = keyof typeof API_ERRORS;

export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.status = API_ERRORS[code];
  }

  toJSON() {
    return { error: { code: this.code, message: this.message } };
  }
}

/** A parameter that is missing or malformed: names it, says what it wanted. */
export function invalidParameter(name: string, expected: string, got: unknown) {
  const shown = got === undefined ? 'nothing' : JSON.stringify(got);

  return new ApiError(
    'INVALID_PARAMETER',
    `${name}: expected ${expected}, got ${shown}`,
  );
}
