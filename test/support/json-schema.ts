/**
 * A small JSON Schema (draft 2020-12) validator for the subset docs/schemas/ uses: type, enum,
 * const, properties, required, additionalProperties, items, minItems, maxItems, minimum, pattern,
 * anyOf, oneOf, $ref (to `#/$defs/…` in the same schema or `FILE#/$defs/…` in a sibling schema).
 * Any other keyword makes it throw, so a schema never carries a constraint that is silently unchecked.
 * (A full validator such as ajv would add a dependency for keywords the schemas do not use.)
 */
type Schema = { readonly [k: string]: unknown };

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', '$comment', '$defs', 'examples']);
const KEYWORDS = new Set(['type', 'enum', 'const', 'properties', 'required', 'additionalProperties', 'items', 'minItems', 'maxItems', 'minimum', 'pattern', 'anyOf', 'oneOf', '$ref']);

function typeOf(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'array';
  if (typeof x === 'number') return Number.isInteger(x) ? 'integer' : 'number';
  return typeof x;
}

function typeMatches(x: unknown, t: string): boolean {
  const actual = typeOf(x);
  return actual === t || (t === 'number' && actual === 'integer');
}

/** Validates `value` against `schema` (from the `registry` of schemas by file name); returns the problems found, empty when valid. */
export function validate(registry: Readonly<Record<string, Schema>>, file: string, value: unknown): string[] {
  const root = registry[file];
  if (root === undefined) throw new Error(`no schema ${file}`);
  const errors: string[] = [];
  const resolve = (ref: string, base: string): [Schema, string] => {
    const [f, pointer] = ref.split('#') as [string, string | undefined];
    const target = f === '' ? base : f;
    let s: unknown = registry[target];
    if (s === undefined) throw new Error(`$ref to unknown schema ${ref}`);
    for (const part of (pointer ?? '').split('/').filter((p) => p !== '')) s = (s as Schema)[part];
    if (s === undefined) throw new Error(`$ref ${ref} points nowhere`);
    return [s as Schema, target];
  };
  const check = (s: Schema, x: unknown, path: string, base: string, out: string[]): void => {
    for (const k of Object.keys(s)) if (!KEYWORDS.has(k) && !ANNOTATIONS.has(k)) throw new Error(`unsupported keyword ${k} at ${path} of ${base}`);
    if (typeof s.$ref === 'string') {
      const [t, b] = resolve(s.$ref, base);
      check(t, x, path, b, out);
    }
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
      if (!types.some((t) => typeMatches(x, t))) out.push(`${path}: expected ${types.join(' or ')}, got ${typeOf(x)}`);
    }
    if (s.enum !== undefined && !(s.enum as unknown[]).some((e) => e === x)) out.push(`${path}: ${JSON.stringify(x)} is not one of ${JSON.stringify(s.enum)}`);
    if ('const' in s && s.const !== x) out.push(`${path}: expected ${JSON.stringify(s.const)}, got ${JSON.stringify(x)}`);
    if (typeof s.minimum === 'number' && typeof x === 'number' && x < s.minimum) out.push(`${path}: ${x} < minimum ${s.minimum}`);
    if (typeof s.pattern === 'string' && typeof x === 'string' && !new RegExp(s.pattern, 'u').test(x)) out.push(`${path}: "${x}" does not match ${s.pattern}`);
    if (Array.isArray(x)) {
      if (typeof s.minItems === 'number' && x.length < s.minItems) out.push(`${path}: ${x.length} items < minItems ${s.minItems}`);
      if (typeof s.maxItems === 'number' && x.length > s.maxItems) out.push(`${path}: ${x.length} items > maxItems ${s.maxItems}`);
      if (s.items !== undefined) x.forEach((y, i) => check(s.items as Schema, y, `${path}[${i}]`, base, out));
    }
    if (typeOf(x) === 'object') {
      const o = x as Record<string, unknown>;
      const props = (s.properties ?? {}) as Record<string, Schema>;
      for (const r of (s.required ?? []) as string[]) if (!(r in o)) out.push(`${path}: missing required "${r}"`);
      for (const [k, v] of Object.entries(o)) {
        const p = props[k];
        if (p !== undefined) check(p, v, `${path}.${k}`, base, out);
        else if (s.additionalProperties === false) out.push(`${path}: unknown key "${k}"`);
        else if (typeof s.additionalProperties === 'object') check(s.additionalProperties as Schema, v, `${path}.${k}`, base, out);
      }
    }
    for (const [kw, exactlyOne] of [['anyOf', false], ['oneOf', true]] as const) {
      const list = s[kw] as Schema[] | undefined;
      if (list === undefined) continue;
      const passing = list.filter((sub) => {
        const e: string[] = [];
        check(sub, x, path, base, e);
        return e.length === 0;
      }).length;
      if (exactlyOne ? passing !== 1 : passing === 0) out.push(`${path}: ${kw}: ${passing} of ${list.length} alternatives match`);
    }
  };
  check(root, value, '$', file, errors);
  return errors;
}
