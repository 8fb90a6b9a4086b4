// How the message browser shows a key or value in the view the user picked: auto (JSON pretty
// printed when it is JSON, text when UTF-8, hex otherwise), or forced JSON, text or hex.
import { h } from './dom.ts';
import type { Field } from './types.ts';

export type View = 'auto' | 'json' | 'text' | 'hex';

function hexView(field: Field): string {
  return field.hex.replace(/(..)/g, '$1 ').trim();
}

export function fieldText(field: Field, view: View): string {
  if (field.encoding === 'null') return 'null';
  if (view === 'hex') return hexView(field);
  if (view === 'text') return field.text ?? '(not UTF-8; switch to hex)';
  if (view === 'json' || field.encoding === 'json') {
    try {
      return JSON.stringify(JSON.parse(field.text ?? ''), null, 2);
    } catch {
      return view === 'json' ? '(not JSON)' : (field.text ?? hexView(field));
    }
  }
  return field.text ?? hexView(field);
}

export function fieldCell(field: Field, view: View): HTMLElement {
  const shown =
    view === 'auto' && field.encoding === 'binary' ? 'hex' : view === 'auto' ? field.encoding : view;
  return h(
    'div',
    { class: 'field' },
    h('pre', { class: field.encoding === 'null' ? 'muted' : '' }, fieldText(field, view)),
    h('span', { class: 'field-meta' }, `${shown} · ${field.size} B${field.truncated ? ' · truncated' : ''}`),
  );
}
