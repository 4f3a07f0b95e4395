import fc from 'fast-check';
import { Rational } from '../../src/field/rational.js';
import { JsonSyntaxError, MAX_JSON_DEPTH, parseJson, type JsonNode } from '../../src/models/json.js';
import { checkProperty } from '../support/property.js';

/** A canonical form of a JSON value that does not depend on key order or number spelling. */
type Canon = null | boolean | string | number | Canon[] | { o: [string, Canon][] };

function canonTree(n: JsonNode): Canon {
  switch (n.kind) {
    case 'object':
      return { o: n.members.map((m): [string, Canon] => [m.key, canonTree(m.value)]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)) };
    case 'array':
      return n.items.map(canonTree);
    case 'string':
      return n.value;
    case 'number':
      return Number(n.text);
    case 'boolean':
      return n.value;
    case 'null':
      return null;
  }
}

function canonPlain(v: unknown): Canon {
  if (v === null || typeof v === 'boolean' || typeof v === 'string' || typeof v === 'number') return v;
  if (Array.isArray(v)) return v.map(canonPlain);
  if (typeof v === 'object') {
    const rec = v as Record<string, unknown>;
    return { o: Object.keys(rec).sort().map((k): [string, Canon] => [k, canonPlain(rec[k])]) };
  }
  throw new Error(`not JSON: ${String(v)}`);
}

/** All number nodes in document order. */
function numbers(n: JsonNode, out: string[] = []): string[] {
  if (n.kind === 'number') out.push(n.text);
  else if (n.kind === 'array') n.items.forEach((x) => numbers(x, out));
  else if (n.kind === 'object') n.members.forEach((m) => numbers(m.value, out));
  return out;
}

function syntaxError(text: string): JsonSyntaxError {
  try {
    parseJson(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) return e;
    throw e;
  }
  throw new Error(`expected a syntax error for ${JSON.stringify(text)}`);
}

