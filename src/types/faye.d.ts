// The parts of faye 1.4.3 this project uses; faye ships no type definitions.
declare module 'faye' {
  import type { IncomingMessage, Server as HttpServer } from 'node:http';

  export interface Message {
    channel?: unknown;
    clientId?: unknown;
    id?: unknown;
    data?: unknown;
    ext?: unknown;
    error?: string;
    successful?: boolean;
    subscription?: unknown;
    advice?: unknown;
    connectionType?: unknown;
    [key: string]: unknown;
  }

  export type Callback = (message: Message | null) => void;

  export interface Extension {
    incoming?: (
      message: Message,
      request: IncomingMessage | null,
      callback: Callback,
    ) => void;
    outgoing?: (
      message: Message,
      request: IncomingMessage | null,
      callback: Callback,
    ) => void;
  }

  export interface Subscription {
    cancel(): void;
    then(onSuccess: () => void, onFailure?: (error: unknown) => void): unknown;
  }

  export interface Publication {
    then(onSuccess: () => void, onFailure?: (error: unknown) => void): unknown;
  }

  export class Client {
    constructor(url: string | object, options?: Record<string, unknown>);
    addExtension(extension: Extension): void;
    subscribe(channel: string, callback: (data: any) => void): Subscription;
    publish(channel: string, data: unknown): Publication;
    disconnect(): Publication | undefined;
    disable(feature: string): void;
    connect(callback?: () => void): void;
    bind(event: string, callback: (...args: any[]) => void): void;
  }

  export class NodeAdapter {
    constructor(options: Record<string, unknown>);
    attach(server: HttpServer): void;
    addExtension(extension: Extension): void;
    getClient(): Client;
    on(event: string, callback: (...args: any[]) => void): void;
    close(): void;
  }

  const Faye: {
    NodeAdapter: typeof NodeAdapter;
    Client: typeof Client;
    logger?: unknown;
  };
  export default Faye;
}
