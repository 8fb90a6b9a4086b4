// The public API of the sluice package.

export { type RunningBroker, type StartBrokerOptions, startBroker } from './broker/broker.ts';
export { ProtocolError } from './protocol/errors.ts';
