import { DxError } from '@sangam/core';
import { Type } from '@sinclair/typebox';
import { type RouteDeclaration, route } from './routes.js';

/** Liveness and readiness, answered whoever asks: for load balancers and orchestrators. */
export function probeRoutes(ready: () => Promise<boolean>): RouteDeclaration[] {
  return [
    route({
      method: 'get',
      path: '/health',
      operationId: 'health',
      summary: 'Liveness: the process answers',
      tag: 'Operations',
      security: 'none',
      responses: {
        200: { description: 'Alive', schema: Type.Object({ status: Type.Literal('ok') }), envelope: false },
      },
      refusals: [],
      handle: (c) => c.json({ status: 'ok' }),
    }),
    route({
      method: 'get',
      path: '/ready',
      operationId: 'ready',
      summary: 'Readiness: the database answers',
      tag: 'Operations',
      security: 'none',
      responses: {
        200: {
          description: 'Ready',
          schema: Type.Object({ status: Type.Literal('ready') }),
          envelope: false,
        },
      },
      refusals: [503],
      handle: async (c) => {
        if (await ready()) return c.json({ status: 'ready' });
        throw new DxError('notReady', 'The database does not answer');
      },
    }),
  ];
}
