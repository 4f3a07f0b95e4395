/**
 * The tokens of a formula (docs/verify.md): numbers, names, the punctuation of the language
 * (`+ - * / ^ ' ( ) ,`), strings, and the operators of wider expression languages (mathjs: `==`,
 * `!`, `%`, `[`, `=`, …) recognized only to be refused by name. One pass, no backtracking.
 */

/** A token and where it stands in the text (0-based, end exclusive). */
export interface Token {
  readonly kind: 'number' | 'ident' | 'punct' | 'string' | 'foreign' | 'end';
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** The punctuation of the formula language. */
const PUNCT = new Set(['+', '-', '*', '/', '^', "'", '(', ')', ',']);

/** Operators of other expression languages, longest first (refused by the parser with their name). */
const FOREIGN = ['>>>', '==', '!=', '<=', '>=', '<<', '>>', '.*', './', '.^', '&&', '||', '??', '?.', '=', '<', '>', '!', '%', '&', '|', '~', '?', ':', ';', '[', ']', '{', '}', '.', '#'];

const IDENT = /[\p{L}_$][\p{L}\p{N}_$]*/uy;
const NUMBER = /0[xXbBoO][0-9A-Za-z.]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const SPACE = /\s+/y;

/** Whether a token ends a value (so a following `'` is a transpose, not a string). */
function endsValue(t: Token | undefined): boolean {
  return t !== undefined && (t.kind === 'number' || t.kind === 'ident' || t.kind === 'string' || t.text === ')' || t.text === "'" || t.text === ']');
}

/** The tokens of `text`, ending with one `end` token at `text.length`. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let k = 0;
  const sticky = (re: RegExp): string | undefined => {
    re.lastIndex = k;
    const m = re.exec(text);
    return m === null ? undefined : m[0];
  };
  while (k < text.length) {
    const space = sticky(SPACE);
    if (space !== undefined) {
      k += space.length;
      continue;
    }
    const ch = text[k] as string;
    const num = sticky(NUMBER);
    if (num !== undefined) {
      out.push({ kind: 'number', text: num, start: k, end: k + num.length });
      k += num.length;
      continue;
    }
    const id = sticky(IDENT);
    if (id !== undefined) {
      out.push({ kind: 'ident', text: id, start: k, end: k + id.length });
      k += id.length;
      continue;
    }
    if (ch === '"' || (ch === "'" && !endsValue(out[out.length - 1]))) {
      let j = k + 1;
      while (j < text.length && text[j] !== ch) j += text[j] === '\\' ? 2 : 1;
      const end = Math.min(text.length, j + 1);
      out.push({ kind: 'string', text: text.slice(k, end), start: k, end });
      k = end;
      continue;
    }
    if (PUNCT.has(ch)) {
      out.push({ kind: 'punct', text: ch, start: k, end: k + 1 });
      k++;
      continue;
    }
    const op = FOREIGN.find((o) => text.startsWith(o, k));
    // Characters that are neither (a stray `@`, `\`, an emoji) are foreign tokens of one code point.
    const t = op ?? String.fromCodePoint(text.codePointAt(k) as number);
    out.push({ kind: 'foreign', text: t, start: k, end: k + t.length });
    k += t.length;
  }
  out.push({ kind: 'end', text: '', start: text.length, end: text.length });
  return out;
}
