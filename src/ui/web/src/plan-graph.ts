// Draws a job's physical plan as boxes: one per stage (its parallelism and its chain of
// operators), in plan order, each with the edges feeding it. The engine describes plans as text,
// one line per stage: "stage 1 ×2: window → map ← shuffle from stage 0"; a line that does not
// read that way is shown as it is.
import { h } from './dom.ts';

export interface PlanStage {
  id: number;
  parallelism: number;
  operators: string[];
  inputs: string[];
}

export function parsePlan(plan: string): (PlanStage | string)[] {
  return plan.split('\n').map((line) => {
    const match = /^stage (\d+) ×(\d+): (.*?)(?: ← (.*))?$/.exec(line);
    if (match === null) return line;
    return {
      id: Number(match[1]),
      parallelism: Number(match[2]),
      operators: (match[3] ?? '').split(' → '),
      inputs: match[4] === undefined ? [] : match[4].split(', '),
    };
  });
}

export function planGraph(plan: string): HTMLElement {
  const items = parsePlan(plan);
  return h(
    'div',
    { class: 'plan', 'data-testid': 'plan-graph' },
    items.map((item, i) =>
      typeof item === 'string'
        ? h('pre', {}, item)
        : [
            i > 0
              ? h(
                  'div',
                  { class: 'plan-arrow' },
                  item.inputs.length > 0
                    ? item.inputs.map((x) => x.replace(/ from stage \d+$/, '')).join(', ')
                    : '',
                  h('span', {}, '⟶'),
                )
              : null,
            h(
              'div',
              { class: 'plan-stage' },
              h(
                'div',
                { class: 'plan-stage-title' },
                `stage ${item.id} · ${item.parallelism} task${item.parallelism === 1 ? '' : 's'}`,
              ),
              item.operators.map((o, j) => [
                j > 0 ? h('div', { class: 'plan-chain' }, '↓') : null,
                h('div', { class: 'plan-op' }, o),
              ]),
            ),
          ],
    ),
  );
}
