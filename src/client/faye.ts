/**
 * The part of faye's browser client this library uses. Each entry point
 * hands its `Faye` in, so that the library itself imports no copy of it.
 */
export interface FayeMessage {
  channel?: unknown;
  clientId?: unknown;
  successful?: unknown;
  ext?: unknown;
  [key: string]: unknown;
}

export interface FayeExtension {
  outgoing?(
    message: FayeMessage,
    callback: (message: FayeMessage) => void,
  ): void;
  incoming?(
    message: FayeMessage,
    callback: (message: FayeMessage) => void,
  ): void;
}

/** Faye's subscriptions and publications are thenables. */
export interface FayeThenable {
  then(onSuccess?: () => void, onFailure?: (error: unknown) => void): unknown;
}

export interface FayeSubscription extends FayeThenable {
  cancel(): void;
}

export interface FayeClient {
  addExtension(extension: FayeExtension): void;
  disable(feature: string): void;
  connect(callback?: () => void): void;
  subscribe(channel: string, callback: (data: any) => void): FayeSubscription;
  publish(channel: string, data: unknown): FayeThenable;
  disconnect(): unknown;
}

export interface FayeLike {
  Client: new (
    endpoint: string,
    options?: Record<string, unknown>,
  ) => FayeClient;
}
