// A topic's configs: effective value and where it comes from (topic override, broker setting,
// built-in default); each can be edited in place (saved as a topic override, checked by the
// broker) or an override removed to fall back to the default.
import { api } from '../api.ts';
import { h, replace } from '../dom.ts';
import type { ConfigRow } from '../types.ts';
import { badge, confirmDialog, errorBanner } from '../widgets.ts';

export function configEditor(topic: string, initial: ConfigRow[], onChanged: () => void): HTMLElement {
  const message = h('div', { 'data-testid': 'config-message' });
  const body = h('tbody');
  const path = `api/topics/${encodeURIComponent(topic)}/configs`;

  const save = async (change: { set?: Record<string, string>; delete?: string[] }, what: string) => {
    try {
      const result = await api.put<{ configs: ConfigRow[] }>(path, change);
      replace(message, h('div', { class: 'ok' }, what));
      render(result.configs);
      onChanged();
    } catch (error) {
      replace(message, errorBanner((error as Error).message));
    }
  };

  const editRow = (row: HTMLTableRowElement, c: ConfigRow) => {
    const input = h('input', {
      value: c.value,
      name: c.name,
      'data-testid': `config-input-${c.name}`,
      size: 24,
    });
    const cell = row.cells[1];
    const actions = row.cells[3];
    if (cell === undefined || actions === undefined) return;
    replace(cell, input);
    replace(
      actions,
      h(
        'button',
        {
          type: 'button',
          'data-testid': `config-save-${c.name}`,
          onclick: () => void save({ set: { [c.name]: input.value } }, `Set ${c.name} = ${input.value}`),
        },
        'Save',
      ),
      h('button', { type: 'button', class: 'secondary', onclick: () => render(current) }, 'Cancel'),
    );
    input.focus();
  };

  let current = initial;
  const render = (configs: ConfigRow[]) => {
    current = configs;
    replace(
      body,
      configs.map((c) => {
        const row = h(
          'tr',
          { 'data-config': c.name },
          h('td', { title: c.documentation }, c.name),
          h('td', { class: 'mono' }, c.value),
          h('td', {}, c.source === 'topic' ? badge('topic override', 'warn') : badge(c.source)),
          h('td', { class: 'nowrap' }),
        );
        const actions = row.cells[3];
        actions?.append(
          h(
            'button',
            {
              type: 'button',
              class: 'secondary small',
              'data-testid': `config-edit-${c.name}`,
              onclick: () => editRow(row, c),
            },
            'Edit',
          ),
        );
        if (c.source === 'topic') {
          actions?.append(
            h(
              'button',
              {
                type: 'button',
                class: 'secondary small',
                onclick: async () => {
                  if (
                    await confirmDialog(
                      'Remove override',
                      `Remove the override of ${c.name} on '${topic}'? It falls back to the broker or built-in default.`,
                      'Remove',
                    )
                  ) {
                    await save({ delete: [c.name] }, `Removed the override of ${c.name}`);
                  }
                },
              },
              'Reset',
            ),
          );
        }
        return row;
      }),
    );
  };
  render(initial);
  return h(
    'div',
    {},
    message,
    h(
      'table',
      { 'data-testid': 'configs-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['config', 'value', 'source', ''].map((x) => h('th', {}, x)),
        ),
      ),
      body,
    ),
  );
}
