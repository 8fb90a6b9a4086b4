// A small element builder: h('div', { class: 'x', onclick }, child, ...). Children are nodes or
// text (never parsed as HTML), so record keys and values cannot inject markup.
export type Child = Node | string | number | null | undefined | false | readonly Child[];
type Attrs = Record<string, string | number | boolean | EventListener | null | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

/** Appends children in order, flattening nested lists (with an explicit stack, not recursion). */
export function append(el: Element, children: readonly Child[]): void {
  const stack: Child[] = [...children].reverse();
  while (stack.length > 0) {
    const child = stack.pop();
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) {
      for (let i = child.length - 1; i >= 0; i--) stack.push(child[i] as Child);
    } else el.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces an element's children. */
export function replace(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}
