import type { Logger } from 'pino';
import { stringifyForTerminal } from '@hyperevolve/runtime';
import type { StatusConfig } from '../config.js';
import { CampaignStore } from '../campaign/campaign-store.js';
import { CampaignError } from '../errors.js';
import { findOrphanedExports, restoreAdvice } from '../exports/orphaned-exports.js';
import { collectStatus } from '../status/collect-status.js';
import { renderStatus } from '../status/render-status.js';
import { RepeatedWarnings } from '../status/repeated-warnings.js';
import { TTY_RESTORE, ttyFrame } from '../status/tty-frame.js';
import { withRedis } from './with-redis.js';

/**
 * One status report, or with --watch one every interval until Ctrl-C: redrawn in place on a
 * terminal; otherwise (a pipe, a log file) plain blocks, or one JSON object per line.
 */
export async function statusCommand(config: StatusConfig, log: Logger, out: (text: string) => void, isTty: boolean): Promise<number> {
  return withRedis(config, log, async (redis) => {
    const store = new CampaignStore(redis, config.prefix);
    if (config.name !== null && (await store.readConfig(config.name)) === null) {
      const lost = (await findOrphanedExports([config.outDir], await store.deletedNames())).find((found) => found.name === config.name);
      throw new CampaignError(lost === undefined ? `no campaign named ${config.name}; scheduler list shows the campaigns` : restoreAdvice(lost), 2, 404);
    }
    const inPlace = config.watch && isTty && !config.json;
    const warnings = new RepeatedWarnings();
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    let stopping = false;
    const onSignal = (): void => {
      stopping = true;
      stop();
    };
    if (config.watch) {
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
    }
    try {
      for (let frame = 0; !stopping; frame++) {
        const view = await collectStatus(redis, store, config.name, Date.now(), [config.outDir]);
        if (config.json) out(`${stringifyForTerminal(view)}\n`);
        else if (inPlace) out(ttyFrame(renderStatus(view), frame === 0));
        else out(config.watch ? `--- ${new Date(view.at).toISOString()}\n${warnings.drop(renderStatus(view))}` : renderStatus(view));
        if (!config.watch) break;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([stopped, new Promise((resolve) => (timer = setTimeout(resolve, config.watchIntervalMs)))]);
        clearTimeout(timer);
      }
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (inPlace) out(TTY_RESTORE);
    }
    return 0;
  });
}
