// Public API of the metrics module.
export { createMetrics, noopMetrics, type ClaimOutcome, type Metrics, type MetricsRegistry, type StoreOutcome } from './metrics.js';
export { instrumentStore } from './instrument-store.js';
export { startMetricsServer, type MetricsServer } from './metrics-server.js';
