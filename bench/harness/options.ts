import { parseArgs } from 'node:util';
import { ConfigError, parseClusterNodes, type RedisTarget } from '@hyperevolve/runtime';

export interface BenchOptions {
  readonly quick: boolean;
  readonly json: string | null;
  /** Scenario names to run; empty: all. */
  readonly only: readonly string[];
  /** A Redis Cluster to run every scenario on, instead of a private redis-server each. */
  readonly cluster: RedisTarget | null;
  /** The overhead breakdown: split by the client that sent each command, and how many commands it lists. */
  readonly breakdown: BreakdownOptions;
}

export interface BreakdownOptions {
  readonly byClient: boolean;
  readonly rows: number;
}

export const USAGE = `Usage: npm run bench -- [--quick] [--json FILE] [--only NAME[,NAME…]] [--redis-cluster NODES]

  --quick        every scenario small (under a minute in all); what CI runs
  --json FILE    also write the figures as JSON to FILE
  --only NAMES   run only these scenarios: overhead, ceiling, population, quality, pruning
  --breakdown-by-client  the overhead breakdown per client that sent each command
  --breakdown-rows N     commands and scripts the overhead breakdown lists (default 12)
  --redis-cluster host:port,…  run on this Redis Cluster (env REDIS_CLUSTER_NODES; keys under
                 bench: and bench-template: are deleted there) instead of a private redis-server
`;

const NAMES = ['overhead', 'ceiling', 'population', 'quality', 'pruning'];

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): BenchOptions | 'help' {
  let values;
  try {
    values = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: { quick: { type: 'boolean', default: false }, json: { type: 'string' }, only: { type: 'string' }, 'redis-cluster': { type: 'string' }, 'breakdown-by-client': { type: 'boolean', default: false }, 'breakdown-rows': { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
    }).values;
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`, { cause: error });
  }
  if (values.help === true) return 'help';
  const only = (values.only ?? '').split(',').map((name) => name.trim()).filter((name) => name !== '');
  const unknown = only.filter((name) => !NAMES.includes(name));
  if (unknown.length > 0) throw new UsageError(`--only: unknown scenario ${unknown.join(', ')}; expected some of ${NAMES.join(', ')}`);
  if (values.json === '') throw new UsageError('--json needs a file name, e.g. --json bench.json');
  const rows = Number(values['breakdown-rows'] ?? 12);
  if (!Number.isInteger(rows) || rows < 1) throw new UsageError(`--breakdown-rows must be a whole number >= 1, got ${values['breakdown-rows']}`);
  const nodes = values['redis-cluster'] ?? (env.REDIS_CLUSTER_NODES?.trim() === '' ? undefined : env.REDIS_CLUSTER_NODES);
  let cluster: RedisTarget | null;
  try {
    cluster = nodes === undefined ? null : parseClusterNodes(nodes, values['redis-cluster'] === undefined ? 'REDIS_CLUSTER_NODES' : '--redis-cluster');
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message, { cause: error });
    throw error;
  }
  return { quick: values.quick === true, json: values.json ?? null, only, cluster, breakdown: { byClient: values['breakdown-by-client'] === true, rows } };
}
