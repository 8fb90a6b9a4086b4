// Pieces several pages share: stat cards, tables, badges, error banners and the confirmation
// dialog every destructive action goes through.
import { type Child, h } from './dom.ts';

export function card(label: string, value: Child, hint?: string): HTMLElement {
  return h(
    'div',
    { class: 'card' },
    h('div', { class: 'card-label' }, label),
    h('div', { class: 'card-value' }, value),
    hint ? h('div', { class: 'card-hint' }, hint) : null,
  );
}

export function table(
  headers: string[],
  rows: Child[][],
  attrs: Record<string, string> = {},
): HTMLTableElement {
  return h(
    'table',
    attrs,
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headers.map((x) => h('th', {}, x)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.length === 0
        ? h('tr', {}, h('td', { class: 'empty', colspan: headers.length }, 'none'))
        : rows.map((r) =>
            h(
              'tr',
              {},
              r.map((c) => h('td', {}, c)),
            ),
          ),
    ),
  );
}

export function badge(text: string, kind: 'good' | 'bad' | 'warn' | 'plain' = 'plain'): HTMLElement {
  return h('span', { class: `badge ${kind}` }, text);
}

export function stateBadge(state: string): HTMLElement {
  const s = state.toLowerCase();
  if (['stable', 'running', 'ready', 'finished'].includes(s)) return badge(state, 'good');
  if (['dead', 'failed'].includes(s)) return badge(state, 'bad');
  if (['empty', 'idle', 'stopped'].includes(s)) return badge(state, 'plain');
  return badge(state, 'warn');
}

export function errorBanner(message: string): HTMLElement {
  return h('div', { class: 'error', role: 'alert' }, message);
}

export function section(title: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'panel' }, h('h2', {}, title), ...children);
}

/** Asks a yes/no question in a modal dialog; resolves true only on the confirm button. */
export function confirmDialog(title: string, message: string, confirmLabel: string): Promise<boolean> {
  return new Promise((resolve) => {
    const dialog = h(
      'dialog',
      { class: 'confirm', 'data-testid': 'confirm-dialog' },
      h('h3', {}, title),
      h('p', {}, message),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', onclick: () => close(false) }, 'Cancel'),
        h('button', { type: 'button', class: 'danger', onclick: () => close(true) }, confirmLabel),
      ),
    );
    const close = (answer: boolean) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    dialog.addEventListener('cancel', () => close(false));
    document.body.append(dialog);
    dialog.showModal();
  });
}
