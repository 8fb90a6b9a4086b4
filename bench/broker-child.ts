// The broker under benchmark, in its own process so that its CPU time and memory are its own:
// started by bench/broker.ts with fork(); reports its port, answers 'stats', stops on 'close'.
import { startBroker } from '../src/broker/broker.ts';

const broker = await startBroker();
const send = (message: unknown) => process.send?.(message);
send({ type: 'ready', port: broker.port, host: broker.host });
process.on('message', async (message: { type?: string }) => {
  if (message.type === 'stats') {
    const cpu = process.cpuUsage();
    send({ type: 'stats', cpuMicros: cpu.user + cpu.system, rssBytes: process.memoryUsage().rss });
  } else if (message.type === 'close') {
    await broker.close();
    process.exit(0);
  }
});
