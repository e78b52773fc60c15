import { openApiComponents } from '@sangam/http';

/**
 * The gateway's OpenAPI 3.1 document: the catalogue's own paths and those of the services beside it, every one made
 * from a route's declaration.
 */
export function gatewayOpenApi(paths: Record<string, object>): object {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Sangam',
      version: '1.0.0',
      description:
        'A data-sharing gateway for a city data alliance: identity, MoUs and consents, the catalogue, the resource proxy and the audit log. Every error is an RFC 9457 problem; see /docs/problems.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/' }],
    paths,
    components: openApiComponents,
  };
}
