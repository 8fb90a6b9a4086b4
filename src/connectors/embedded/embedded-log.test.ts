import { startBroker } from '../../broker/broker.ts';
import { runLogContract } from '../log-contract.ts';
import { embeddedLog } from './embedded-log.ts';

runLogContract({
  name: 'embedded broker (in-process, no TCP)',
  async newLog() {
    const broker = await startBroker();
    const log = embeddedLog(broker);
    return {
      log,
      async close() {
        await log.close();
        await broker.close();
      },
    };
  },
});
