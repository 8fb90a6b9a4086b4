// Typed errors for malformed input on the wire. Decoding never throws anything else for bad
// bytes: a RangeError or TypeError escaping a decoder is a bug in Sluice, not in the input.

export type ProtocolErrorCode =
  | 'truncated'
  | 'length_out_of_range'
  | 'count_out_of_range'
  | 'invalid_varint'
  | 'invalid_value'
  | 'unsupported_version'
  | 'unsupported_field'
  | 'corrupt_record_batch'
  | 'unsupported_compression'
  | 'frame_too_large';

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  readonly code: ProtocolErrorCode;

  constructor(code: ProtocolErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export function isProtocolError(error: unknown): error is ProtocolError {
  return error instanceof ProtocolError;
}
