// The public API of the sluice package.
export { ProtocolError } from './protocol/errors.ts';
