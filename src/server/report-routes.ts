import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Answer } from '../reports/answers.js';
import {
  logsAnswer,
  onlineTimeAnswer,
  sessionsAnswer,
} from '../reports/answers.js';
import { formatParam, type RawParams } from '../reports/params.js';
import { nodeStatus } from '../reports/status.js';
import { toCsv } from '../reports/tables.js';
import type { ApiContext } from './api.js';
import { invalidParameter } from './errors.js';

type Query = Record<string, string | string[] | undefined>;

/** Query parameters as single strings; a repeated one is refused. */
export function rawOf(query: unknown): RawParams {
  const raw: Record<string, string> = {};
  for (const [name, value] of Object.entries((query ?? {}) as Query)) {
    if (Array.isArray(value)) throw invalidParameter(name, 'one value', value);
    if (value !== undefined) raw[name] = value;
  }

  return raw;
}

function send(reply: FastifyReply, raw: RawParams, answer: Answer) {
  if (formatParam(raw) === 'json') return answer.body;

  return reply.type('text/csv; charset=utf-8').send(toCsv(answer.table));
}

/** The report endpoints (issue #5); answers come from `src/reports/`. */
export function registerReportRoutes(
  app: FastifyInstance,
  context: ApiContext,
): void {
  const { presence, db, clock } = context;
  const startedAt = clock.now();
  // Reads see every event that happened before the request.
  const settled = () => presence.writer.flush();

  app.get('/api/online-time', async (request, reply) => {
    const raw = rawOf(request.query);
    formatParam(raw);
    await settled();

    return send(reply, raw, await onlineTimeAnswer(db, raw, clock.now()));
  });

  app.get('/api/sessions', async (request, reply) => {
    const raw = rawOf(request.query);
    formatParam(raw);
    await settled();

    return send(reply, raw, await sessionsAnswer(db, raw, clock.now()));
  });

  app.get('/api/logs', async (request, reply) => {
    const raw = rawOf(request.query);
    formatParam(raw);
    await settled();

    return send(reply, raw, await logsAnswer(db, raw));
  });

  app.get('/api/status', async (request) => {
    return nodeStatus({
      tracker: presence.tracker,
      clientExists: (id) => presence.bayeux.clientExists(id),
      writeQueue: presence.writer.depth,
      startedAt,
      now: clock.now(),
      log: request.log,
    });
  });
}
