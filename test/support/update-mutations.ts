/**
 * fast-check arbitraries for webhook bodies: real fixtures with a few mutations each (any value replaced
 * by null / a number / a string / an array / an object / deep nesting, keys deleted or added, the text
 * cut short), and bodies generated from nothing. What a buggy or hostile sender could post.
 */
import fc from 'fast-check';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

/** Every path to a value inside `value`, the root (`[]`) included. */
function pathsOf(value: Json, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

const deepNesting = fc.record({ depth: fc.integer({ min: 2, max: 300 }), asArray: fc.boolean(), leaf: fc.constantFrom<Json>(null, 1, 'x', {}) }).map(({ depth, asArray, leaf }) => {
  let v: Json = leaf;
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v };
  return v;
});

/** A value that stands where another was. */
export const anyValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, false, 0, -1, 1.5, 1e21, 2 ** 53 + 2, -(2 ** 31), '', ' ', 'null', '0', [], {}, [null], { x: null }, [[]], [{}]),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 40 }),
  fc.array(fc.constantFrom<Json>(null, 0, '', {}), { maxLength: 3 }),
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
  deepNesting,
);

type Mutation =
  | { op: 'replace'; at: number; value: Json }
  | { op: 'delete'; at: number }
  | { op: 'add'; at: number; key: string; value: Json };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: anyValue }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('add' as const), at: fc.nat(), key: fc.constantFrom('text', 'photo', 'from', 'message', 'event', 'sender', 'user', 'media', 'x'), value: anyValue }) },
);

function apply(root: Json, m: Mutation): Json {
  // The root is picked rarely (one path among many), which is what we want: most bodies stay objects.
  const paths = pathsOf(root);
  const path = paths[m.at % paths.length]!;
  if (path.length === 0) return m.op === 'replace' ? structuredClone(m.value) : root;
  const parent = path.slice(0, -1).reduce<Json>((v, k) => (v as Record<string | number, Json>)[k]!, root) as Record<string | number, Json> | Json[];
  const key = path[path.length - 1]!;
  // A copy: fast-check reuses the values it generated, and a later `add` writes into them.
  if (m.op === 'replace') (parent as Record<string | number, Json>)[key] = structuredClone(m.value);
  else if (m.op === 'delete') {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key as string];
  } else {
    const target = (parent as Record<string | number, Json>)[key];
    if (target !== null && typeof target === 'object' && !Array.isArray(target)) target[m.key] = structuredClone(m.value);
  }
  return root;
}

/** A fixture with one to five mutations, serialised again (sometimes cut short). */
export function mutatedBody(fixtures: string[]): fc.Arbitrary<string> {
  return fc
    .record({ fixture: fc.constantFrom(...fixtures), mutations: fc.array(mutation, { minLength: 1, maxLength: 5 }), cut: fc.oneof({ weight: 19, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat() }) })
    .map(({ fixture, mutations, cut }) => {
      const body = JSON.stringify(mutations.reduce(apply, JSON.parse(fixture) as Json));
      return cut === null ? body : body.slice(0, cut % (body.length + 1));
    });
}

/** Bodies made from nothing: any JSON value, or any text. */
export const generatedBody: fc.Arbitrary<string> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.constantFrom('', 'null', '[]', '{}', '"x"', '1', '{"update_id":null}', '{"event":null}', '{"event":"message"}', '{"update_id":1,"message":null}'),
);
