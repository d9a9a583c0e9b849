import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import type { Queues } from '../campaign/queues.js';

const BULL_BOARD_PATH = '/queues';

/**
 * Bull Board over the trials and results queues. Its buttons (retry, remove, pause a queue…)
 * are writes: the guard asks for the token for them like for pause/resume/cancel; with no
 * way to act at all it is shown read-only.
 */
export async function mountBullBoard(app: FastifyInstance, queues: Queues, readOnly: boolean): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: [
      new BullMQAdapter(queues.trials, { readOnlyMode: readOnly, displayName: 'trials', description: 'one job per trial; workers take them' }),
      new BullMQAdapter(queues.results, { readOnlyMode: readOnly, displayName: 'results', description: 'one job per run; the scheduler records them' }),
    ],
    serverAdapter,
    options: { uiConfig: { boardTitle: 'hyperevolve', miscLinks: [{ text: 'Dashboard', url: '/' }] } },
  });
  await app.register(serverAdapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
}
