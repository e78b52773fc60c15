import { env } from '@sangam/core';

/** Environment settings of the HTTP front, for a service's config module. */
export const serverSettings = {
  SANGAM_PORT: env.int({ min: 0, max: 65535, default: 8080, description: 'Port the gateway listens on' }),
  SANGAM_HOST: env.string({
    default: '127.0.0.1',
    accepts: 'an IP address or host name to bind',
    pattern: /^[A-Za-z0-9.:-]+$/,
    description: 'Address to bind; 0.0.0.0 to serve other machines',
  }),
  SANGAM_BODY_LIMIT_BYTES: env.int({
    min: 1024,
    max: 64 * 1024 * 1024,
    default: 1024 * 1024,
    description: 'Largest request body accepted, in bytes',
  }),
  SANGAM_CORS_ORIGINS: env.list({
    default: [],
    item: /^https?:\/\/[A-Za-z0-9.-]+(:\d+)?$/,
    description: 'Origins allowed by CORS (comma-separated); empty: no CORS',
  }),
  SANGAM_CLOCK_EPOCH: env.instant({
    default: '',
    description: "Runs the process's clock from this instant (tests, feed replays); never set in production",
  }),
  SANGAM_TRUSTED_PROXIES: env.list({
    default: [],
    item: /^[0-9A-Fa-f:.]{2,45}$/,
    description:
      'Addresses of reverse proxies in front of the gateway (comma-separated): their X-Forwarded-For names the client for sign-in limits and /metrics',
  }),
  SANGAM_METRICS_TOKEN: env.string({
    default: '',
    secret: true,
    accepts: 'empty, or a token of 32 to 200 characters',
    pattern: /^(|[A-Za-z0-9._~+/=-]{32,200})$/,
    description:
      'Bearer token a Prometheus scraper sends to read /metrics; empty: /metrics answers only connections from this machine',
  }),
  SANGAM_HEAP_GROWTH_PERCENT: env.int({
    min: 0,
    max: 400,
    default: 50,
    description:
      "How far the JavaScript heap grows past what is live before it is collected, in percent (lower: less memory, more collections); 0: V8's own rule",
  }),
  LOG_LEVEL: env.oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    default: 'info',
    description: 'Log level',
  }),
};
