/**
 * A small strict XML reader, enough to check that a rendered SVG is well-formed and to count its
 * elements (tests and a sanity check after rendering). Elements, attributes (quoted), text, comments,
 * CDATA, processing instructions and the five predefined plus numeric character references.
 */

/** An XML element. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** Concatenated text directly inside the element (entities decoded). */
  readonly text: string;
}

/** Malformed XML; the message gives the character offset. */
export class XmlError extends Error {
  constructor(message: string, offset: number) {
    super(`XML offset ${offset}: ${message}`);
    this.name = 'XmlError';
  }
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
const ENTITY: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string, at: number): string {
  return s.replace(/&([^;&\s]*);?/g, (m, body: string) => {
    if (!m.endsWith(';')) throw new XmlError(`unterminated entity "${m}"`, at);
    if (body.startsWith('#x')) return String.fromCodePoint(parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return String.fromCodePoint(parseInt(body.slice(1), 10));
    const e = ENTITY[body];
    if (e === undefined) throw new XmlError(`unknown entity "&${body};"`, at);
    return e;
  });
}

/** Parses an XML document and returns its root element. Throws {@link XmlError}. */
export function parseXml(text: string): XmlElement {
  let i = 0;
  const skipMisc = (): void => {
    for (;;) {
      while (i < text.length && /\s/.test(text[i] as string)) i++;
      if (text.startsWith('<?', i)) {
        const e = text.indexOf('?>', i);
        if (e < 0) throw new XmlError('unterminated processing instruction', i);
        i = e + 2;
      } else if (text.startsWith('<!--', i)) {
        const e = text.indexOf('-->', i);
        if (e < 0) throw new XmlError('unterminated comment', i);
        i = e + 3;
      } else if (text.startsWith('<!DOCTYPE', i)) {
        const e = text.indexOf('>', i);
        if (e < 0) throw new XmlError('unterminated DOCTYPE', i);
        i = e + 1;
      } else return;
    }
  };
  const name = (): string => {
    NAME.lastIndex = i;
    const m = NAME.exec(text);
    if (m === null) throw new XmlError('expected a name', i);
    i += m[0].length;
    return m[0];
  };
  const element = (): XmlElement => {
    if (text[i] !== '<') throw new XmlError('expected "<"', i);
    i++;
    const tag = name();
    const attributes: Record<string, string> = {};
    for (;;) {
      const before = i;
      while (i < text.length && /\s/.test(text[i] as string)) i++;
      if (text.startsWith('/>', i)) {
        i += 2;
        return { name: tag, attributes, children: [], text: '' };
      }
      if (text[i] === '>') {
        i++;
        break;
      }
      if (i === before) throw new XmlError(`expected whitespace, ">" or "/>" in <${tag}>`, i);
      const key = name();
      if (key in attributes) throw new XmlError(`duplicate attribute "${key}" in <${tag}>`, i);
      while (/\s/.test(text[i] ?? '')) i++;
      if (text[i] !== '=') throw new XmlError(`expected "=" after attribute "${key}"`, i);
      i++;
      while (/\s/.test(text[i] ?? '')) i++;
      const q = text[i];
      if (q !== '"' && q !== "'") throw new XmlError(`expected a quoted value for attribute "${key}"`, i);
      const e = text.indexOf(q, i + 1);
      if (e < 0) throw new XmlError(`unterminated value of attribute "${key}"`, i);
      const raw = text.slice(i + 1, e);
      if (raw.includes('<')) throw new XmlError(`"<" in the value of attribute "${key}"`, i);
      attributes[key] = decode(raw, i);
      i = e + 1;
    }
    const children: XmlElement[] = [];
    let content = '';
    for (;;) {
      if (i >= text.length) throw new XmlError(`unclosed <${tag}>`, i);
      if (text.startsWith('</', i)) {
        i += 2;
        const close = name();
        if (close !== tag) throw new XmlError(`</${close}> closes <${tag}>`, i);
        while (/\s/.test(text[i] ?? '')) i++;
        if (text[i] !== '>') throw new XmlError(`expected ">" after </${close}`, i);
        i++;
        return { name: tag, attributes, children, text: content };
      }
      if (text.startsWith('<!--', i)) {
        const e = text.indexOf('-->', i);
        if (e < 0) throw new XmlError('unterminated comment', i);
        i = e + 3;
      } else if (text.startsWith('<![CDATA[', i)) {
        const e = text.indexOf(']]>', i);
        if (e < 0) throw new XmlError('unterminated CDATA', i);
        content += text.slice(i + 9, e);
        i = e + 3;
      } else if (text.startsWith('<?', i)) {
        const e = text.indexOf('?>', i);
        if (e < 0) throw new XmlError('unterminated processing instruction', i);
        i = e + 2;
      } else if (text[i] === '<') children.push(element());
      else {
        const e = text.indexOf('<', i);
        const end = e < 0 ? text.length : e;
        content += decode(text.slice(i, end), i);
        i = end;
      }
    }
  };
  skipMisc();
  const root = element();
  skipMisc();
  if (i !== text.length) throw new XmlError('content after the root element', i);
  return root;
}

/** Every element of the tree, depth first. */
export function allElements(root: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    out.push(e);
    e.children.forEach(walk);
  };
  walk(root);
  return out;
}

/** The text of an element and all its descendants (e.g. a `<text>` with `<tspan>` lines, joined by spaces). */
export function textContent(e: XmlElement): string {
  return [e.text, ...e.children.map(textContent)].filter((t) => t !== '').join(' ');
}

/** What {@link checkSvg} found. */
export interface SvgSummary {
  readonly width: number;
  readonly height: number;
  /** Number of elements by name (`path`, `rect`, `text`, `g`, …). */
  readonly counts: Readonly<Record<string, number>>;
  /** The content of every `<text>` element (titles, axis labels, legends), `<tspan>` lines included. */
  readonly texts: string[];
}

/** Checks that `svg` is a well-formed, non-empty SVG document with a positive size; throws {@link XmlError} otherwise. */
export function checkSvg(svg: string): SvgSummary {
  const root = parseXml(svg);
  if (root.name !== 'svg') throw new XmlError(`the root element is <${root.name}>, not <svg>`, 0);
  const width = Number(root.attributes.width);
  const height = Number(root.attributes.height);
  if (!(width > 0) || !(height > 0)) throw new XmlError(`the SVG has no positive width and height (${root.attributes.width} × ${root.attributes.height})`, 0);
  const elements = allElements(root);
  if (elements.length < 3) throw new XmlError('the SVG is empty', 0);
  const counts: Record<string, number> = {};
  for (const e of elements) counts[e.name] = (counts[e.name] ?? 0) + 1;
  return { width, height, counts, texts: elements.filter((e) => e.name === 'text').map(textContent) };
}
