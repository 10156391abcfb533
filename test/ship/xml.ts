/**
 * A small XML reader for the package tests: a strict, namespace-aware parse (saxes) into elements,
 * and the lookups Microsoft's validator does with .NET's XmlDocument: `//Name` (the first element of
 * that name in no namespace, in document order), and "has child nodes" as XmlDocument counts them
 * when whitespace is not preserved (elements, non-blank text, comments).
 */
import { SaxesParser } from 'saxes';

export interface XmlElement {
  name: string;
  local: string;
  uri: string;
  /** Every attribute, namespace declarations included (XmlDocument counts them as attributes). */
  attributes: Record<string, string>;
  children: XmlNode[];
}

export type XmlNode = XmlElement | { text: string } | { comment: string };

export const isElement = (node: XmlNode): node is XmlElement => 'local' in node;

/** Parses a document; throws with the parser's message (line and column) when it is not well-formed. */
export function parseXml(text: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let failure: Error | undefined;
  parser.on('error', (e) => {
    failure ??= e;
  });
  parser.on('opentag', (tag) => {
    const attributes: Record<string, string> = {};
    for (const [name, attribute] of Object.entries(tag.attributes)) attributes[name] = attribute.value;
    const element: XmlElement = { name: tag.name, local: tag.local, uri: tag.uri, attributes, children: [] };
    if (stack.length > 0) stack[stack.length - 1].children.push(element);
    else root = element;
    stack.push(element);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.on('text', (t) => {
    // Whitespace between elements is dropped, as XmlDocument does unless PreserveWhitespace is set.
    if (stack.length > 0 && t.trim() !== '') stack[stack.length - 1].children.push({ text: t });
  });
  parser.on('cdata', (t) => {
    if (stack.length > 0) stack[stack.length - 1].children.push({ text: t });
  });
  parser.on('comment', (c) => {
    if (stack.length > 0) stack[stack.length - 1].children.push({ comment: c });
  });
  parser.write(text.replace(/^\uFEFF/, '')).close();
  if (failure) throw failure;
  if (!root) throw new Error('no root element');
  return root;
}

/** XPath `//local`: the first element with that local name and no namespace, in document order. */
export function selectSingle(root: XmlElement, local: string): XmlElement | undefined {
  if (root.local === local && root.uri === '') return root;
  for (const child of root.children) {
    if (!isElement(child)) continue;
    const found = selectSingle(child, local);
    if (found) return found;
  }
  return undefined;
}

/** Every element with that local name, in document order. */
export function selectAll(root: XmlElement, local: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (el: XmlElement): void => {
    if (el.local === local) out.push(el);
    for (const child of el.children) if (isElement(child)) walk(child);
  };
  walk(root);
  return out;
}

/** XmlNode.HasChildNodes || Attributes.Count > 0: what the validator takes as "the node is there". */
export function hasContent(el: XmlElement | undefined): boolean {
  return el !== undefined && (el.children.length > 0 || Object.keys(el.attributes).length > 0);
}

/** The text of an element's children (elements' text included). */
export function textOf(el: XmlElement | undefined): string {
  if (!el) return '';
  return el.children.map((c) => ('text' in c ? c.text : isElement(c) ? textOf(c) : '')).join('');
}

/** The text of the first child element with that local name. */
export function childText(el: XmlElement, local: string): string | undefined {
  const child = el.children.find((c): c is XmlElement => isElement(c) && c.local === local);
  return child ? textOf(child) : undefined;
}
