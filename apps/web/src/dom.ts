// A few lines of DOM building, so text from the API or an artifact is always set as text, never as HTML.

type Child = Node | string | number | null | undefined | false;

/** Creates `<tag>` with attributes (`class`, `data-*`, `style`, …) and children (strings become text nodes). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(typeof c === 'number' ? String(c) : c);
  return el;
}

/** An SVG element with attributes and children. */
export function svg(tag: string, attrs: Record<string, string | number> = {}, ...children: Node[]): SVGElement {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  el.append(...children);
  return el;
}

/** The element with this id, or an error naming it (the page and the code are out of step). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`index.html has no element #${id}; rebuild the dashboard.`);
  return el as T;
}

/** Percent with one decimal, e.g. 0.5312 → "53.1%". */
export const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
