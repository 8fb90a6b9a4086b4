// The public API of the sluice package.
export { ProtocolError } from './protocol/errors.ts';
export { type RunningBroker, type StartBrokerOptions, startBroker } from './broker/broker.ts';
