import type { FastifyInstance, FastifyReply } from 'fastify';
import { outputUid } from '../presence/uid.js';
import type { Clock } from '../presence/clock.js';
import type { Db } from '../storage/schema.js';
import { requiredChannel } from '../reports/params.js';
import { ApiError } from './errors.js';
import type { PresenceService } from './presence-service.js';
import { rawOf, registerReportRoutes } from './report-routes.js';

export interface ApiContext {
  readonly presence: PresenceService;
  readonly db: Db;
  readonly clock: Clock;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function registerApi(app: FastifyInstance, context: ApiContext): void {
  const { presence } = context;
  const { tracker } = presence;

  app.get('/api/online', async (request) => {
    const room = requiredChannel(rawOf(request.query), 'room');
    const users = tracker.users(room).map((user) => ({
      uid: outputUid(user.uid),
      uname: user.uname,
      clients: user.clients,
      since: iso(user.since),
    }));

    return { room, count: users.length, users };
  });

  app.get('/api/rooms', async () => {
    const rooms = tracker.roomNames().map((room) => ({
      room,
      count: tracker.usersInRoom(room),
      clients: tracker.clientsInRoom(room),
    }));

    return { rooms };
  });

  registerReportRoutes(app, context);

  app.setNotFoundHandler((request, reply) => {
    sendError(
      reply,
      new ApiError(
        'NOT_FOUND',
        `no route for ${request.method} ${request.url.split('?')[0]}`,
      ),
    );
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof ApiError) return sendError(reply, error);
    request.log.error({ err: error }, 'request failed');
    sendError(reply, new ApiError('INTERNAL', 'internal error'));
  });
}

function sendError(reply: FastifyReply, error: ApiError): void {
  void reply.status(error.status).send(error.toJSON());
}
