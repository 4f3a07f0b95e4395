/**
 * A small strict JSON parser (RFC 8259) that keeps the source text of numbers.
 *
 * `JSON.parse` rounds every number to binary64 (`0.1` becomes 0.1000000000000000055…); model files
 * need the exact decimal, so numbers come back as `{ kind: 'number', text: '0.1' }` and the caller
 * reads the text exactly (e.g. with `Rational.parse`). Objects keep their key order and reject
 * duplicate keys; every node carries its 1-based line and column. Errors read
 * `line 3, column 14: expected ',' or ']', got '}'`.
 *
 * Deliberate choices: a leading byte-order mark is skipped (RFC 8259 §8.1 allows it); `\r\n`, `\n`
 * and a lone `\r` each end a line; columns count characters (Unicode code points), a tab counts one;
 * `\u` escapes that form lone surrogates are accepted (as `JSON.parse` does); nesting deeper than
 * {@link MAX_JSON_DEPTH} is refused instead of overflowing the stack.
 */

/** Position of a node in the source text: 1-based line and column, 0-based UTF-16 offset. */
export interface JsonLocation {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

export interface JsonObject extends JsonLocation {
  readonly kind: 'object';
  /** Members in source order; keys are distinct. */
  readonly members: readonly JsonMember[];
}

export interface JsonMember {
  readonly key: string;
  /** The key's string node (its position is the opening quote). */
  readonly keyNode: JsonString;
  readonly value: JsonNode;
}

export interface JsonArray extends JsonLocation {
  readonly kind: 'array';
  readonly items: readonly JsonNode[];
}

export interface JsonString extends JsonLocation {
  readonly kind: 'string';
  /** The decoded string. */
  readonly value: string;
}

export interface JsonNumber extends JsonLocation {
  readonly kind: 'number';
  /** The number exactly as written in the source, e.g. `"-0.1e3"`; always valid JSON number syntax. */
  readonly text: string;
}

export interface JsonBoolean extends JsonLocation {
  readonly kind: 'boolean';
  readonly value: boolean;
}

export interface JsonNull extends JsonLocation {
  readonly kind: 'null';
}

/** A parsed JSON value with positions. */
export type JsonNode = JsonObject | JsonArray | JsonString | JsonNumber | JsonBoolean | JsonNull;

/** Deepest nesting of arrays and objects the parser accepts. */
export const MAX_JSON_DEPTH = 1000;

/** Malformed JSON. `message` is `line L, column C: <reason>`. */
export class JsonSyntaxError extends Error {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  /** The message without the position. */
  readonly reason: string;

