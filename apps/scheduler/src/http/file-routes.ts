import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { escapeControl, openUntrusted } from '@hyperevolve/runtime';
import type { CampaignStore } from '../campaign/campaign-store.js';
import { campaignExportDir } from '../exports/campaign-export.js';
import { evolveCsvChunks, readEvolveRows, readTrialRow, renderHypEvolve, renderRowLines } from '../exports/evolve-snapshot.js';
import { campaignParams, notFound, trialParams } from './route-params.js';

/** Last part of a trial log sent to the browser; the whole file stays on disk. */
const LOG_TAIL_BYTES = 1024 * 1024;

/**
 * Downloads rendered from Redis (so any scheduler replica serves the same bytes the exporter
 * writes), the exported evolve.png, and trial logs when they are on this machine.
 */
export function registerFileRoutes(app: FastifyInstance, store: CampaignStore): void {
  app.get('/campaigns/:name/evolve.csv', async (request, reply) => {
    const { name } = campaignParams(request.params);
    const config = await store.readConfig(name);
    if (config === null) return notFound(reply, `no campaign named ${name}`);
    const { rows } = await readEvolveRows(store, config, 0);
    // In chunks of rows: a million-row evolve.csv (~700 MB) is more than one string can hold.
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="evolve.csv"')
      .send(Readable.from(evolveCsvChunks(config, renderRowLines(config, rows))));
  });

  app.get('/campaigns/:name/hyp_evolve.yaml', async (request, reply) => {
    const { name } = campaignParams(request.params);
    const [config, state] = await Promise.all([store.readConfig(name), store.readState(name)]);
    if (config === null || state === null) return notFound(reply, `no campaign named ${name}`);
    const indices = await store.readRowIndices(name);
    const position = state.bestTrial === undefined ? -1 : indices.indexOf(state.bestTrial);
    if (state.bestTrial === undefined || position < 0) return notFound(reply, `campaign ${name} has no finished trial yet`);
    const best = await readTrialRow(store, config, state.bestTrial);
    return reply
      .type('application/yaml; charset=utf-8')
      .header('content-disposition', 'attachment; filename="hyp_evolve.yaml"')
      .send(renderHypEvolve(config, best, position, indices.length));
  });

  app.get('/campaigns/:name/evolve.png', async (request, reply) => {
    const { name } = campaignParams(request.params);
    const config = await store.readConfig(name);
    if (config === null) return notFound(reply, `no campaign named ${name}`);
    const png = await readFile(join(campaignExportDir(config), 'evolve.png')).catch(() => null);
    if (png === null) return notFound(reply, `evolve.png of ${name} is not written yet (it follows the first recorded trials within seconds)`);
    return reply.type('image/png').header('cache-control', 'no-store').send(png);
  });

  app.get('/campaigns/:name/trials/:index/log', async (request, reply) => {
    const { name, index } = trialParams(request.params);
    const location = await store.trials.readLogLocation(name, index);
    if (location === null) return notFound(reply, `trial ${index} of ${name} has no log yet`);
    const { logPath, host } = location;
    if (logPath === '') return notFound(reply, `trial ${index} of ${name} never ran (its command was refused before it started), so it has no log; its record says why`);
    // Only log files: the path comes from Redis, and this route must not become a file reader.
    const text = logPath.endsWith('.log') ? await readTail(logPath).catch(() => null) : null;
    if (typeof text === 'object' && text !== null) {
      return notFound(reply, `the log of trial ${index} at ${logPath} is ${text.refused}, not a regular file (its trainer replaced it); it is not read`);
    }
    if (text === null) {
      return notFound(reply, `the log of trial ${index} is at ${logPath} on ${host ?? 'its worker'}; it cannot be read from this scheduler's machine`);
    }
    return reply.type('text/plain; charset=utf-8').header('cache-control', 'no-store').send(text);
  });
}

/**
 * The log's last part; null when there is none here. The trainer controls the file: a FIFO (which
 * would hold this read, a libuv thread and then every export for good) or a link is refused.
 */
async function readTail(path: string): Promise<string | null | { refused: string }> {
  const opened = await openUntrusted(path);
  if (opened.kind === 'missing') return null;
  if (opened.kind === 'refused') return { refused: opened.why };
  const { handle, size } = opened.file;
  try {
    const start = Math.max(0, size - LOG_TAIL_BYTES);
    const buffer = Buffer.alloc(size - start);
    await handle.read(buffer, 0, buffer.length, start);
    // Control characters escaped (the tail is also read with curl on a terminal); a progress
    // bar's carriage returns become line breaks.
    const text = escapeControl(buffer.toString('utf8').replace(/\r\n?/g, '\n'));
    return `${start > 0 ? `[… first ${start} bytes left out; the whole log is at ${path}]\n` : ''}${text}`;
  } finally {
    await handle.close();
  }
}
