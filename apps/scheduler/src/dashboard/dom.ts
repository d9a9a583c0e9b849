/** The page's DOM helpers: find an element by id, build elements, fill a table. */

/** The element with this id; a page without it is a bug in dashboard.html, said as such. */
export function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`dashboard.html has no element #${id}`);
  return node as T;
}

type Attribute = string | number | boolean | null | undefined;
export type Child = Node | string | number | null | undefined | readonly Child[];

/** A new element: attributes set unless null/undefined/false (`class` sets className), children appended (text for non-nodes). */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Readonly<Record<string, Attribute>> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = String(value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node: Element, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined) continue;
    if (Array.isArray(child)) append(node, child as readonly Child[]);
    else if (child instanceof Node) node.append(child);
    else node.append(document.createTextNode(typeof child === 'number' ? String(child) : (child as string)));
  }
}

/** A table's head and body. A header named with a leading '#' heads a column of numbers (right-aligned). */
export function fillTable(table: HTMLElement, header: readonly string[], rows: readonly Child[]): void {
  table.replaceChildren(
    el('thead', {}, el('tr', {}, header.map((h) => (h.startsWith('#') ? el('th', { class: 'num' }, h.slice(1)) : el('th', {}, h))))),
    el('tbody', {}, rows),
  );
}
