// A Sluice broker in its own process, so a test can kill it (SIGKILL) and start it again on the
// same data directory and port. Prints "ready" once listening; SIGTERM closes it cleanly.
// Usage: node --import tsx interop/txn/broker-child.ts DATA_DIR PORT
import { startBroker } from '../../src/broker/broker.ts';
import { groupCoordinatorNoun } from '../../src/coordinator/coordinator-noun.ts';

const [dataDir, port] = process.argv.slice(2);
if (dataDir === undefined || port === undefined) throw new Error('Usage: broker-child.ts DATA_DIR PORT');
const broker = await startBroker({
  dataDir,
  port: Number(port),
  nouns: [groupCoordinatorNoun],
  config: { 'group.initial.rebalance.delay.ms': '0' },
});
process.on('SIGTERM', () => {
  broker.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
console.log('ready');
