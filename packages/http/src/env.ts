import type { Principal, ServiceCode } from '@sangam/core';
import type { Logger } from 'pino';

/** What every request context carries. */
export interface AppVariables {
  requestId: string;
  logger: Logger;
  /** Set by the bearer-token middleware once a token verifies. */
  principal: Principal | undefined;
  /** The service whose routes answer, for problem `type` prefixes. */
  service: ServiceCode;
}

export interface AppEnv {
  Variables: AppVariables;
}
