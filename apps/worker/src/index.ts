/**
 * @hyperevolve/worker — runs trial jobs from the `{trials}` queue on this machine's devices.
 *
 * @example
 * ```ts
 * import { createLogger } from '@hyperevolve/runtime';
 * import { loadConfig, WorkerApp } from '@hyperevolve/worker';
 *
 * const loaded = loadConfig(['--device', '0', '--allow-command', 'python train.py']);
 * if (loaded.kind === 'run') {
 *   const app = await WorkerApp.start(loaded.config, createLogger('worker'));
 *   process.once('SIGTERM', () => void app.stop(0));
 * }
 * ```
 */
export { loadConfig, type LoadedConfig, type WorkerConfig } from './config.js';
export { WorkerApp } from './worker-app.js';
export { AllowList } from './allow-list.js';
export type { Device, DeviceSelection } from './device-selection.js';