describe('parseJson agrees with JSON.parse', () => {
  it('on the structure of random JSON values (compact and indented)', () => {
    checkProperty(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2, '\t'), (v, space) => {
        const text = JSON.stringify(v, null, space);
        expect(canonTree(parseJson(text))).toEqual(canonPlain(JSON.parse(text)));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps number text exactly as written', () => {
    checkProperty(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v);
        // The number tokens of the text, found with the JSON number grammar outside strings.
        const expected: string[] = [];
        const re = /"(?:[^"\\]|\\.)*"|(-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;
        for (const m of text.matchAll(re)) if (m[1] !== undefined) expected.push(m[1]);
        expect(numbers(parseJson(text))).toEqual(expected);
      }),
    );
  });

  it('accepts exactly what JSON.parse accepts on token soup (duplicate keys aside)', () => {
    const token = fc.constantFrom('{', '}', '[', ']', ',', ':', '"a"', '"b"', '1', '-', '0', '.', 'e', '+', ' ', '\n', 'true', 'null', '"', '\\', 'x', '2.5', '"\\u00e9"');
    checkProperty(
      fc.property(fc.array(token, { maxLength: 12 }), (tokens) => {
        const text = tokens.join('');
        let native = true;
        try {
          JSON.parse(text);
        } catch {
          native = false;
        }
        let ours = true;
        try {
          parseJson(text);
        } catch (e) {
          if (!(e instanceof JsonSyntaxError)) throw e;
          if (e.reason.startsWith('duplicate key')) return; // JSON.parse keeps the last; we refuse
          ours = false;
        }
        expect(ours).toBe(native);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseJson trees', () => {
  it('keeps key order and positions', () => {
    const t = parseJson('{\n  "b": 1,\n  "a": [true, null, "x"],\n  "1": -0.10\n}');
    if (t.kind !== 'object') throw new Error('object expected');
    expect(t.members.map((m) => m.key)).toEqual(['b', 'a', '1']);
    expect(t.line).toBe(1);
    expect(t.column).toBe(1);
    const a = t.members[1];
    expect(a?.keyNode.line).toBe(3);
    expect(a?.keyNode.column).toBe(3);
    expect(a?.value).toMatchObject({ kind: 'array', line: 3, column: 8 });
    if (a?.value.kind !== 'array') throw new Error('array expected');
    expect(a.value.items.map((n) => [n.kind, n.column])).toEqual([
      ['boolean', 9],
      ['null', 15],
      ['string', 21],
    ]);
    expect(t.members[2]?.value).toMatchObject({ kind: 'number', text: '-0.10', line: 4, column: 8 });
  });

  it('reads numbers whose text Rational.parse reads exactly', () => {
    const t = parseJson('[0.1, 1e-3, -12.5E+2, 1e999, 123456789012345678901234567890]');
    if (t.kind !== 'array') throw new Error('array expected');
    const values = t.items.map((n) => (n.kind === 'number' ? Rational.parse(n.text).toString() : '?'));
    expect(values).toEqual(['1/10', '1/1000', '-1250', `1${'0'.repeat(999)}`, '123456789012345678901234567890']);
  });

  it('decodes escapes and keeps astral characters', () => {
    const t = parseJson('"a\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00😀"');
    expect(t).toMatchObject({ kind: 'string', value: 'a"\\/\b\f\n\r\t\u00e9😀😀' });
  });

  it('skips a byte-order mark and handles CRLF line ends', () => {
    const t = parseJson('\ufeff[\r\n1,\r2]');
    if (t.kind !== 'array') throw new Error('array expected');
    expect(t.items.map((n) => [n.line, n.column])).toEqual([
      [2, 1],
      [3, 1],
    ]);
  });

  it('rejects duplicate keys, naming the first occurrence', () => {
    expect(syntaxError('{"a": 1,\n "a": 2}').message).toBe('line 2, column 2: duplicate key "a" (first given at line 1, column 2)');
  });
});

describe('parseJson errors', () => {
  const cases: [string, string][] = [
    ['[1, 2\n  }', "line 2, column 3: expected ',' or ']', got '}'"],
    ['{"a" 1}', `line 1, column 6: expected ':' after key "a", got '1'`],
    ['{"a": 1 "b": 2}', `line 1, column 9: expected ',' or '}', got '"'`],
    ['[1, 2,]', "line 1, column 7: expected a JSON value, got ']' (trailing commas are not allowed)"],
    ['{"a": 1,}', "line 1, column 9: expected a string key, got '}' (trailing commas are not allowed)"],
    ['{a: 1}', "line 1, column 2: expected a string key or '}', got 'a' (keys must be in double quotes)"],
    ['', 'line 1, column 1: expected a JSON value, got end of input'],
    ['[1, 2', "line 1, column 6: expected ',' or ']', got end of input"],
    ['[1] 2', "line 1, column 5: expected end of input after the JSON value, got '2'"],
    ["['a']", `line 1, column 2: expected a JSON value, got "'" (JSON strings use double quotes)`],
    ['[1, // c\n 2]', "line 1, column 5: expected a JSON value, got '/' (JSON does not allow comments)"],
    ['[+1]', "line 1, column 2: expected a JSON value, got '+' (JSON numbers have no leading '+')"],
    ['[.5]', "line 1, column 2: expected a JSON value, got '.' (JSON numbers need a digit before '.')"],
    ['[01]', 'line 1, column 2: leading zeros are not allowed in JSON numbers'],
    ['[1.]', "line 1, column 4: expected a digit after '.', got ']'"],
    ['[1e]', "line 1, column 4: expected a digit in the exponent, got ']'"],
    ['[-]', "line 1, column 3: expected a digit after '-', got ']'"],
    ['[NaN]', 'line 1, column 2: non-finite numbers are not allowed (got NaN); JSON numbers must be finite'],
    ['[1,\n Infinity]', 'line 2, column 2: non-finite numbers are not allowed (got Infinity); JSON numbers must be finite'],
    ['[-Infinity]', 'line 1, column 2: non-finite numbers are not allowed (got -Infinity); JSON numbers must be finite'],
    ['[True]', "line 1, column 2: expected a JSON value, got 'True' (JSON literals are lowercase: true)"],
    ['["ab', `line 1, column 2: unterminated string (no closing '"')`],
    ['["a\nb"]', 'line 1, column 4: a line break inside a string must be escaped'],
    ['["a\tb"]', 'line 1, column 4: control character U+0009 inside a string must be escaped'],
    ['["\\x"]', "line 1, column 3: invalid escape '\\' followed by 'x' in a string"],
    ['["\\u12G4"]', 'line 1, column 3: invalid \\u escape (expected 4 hexadecimal digits)'],
    ['["😀😀", x]', "line 1, column 8: expected a JSON value, got 'x'"],
  ];
  it.each(cases)('%j', (text, message) => {
    expect(syntaxError(text).message).toBe(message);
  });

  it('reports line and column of a stray character after any indentation', () => {
    checkProperty(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 30 }), fc.boolean(), (nest, indent, crlf) => {
        const eol = crlf ? '\r\n' : '\n';
        const text = `${'[1,'.concat(eol).repeat(nest)}${' '.repeat(indent)}@`;
        const e = syntaxError(text);
        expect([e.line, e.column]).toEqual([nest + 1, indent + 1]);
        expect(e.message.startsWith(`line ${nest + 1}, column ${indent + 1}: `)).toBe(true);
      }),
    );
  });

  it('refuses nesting deeper than MAX_JSON_DEPTH instead of overflowing the stack', () => {
    const ok = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH);
    expect(parseJson(ok).kind).toBe('array');
    const deep = '['.repeat(100000);
    expect(syntaxError(deep).message).toBe(`line 1, column ${MAX_JSON_DEPTH + 1}: nesting deeper than ${MAX_JSON_DEPTH} levels`);
  });
});
