/**
 * Channel grants with Bayeux's pattern meaning (Bayeux 1.0 §2.2.1): `/a/*`
 * is every channel one segment below `/a`, `/a/**` every channel one or
 * more segments below it. A subscription is allowed only when every
 * channel it could ever match is granted, so `/**` needs `/**`.
 */
type Kind = 'exact' | 'one' | 'many';

interface Grant {
  readonly segments: readonly string[];
  readonly kind: Kind;
}

function parse(channel: string): Grant {
  const segments = channel.split('/').slice(1);
  const last = segments.at(-1);
  if (last === '*') return { segments: segments.slice(0, -1), kind: 'one' };
  if (last === '**') return { segments: segments.slice(0, -1), kind: 'many' };

  return { segments, kind: 'exact' };
}

function startsWith(whole: readonly string[], prefix: readonly string[]) {
  return (
    prefix.length <= whole.length &&
    prefix.every((segment, i) => whole[i] === segment)
  );
}

/** Does the grant cover every channel the wanted name or pattern matches? */
function covers(grant: Grant, wanted: Grant): boolean {
  const { segments: g } = grant;
  const { segments: w } = wanted;
  if (grant.kind === 'many') {
    return wanted.kind === 'exact'
      ? w.length > g.length && startsWith(w, g)
      : startsWith(w, g);
  }
  if (grant.kind === 'one') {
    const depth = wanted.kind === 'exact' ? g.length + 1 : g.length;
    return wanted.kind !== 'many' && w.length === depth && startsWith(w, g);
  }

  return wanted.kind === 'exact' && w.length === g.length && startsWith(w, g);
}

/** A set of grants; `allows` answers for a channel name or pattern. */
export class Grants {
  readonly #grants: readonly Grant[];

  private constructor(grants: readonly Grant[]) {
    this.#grants = grants;
  }

  /** Grants exactly as written (the token's `channels`). */
  static of(channels: readonly string[]): Grants {
    return new Grants(channels.map(parse));
  }

  /**
   * Grants for rooms or time channels: each one with everything under it
   * (`<room>/user_list`, `<room>/chat`…); `/classes/*` grants every room
   * one level under `/classes` and so everything under `/classes`.
   */
  static subtrees(channels: readonly string[]): Grants {
    const expanded = channels.flatMap((channel) => {
      const grant = parse(channel);
      const subtree: Grant = { segments: grant.segments, kind: 'many' };
      return grant.kind === 'exact' ? [grant, subtree] : [subtree];
    });

    return new Grants(expanded);
  }

  static union(...sets: readonly Grants[]): Grants {
    return new Grants(sets.flatMap((set) => set.#grants));
  }

  allows(channel: string): boolean {
    const wanted = parse(channel);

    return this.#grants.some((grant) => covers(grant, wanted));
  }
}
