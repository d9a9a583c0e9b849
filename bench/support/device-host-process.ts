import { pino } from 'pino';
import { startDeviceHost, type DeviceHostOptions } from './device-host.js';

/**
 * A device host in a process of its own (forked by InProcessCluster), like one `worker
 * --devices …` process. argv[2] holds its DeviceHostOptions as JSON. Messages from the parent:
 * `{ type: 'spans', campaign }` is answered with that campaign's trainer spans, `{ type: 'cpu' }`
 * with the CPU time this process used so far; `{ type: 'stop' }` stops the devices and exits.
 */
export type HostRequest = { type: 'spans'; campaign: string } | { type: 'cpu' } | { type: 'stop' };
export type HostReply = { type: 'ready' } | { type: 'spans'; campaign: string; spans: unknown[] } | { type: 'cpu'; ms: number } | { type: 'stopped' };

const options = JSON.parse(process.argv[2] ?? '{}') as DeviceHostOptions;
const host = await startDeviceHost(options, pino({ level: 'silent' }));
const send = (reply: HostReply): void => {
  process.send?.(reply);
};
process.on('message', (message: HostRequest) => {
  if (message.type === 'spans') send({ type: 'spans', campaign: message.campaign, spans: host.spans.filter((span) => span.campaign === message.campaign) });
  if (message.type === 'cpu') send({ type: 'cpu', ms: cpuMs() });
  if (message.type === 'stop') {
    void host.stop().finally(() => {
      send({ type: 'stopped' });
      process.disconnect();
    });
  }
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}
