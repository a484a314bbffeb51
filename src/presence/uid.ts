/**
 * DESIGN.md §6: a uid is a non-negative integer or a string of 1 to 64
 * characters; "42" and 42 are the same user. Internally a uid is always its
 * canonical string; outputs turn integer uids back into JSON numbers.
 */
const CANONICAL_INTEGER = /^(0|[1-9][0-9]*)$/;
const CONTROL = /[\u0000-\u001f\u007f]/;

export const UID_EXPECTED =
  'a non-negative integer or a string of 1 to 64 characters';

/** The canonical form of a uid, or null when the value is not one. */
export function canonicalUid(value: unknown): string | null {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0 ? String(value) : null;
  }
  if (typeof value !== 'string') return null;
  if (value.length < 1 || value.length > 64 || CONTROL.test(value)) {
    return null;
  }

  return value;
}

/** How a canonical uid appears in JSON output. */
export function outputUid(uid: string): number | string {
  if (!CANONICAL_INTEGER.test(uid)) return uid;
  const n = Number(uid);

  return Number.isSafeInteger(n) ? n : uid;
}
