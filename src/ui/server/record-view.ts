// How the message browser shows a key or value: JSON when the bytes are UTF-8 JSON, text when
// they are other UTF-8, hex otherwise. Fields longer than browseFieldBytesMax are cut (and marked)
// so one huge record cannot blow up a page.
import { httpLimits } from '../../limits.ts';

export type FieldEncoding = 'null' | 'json' | 'text' | 'binary';

export interface FieldView {
  readonly encoding: FieldEncoding;
  /** Bytes of the whole field. */
  readonly size: number;
  /** UTF-8 text of the shown bytes; null when they are not UTF-8 (or the field is null). */
  readonly text: string | null;
  /** Hex of the shown bytes. */
  readonly hex: string;
  readonly truncated: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function fieldView(
  bytes: Uint8Array | null,
  bytesMax: number = httpLimits.browseFieldBytesMax,
): FieldView {
  if (bytes === null) return { encoding: 'null', size: 0, text: null, hex: '', truncated: false };
  const truncated = bytes.length > bytesMax;
  const shown = truncated ? bytes.subarray(0, bytesMax) : bytes;
  const hex = Buffer.from(shown.buffer, shown.byteOffset, shown.length).toString('hex');
  let text: string | null;
  try {
    // A cut field may end inside a multi-byte character; decode leniently then.
    text = truncated ? new TextDecoder('utf-8').decode(shown) : utf8.decode(shown);
  } catch {
    text = null;
  }
  let encoding: FieldEncoding = text === null ? 'binary' : 'text';
  if (text !== null && !truncated && looksLikeJson(text)) {
    try {
      JSON.parse(text);
      encoding = 'json';
    } catch {
      // Not JSON after all: shown as text.
    }
  }
  return { encoding, size: bytes.length, text, hex, truncated };
}

function looksLikeJson(text: string): boolean {
  const first = text.trimStart()[0];
  return first === '{' || first === '[' || first === '"' || (first !== undefined && /[-0-9tfn]/.test(first));
}
