import type { INestApplication, Type } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { version } from '../../../package.json';

export const ASYNCAPI_PATH = '/docs/asyncapi.json';

export interface SocketMessage {
  /** The Socket.IO event name. */
  name: string;
  /** `send`: the client emits it; `receive`: the server does. */
  direction: 'send' | 'receive';
  summary: string;
  /** The DTO class of its payload, the one the gateway uses. */
  payload: Type<unknown>;
}

export interface SocketProtocol {
  title: string;
  description: string;
  messages: SocketMessage[];
}

/** An empty module: the schema export below is for the given classes, not for any controller. */
class NoRoutes {}

/**
 * The AsyncAPI 3 document of a Socket.IO protocol. Payload schemas come from the DTO classes through
 * @nestjs/swagger's own schema generator, exactly as the REST document's do.
 */
export function buildAsyncApiDocument(
  app: INestApplication,
  protocol: SocketProtocol,
): Record<string, unknown> {
  const models = [...new Set(protocol.messages.map((message) => message.payload))];
  const openapi = SwaggerModule.createDocument(app, new DocumentBuilder().build(), {
    include: [NoRoutes],
    extraModels: models,
  });
  const schemas = openapi.components?.schemas ?? {};
  const channelMessages: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  for (const message of protocol.messages) {
    messages[message.name] = {
      name: message.name,
      title: message.name,
      summary: message.summary,
      payload: { $ref: `#/components/schemas/${message.payload.name}` },
    };
    channelMessages[message.name] = { $ref: `#/components/messages/${message.name}` };
    operations[`${message.direction}_${message.name}`] = {
      action: message.direction,
      channel: { $ref: '#/channels/socket' },
      summary: message.summary,
      messages: [{ $ref: `#/channels/socket/messages/${message.name}` }],
    };
  }
  return JSON.parse(
    JSON.stringify({
      asyncapi: '3.0.0',
      info: { title: protocol.title, version, description: protocol.description },
      defaultContentType: 'application/json',
      servers: {
        guildhall: {
          host: 'localhost:5070',
          protocol: 'ws',
          pathname: '/socket.io/',
          description: 'The Guildhall server (Socket.IO over WebSocket); any instance.',
          security: [
            { $ref: '#/components/securitySchemes/bearer' },
            { $ref: '#/components/securitySchemes/tokenQuery' },
          ],
        },
      },
      channels: {
        socket: {
          address: '/',
          title: 'The default namespace',
          description:
            'Every event of the protocol; a ticket room (`ticket_<id>`) receives its messages and updates.',
          messages: channelMessages,
        },
      },
      operations,
      components: {
        schemas,
        messages,
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description: 'The JWT in the handshake: `auth.token`, or an Authorization header.',
          },
          tokenQuery: {
            type: 'httpApiKey',
            name: 'token',
            in: 'query',
            description: 'The JWT as the `token` query parameter of the handshake.',
          },
        },
      },
    }),
  ) as Record<string, unknown>;
}

/** Serves the document at `/docs/asyncapi.json`, beside the REST document at `/docs-json`. */
export function setupAsyncApi(app: INestApplication, protocol: SocketProtocol): void {
  let document: Record<string, unknown> | undefined;
  app
    .getHttpAdapter()
    .get(ASYNCAPI_PATH, (_req: unknown, res: { json(body: unknown): void }) => {
      document ??= buildAsyncApiDocument(app, protocol);
      res.json(document);
    });
}
