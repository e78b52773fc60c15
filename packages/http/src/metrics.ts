import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

// The process's own metrics are collected once per process, however many gateways it runs (tests run many).
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: 'sangam_' });
  }
  return processRegistry;
}

/**
 * The gateway's operational metrics for Prometheus: requests per route and status with their latency, the process
 * (event-loop lag, memory, CPU, GC, from prom-client's defaults), and gauges the gateway registers (database pool,
 * audit log). Routes are labelled by their pattern, never the path, so the series stay few.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly #requests: Counter<'route' | 'method' | 'status'>;
  readonly #duration: Histogram<'route' | 'method'>;

  constructor() {
    this.#requests = new Counter({
      name: 'sangam_http_requests_total',
      help: 'Requests answered, by route pattern, method and status',
      labelNames: ['route', 'method', 'status'],
      registers: [this.registry],
    });
    this.#duration = new Histogram({
      name: 'sangam_http_request_duration_seconds',
      help: 'Time to answer a request, by route pattern and method',
      labelNames: ['route', 'method'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
  }

  observeRequest(route: string, method: string, status: number, seconds: number): void {
    this.#requests.inc({ route, method, status: String(status) });
    this.#duration.observe({ route, method }, seconds);
  }

  /** A gauge whose value is read when Prometheus scrapes (`read` may query the database). */
  gauge(name: string, help: string, read: () => Promise<number | undefined> | number | undefined): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        const value = await read();
        if (value !== undefined) this.set(value);
      },
    });
  }

  /** A histogram the gateway's parts observe into (e.g. the audit commit's latency). */
  histogram(name: string, help: string, buckets: number[]): (value: number) => void {
    const histogram = new Histogram({ name, help, buckets, registers: [this.registry] });
    return (value) => histogram.observe(value);
  }

  text(): Promise<string> {
    return Registry.merge([processMetrics(), this.registry]).metrics();
  }
}
