// The part of faye-websocket 0.11 (faye's own dependency) used to take
// WebSocket upgrades with a frame limit; it ships no type definitions.
declare module 'faye-websocket' {
  import type { IncomingMessage } from 'node:http';
  import type { Duplex } from 'node:stream';

  export default class WebSocket {
    constructor(
      request: IncomingMessage,
      socket: Duplex,
      head: Buffer,
      protocols?: string[],
      options?: { extensions?: unknown[]; ping?: number; maxLength?: number },
    );
    onmessage: ((event: { data: string }) => void) | null;
    onclose: ((event: { code: number; reason: string }) => void) | null;
    send(data: string): boolean;
    close(code?: number, reason?: string): boolean;
  }
}