  constructor(reason: string, at: JsonLocation) {
    super(`line ${at.line}, column ${at.column}: ${reason}`);
    this.name = 'JsonSyntaxError';
    this.line = at.line;
    this.column = at.column;
    this.offset = at.offset;
    this.reason = reason;
  }
}

/** The member of `obj` with key `key`, if any. */
export function getMember(obj: JsonObject, key: string): JsonMember | undefined {
  return obj.members.find((m) => m.key === key);
}

/**
 * A short description of a node for error messages: `true`, `null`, `12.5`, `"abc"`,
 * `a list`, `an empty list`, `an object`. Long texts are shortened with `…`.
 */
export function describeJson(node: JsonNode): string {
  switch (node.kind) {
    case 'object':
      return 'an object';
    case 'array':
      return node.items.length === 0 ? 'an empty list' : 'a list';
    case 'string':
      return quoteShort(node.value);
    case 'number':
      return shorten(node.text);
    case 'boolean':
      return node.value ? 'true' : 'false';
    case 'null':
      return 'null';
  }
}

/** `s` as a JSON string literal, shortened to about `max` characters. */
export function quoteShort(s: string, max = 40): string {
  return JSON.stringify(shorten(s, max));
}

function shorten(s: string, max = 40): string {
  if (s.length <= max) return s;
  let cut = max;
  const c = s.charCodeAt(cut - 1);
  if (c >= 0xd800 && c <= 0xdbff) cut -= 1; // do not split a surrogate pair
  return `${s.slice(0, cut)}…`;
}

/** Parses JSON text into a {@link JsonNode} tree. Throws {@link JsonSyntaxError}. */
export function parseJson(text: string): JsonNode {
  return new Parser(text).parseDocument();
}

const NON_FINITE = /^(nan|inf|infinity)$/i;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isWordChar(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || isDigit(c) || c === 0x5f || c === 0x24;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

class Parser {
  private i = 0;
  private line = 1;
  /** Offset where the current line starts. */
  private lineStart = 0;
  /** Surrogate pairs passed on the current line (each is one column but two code units). */
  private linePairs = 0;
  private depth = 0;

  constructor(private readonly s: string) {}

  parseDocument(): JsonNode {
    if (this.s.charCodeAt(0) === 0xfeff) {
      this.i = 1;
      this.lineStart = 1;
    }
    this.skipWs();
    const v = this.parseValue();
    this.skipWs();
    if (this.i < this.s.length) this.fail(`expected end of input after the JSON value, got ${this.got()}`);
    return v;
  }

  private loc(): JsonLocation {
    return { line: this.line, column: this.i - this.lineStart - this.linePairs + 1, offset: this.i };
  }

  private fail(reason: string, at: JsonLocation = this.loc()): never {
    throw new JsonSyntaxError(reason, at);
  }

  /** Description of the character at the current position. */
  private got(): string {
    if (this.i >= this.s.length) return 'end of input';
    const cp = this.s.codePointAt(this.i) as number;
    if (cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp < 0xa0) || cp === 0xfeff) {
      return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    }
    const ch = String.fromCodePoint(cp);
    return ch === "'" ? `"'"` : `'${ch}'`;
  }

  private skipWs(): void {
    const s = this.s;
    for (;;) {
      const c = s.charCodeAt(this.i);
      if (c === 0x20 || c === 0x09) {
        this.i++;
      } else if (c === 0x0a) {
        this.newline(this.i + 1);
      } else if (c === 0x0d) {
        this.newline(s.charCodeAt(this.i + 1) === 0x0a ? this.i + 2 : this.i + 1);
      } else {
        return;
      }
    }
  }

  private newline(next: number): void {
    this.i = next;
    this.line++;
    this.lineStart = next;
    this.linePairs = 0;
  }

  private parseValue(): JsonNode {
    const c = this.s.charCodeAt(this.i);
    if (c === 0x7b) return this.parseObject();
    if (c === 0x5b) return this.parseArray();
    if (c === 0x22) return this.parseString();
    if (c === 0x2d || isDigit(c)) return this.parseNumber();
    if (isWordChar(c)) return this.parseWord();
    let hint = '';
    if (c === 0x27) hint = ' (JSON strings use double quotes)';
    else if (c === 0x2f) hint = ' (JSON does not allow comments)';
    else if (c === 0x2b) hint = " (JSON numbers have no leading '+')";
    else if (c === 0x2e) hint = " (JSON numbers need a digit before '.')";
    return this.fail(`expected a JSON value, got ${this.got()}${hint}`);
  }

  private enter(at: JsonLocation): void {
    if (++this.depth > MAX_JSON_DEPTH) this.fail(`nesting deeper than ${MAX_JSON_DEPTH} levels`, at);
  }

  private parseObject(): JsonObject {
    const at = this.loc();
    this.enter(at);
    this.i++; // '{'
    const members: JsonMember[] = [];
    const seen = new Map<string, JsonLocation>();
    this.skipWs();
    if (this.s.charCodeAt(this.i) === 0x7d) {
      this.i++;
      this.depth--;
      return { kind: 'object', members, ...at };
    }
    for (;;) {
      if (this.s.charCodeAt(this.i) !== 0x22) {
        const c = this.s.charCodeAt(this.i);
        const what = members.length === 0 ? `a string key or '}'` : 'a string key';
        let hint = '';
        if (c === 0x7d) hint = ' (trailing commas are not allowed)';
        else if (isWordChar(c) || c === 0x27) hint = ' (keys must be in double quotes)';
        this.fail(`expected ${what}, got ${this.got()}${hint}`);
      }
      const keyNode = this.parseString();
      const first = seen.get(keyNode.value);
      if (first !== undefined) {
        this.fail(`duplicate key ${quoteShort(keyNode.value)} (first given at line ${first.line}, column ${first.column})`, keyNode);
      }
      seen.set(keyNode.value, keyNode);
      this.skipWs();
      if (this.s.charCodeAt(this.i) !== 0x3a) this.fail(`expected ':' after key ${quoteShort(keyNode.value)}, got ${this.got()}`);
      this.i++;
      this.skipWs();
      const value = this.parseValue();
      members.push({ key: keyNode.value, keyNode, value });
      this.skipWs();
      const c = this.s.charCodeAt(this.i);
      if (c === 0x2c) {
        this.i++;
        this.skipWs();
      } else if (c === 0x7d) {
        this.i++;
        this.depth--;
        return { kind: 'object', members, ...at };
      } else {
        this.fail(`expected ',' or '}', got ${this.got()}`);
      }
    }
  }

  private parseArray(): JsonArray {
    const at = this.loc();
    this.enter(at);
    this.i++; // '['
    const items: JsonNode[] = [];
    this.skipWs();
    if (this.s.charCodeAt(this.i) === 0x5d) {
      this.i++;
      this.depth--;
      return { kind: 'array', items, ...at };
    }
    for (;;) {
      if (this.s.charCodeAt(this.i) === 0x5d) this.fail(`expected a JSON value, got ']' (trailing commas are not allowed)`);
      items.push(this.parseValue());
      this.skipWs();
      const c = this.s.charCodeAt(this.i);
      if (c === 0x2c) {
        this.i++;
        this.skipWs();
      } else if (c === 0x5d) {
        this.i++;
        this.depth--;
        return { kind: 'array', items, ...at };
      } else {
        this.fail(`expected ',' or ']', got ${this.got()}`);
      }
    }
  }

  private parseString(): JsonString {
    const at = this.loc();
    const s = this.s;
    this.i++; // opening quote
    let out = '';
    let chunk = this.i;
    for (;;) {
      if (this.i >= s.length) this.fail(`unterminated string (no closing '"')`, at);
      const c = s.charCodeAt(this.i);
      if (c === 0x22) {
        out += s.slice(chunk, this.i);
        this.i++;
        return { kind: 'string', value: out, ...at };
      }
      if (c === 0x5c) {
        out += s.slice(chunk, this.i);
        out += this.parseEscape();
        chunk = this.i;
      } else if (c < 0x20) {
        const name = c === 0x0a || c === 0x0d ? 'a line break' : `control character ${this.got()}`;
        this.fail(`${name} inside a string must be escaped`);
      } else if (c >= 0xd800 && c <= 0xdbff && this.i + 1 < s.length) {
        const d = s.charCodeAt(this.i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          this.i += 2;
          this.linePairs++;
        } else {
          this.i++;
        }
      } else {
        this.i++;
      }
    }
  }

  /** At a backslash: consumes the escape and returns the character(s) it stands for. */
  private parseEscape(): string {
    const s = this.s;
    const e = s.charCodeAt(this.i + 1);
    switch (e) {
      case 0x22:
        this.i += 2;
        return '"';
      case 0x5c:
        this.i += 2;
        return '\\';
      case 0x2f:
        this.i += 2;
        return '/';
      case 0x62:
        this.i += 2;
        return '\b';
      case 0x66:
        this.i += 2;
        return '\f';
      case 0x6e:
        this.i += 2;
        return '\n';
      case 0x72:
        this.i += 2;
        return '\r';
      case 0x74:
        this.i += 2;
        return '\t';
      case 0x75: {
        for (let k = 2; k < 6; k++) {
          if (!isHex(s.charCodeAt(this.i + k))) this.fail('invalid \\u escape (expected 4 hexadecimal digits)');
        }
        const code = parseInt(s.slice(this.i + 2, this.i + 6), 16);
        this.i += 6;
        return String.fromCharCode(code);
      }
      default: {
        if (this.i + 1 >= s.length) this.fail(`unterminated string (no closing '"')`);
        this.i++;
        const bad = this.got();
        this.i--;
        return this.fail(`invalid escape '\\' followed by ${bad} in a string`);
      }
    }
  }

  private parseNumber(): JsonNode {
    // The position as numbers (a location object only for messages): model files hold millions of numbers.
    const s = this.s;
    const start = this.i;
    const line = this.line;
    const column = start - this.lineStart - this.linePairs + 1;
    if (s.charCodeAt(this.i) === 0x2d) {
      this.i++;
      if (isWordChar(s.charCodeAt(this.i)) && !isDigit(s.charCodeAt(this.i))) {
        const word = this.readWord();
        if (NON_FINITE.test(word)) this.nonFinite(`-${word}`, { line, column, offset: start });
        this.fail(`expected a digit after '-', got '${word}'`, { line, column, offset: start });
      }
    }
    const c = s.charCodeAt(this.i);
    if (c === 0x30) {
      this.i++;
      if (isDigit(s.charCodeAt(this.i))) this.fail('leading zeros are not allowed in JSON numbers', { line, column, offset: start });
    } else if (isDigit(c)) {
      while (isDigit(s.charCodeAt(this.i))) this.i++;
    } else {
      this.fail(`expected a digit after '-', got ${this.got()}`);
    }
    if (s.charCodeAt(this.i) === 0x2e) {
      this.i++;
      if (!isDigit(s.charCodeAt(this.i))) this.fail(`expected a digit after '.', got ${this.got()}`);
      while (isDigit(s.charCodeAt(this.i))) this.i++;
    }
    const e = s.charCodeAt(this.i);
    if (e === 0x65 || e === 0x45) {
      this.i++;
      const sign = s.charCodeAt(this.i);
      if (sign === 0x2b || sign === 0x2d) this.i++;
      if (!isDigit(s.charCodeAt(this.i))) this.fail(`expected a digit in the exponent, got ${this.got()}`);
      while (isDigit(s.charCodeAt(this.i))) this.i++;
    }
    return { kind: 'number', text: s.slice(start, this.i), line, column, offset: start };
  }

  private readWord(): string {
    const start = this.i;
    while (isWordChar(this.s.charCodeAt(this.i))) this.i++;
    return this.s.slice(start, this.i);
  }

  private nonFinite(word: string, at: JsonLocation): never {
    return this.fail(`non-finite numbers are not allowed (got ${word}); JSON numbers must be finite`, at);
  }

  private parseWord(): JsonNode {
    const at = this.loc();
    const word = this.readWord();
    if (word === 'true') return { kind: 'boolean', value: true, ...at };
    if (word === 'false') return { kind: 'boolean', value: false, ...at };
    if (word === 'null') return { kind: 'null', ...at };
    if (NON_FINITE.test(word)) this.nonFinite(word, at);
    let hint = '';
    if (/^(true|false|null)$/i.test(word)) hint = ` (JSON literals are lowercase: ${word.toLowerCase()})`;
    return this.fail(`expected a JSON value, got '${shorten(word)}'${hint}`, at);
  }
}
