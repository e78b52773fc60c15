import type { Principal, ServiceCode } from '@sangam/core';
import type { Logger } from 'pino';

/** What every request context carries. */
export interface AppVariables {
  /** The gateway's id of the request: in its audit entries, problems and logs. */
  requestId: string;
  /** The client's own `X-Request-Id`, when well-formed: recorded beside the gateway's id, trusted for nothing. */
  clientRequestId?: string;
  logger: Logger;
  /** Set by the bearer-token middleware once a token verifies. */
  principal: Principal | undefined;
  /** The client's address, when it came through a trusted proxy (`SANGAM_TRUSTED_PROXIES`). */
  source?: string;
  /** The service whose routes answer, for problem `type` prefixes. */
  service: ServiceCode;
}

export interface AppEnv {
  Variables: AppVariables;
}
