/**
 * A fast path for decoding schemas whose decoded value is the input itself.
 *
 * `compile(schema)` turns a schema's AST, once, into a plain predicate with this property:
 *
 *   predicate(u) === true  ⇒  `Schema.decodeUnknown(schema)(u)` succeeds, and its result is
 *                             deep-equal to `u`
 *
 * so a caller may skip the decode and use `u` as it is. When the predicate says `false`
 * nothing is claimed: run the real decode (it yields the value or the precise `ParseError`).
 * `compile` returns `undefined` when the schema contains a node it cannot vouch for
 * (transformations, declarations, template literals, …).
 *
 * Internally every node compiles to a three-valued check mirroring effect's parser
 * (`ParseResult.go`, effect 3.x) node by node:
 *
 * - `SAME`: the node's decode succeeds and returns a value deep-equal to the input;
 * - `FAIL`: the node's decode fails;
 * - `UNKNOWN`: anything else (it may succeed with a different value, or the check does not
 *   know). Answering `UNKNOWN` is always sound.
 *
 * `FAIL` has to be exact too because of unions: effect returns the first member that decodes
 * (see `union` for the order), so the verdict of a member that comes before the one that
 * returns the input matters.
 *
 * Parse options flow like effect's: a node's `parseOptions` annotation is merged into the
 * options its subtree sees (that is how `Open` makes nested structs keep unknown properties),
 * so checks are compiled per (node, options).
 *
 * "Deep-equal" is structural equality over plain data: objects whose prototype is
 * `Object.prototype`, compared by their own properties; dense arrays whose prototype is
 * `Array.prototype`; primitives by value. Inputs outside that (class instances, null-prototype
 * objects, sparse arrays, an own `__proto__` key) are answered `UNKNOWN`. Not detected: own
 * non-enumerable properties (decode would copy them as enumerable); `JSON.parse` never makes
 * those. Refinement filters are called on the input rather than on the decoded copy, which
 * is the same as long as a filter looks at the value's structure, not its identity.
 *
 * Speed: a struct's properties are read by a small generated function (see `makeFold`),
 * and properties whose type only asks for a `typeof` (nullable strings, numbers, …) are
 * tested inline (see `kindsOf`): about 2–4 µs per Intercom contact, against ~170 µs for the
 * decode. Compiling a schema takes a few milliseconds, once.
 *
 * @internal
 */
import type { ParseOptions } from "effect/SchemaAST"
import * as AST from "effect/SchemaAST"

const FAIL = 0
const SAME = 1
const UNKNOWN = 2
type Verdict = typeof FAIL | typeof SAME | typeof UNKNOWN
type Check = (u: unknown) => Verdict

/** The options effect's parser passes down: the caller's, merged with annotations on the way. */
interface Options extends ParseOptions {
  readonly isEffectAllowed?: boolean
}

const hasOwn = Object.prototype.hasOwnProperty
const getPrototypeOf = Object.getPrototypeOf
const ObjectPrototype = Object.prototype
const ArrayPrototype = Array.prototype

// ---- which schemas qualify --------------------------------------------------------------

/** Whether every node reachable from `ast` (through suspensions too) has a check. */
const supported = (ast: AST.AST, seen: Set<AST.AST>): boolean => {
  if (seen.has(ast)) return true
  seen.add(ast)
  switch (ast._tag) {
    case "Literal":
    case "UniqueSymbol":
    case "UndefinedKeyword":
    case "NeverKeyword":
    case "UnknownKeyword":
    case "AnyKeyword":
    case "VoidKeyword":
    case "StringKeyword":
    case "NumberKeyword":
    case "BooleanKeyword":
    case "BigIntKeyword":
    case "SymbolKeyword":
    case "ObjectKeyword":
    case "Enums":
      return true
    case "Refinement":
      return supported(ast.from, seen)
    case "Suspend":
      return supported(ast.f(), seen)
    case "Union":
      return ast.types.every((member) => supported(member, seen))
    case "TupleType":
      // Elements and at most one rest element (tuples and arrays); elements after a rest are not mirrored.
      return ast.rest.length <= 1 &&
        ast.elements.every((element) => supported(element.type, seen)) &&
        ast.rest.every((rest) => supported(rest.type, seen))
    case "TypeLiteral":
      return ast.propertySignatures.every((ps) =>
        // decode writes `output[name] = …`, and assigning `__proto__` sets the prototype instead
        ps.name !== "__proto__" && typeof ps.name === "string" && supported(ps.type, seen)
      ) &&
        ast.indexSignatures.every((is) => isStringParameter(is.parameter) && supported(is.type, seen))
    case "Declaration":
    case "Transformation":
    case "TemplateLiteral":
      return false
  }
}

/** Index signatures keyed by strings (effect reads their keys with `Object.keys`). */
const isStringParameter = (parameter: AST.Parameter): boolean =>
  parameter._tag === "StringKeyword" || (parameter._tag === "Refinement" && isStringParameter(parameter.from))

// ---- primitive kinds --------------------------------------------------------------------

// Nodes that only ask "which typeof" (strings, numbers, booleans, null, undefined, unknown
// and unions of them) are also described by a bit set, so structs and arrays test them
// inline instead of calling a check per value.
const STRING = 1
const NUMBER = 2
const BOOLEAN = 4
const NULL = 8
const UNDEFINED = 16
const OTHER = 32 // objects, arrays, functions, bigints, symbols
const ANY = STRING | NUMBER | BOOLEAN | NULL | UNDEFINED | OTHER

const kindOf = (u: unknown): number => {
  switch (typeof u) {
    case "string":
      return STRING
    case "number":
      return NUMBER
    case "boolean":
      return BOOLEAN
    case "undefined":
      return UNDEFINED
    case "object":
      return u === null ? NULL : OTHER
    default:
      return OTHER
  }
}

/**
 * The kinds a node accepts when its check is exactly "the value's kind is in this set"
 * (SAME for those, FAIL otherwise), else 0. A union of such nodes accepts the union of
 * their kinds, whichever member effect tries first.
 */
const kindsOf = (ast: AST.AST): number => {
  if (AST.getDecodingFallbackAnnotation(ast)._tag === "Some") return 0
  switch (ast._tag) {
    case "StringKeyword":
      return STRING
    case "NumberKeyword":
      return NUMBER
    case "BooleanKeyword":
      return BOOLEAN
    case "UndefinedKeyword":
      return UNDEFINED
    case "UnknownKeyword":
    case "AnyKeyword":
    case "VoidKeyword":
      return ANY
    case "Literal":
      return ast.literal === null ? NULL : 0
    case "Union": {
      let kinds = 0
      for (const member of ast.types) {
        const k = kindsOf(member)
        if (k === 0) return 0
        kinds |= k
      }
      return kinds
    }
    default:
      return 0
  }
}

// ---- checks -----------------------------------------------------------------------------

const optionsKey = (options: Options | undefined): string =>
  options === undefined
    ? ""
    : `${options.errors}|${options.onExcessProperty}|${options.propertyOrder}|${options.exact}|${options.isEffectAllowed}`

const memo = new WeakMap<AST.AST, Map<string, Check>>()

/** Mirrors effect's `goMemo`: the node's parse-options annotation applies to it and below. */
const check = (ast: AST.AST, outer: Options | undefined): Check => {
  let byOptions = memo.get(ast)
  if (byOptions === undefined) {
    byOptions = new Map()
    memo.set(ast, byOptions)
  }
  const key = optionsKey(outer)
  const known = byOptions.get(key)
  if (known !== undefined) return known
  // Placeholder for cycles through Suspend (only reached lazily, after this returns).
  let compiled: Check | undefined
  byOptions.set(key, (u) => compiled!(u))
  const annotation = AST.getParseOptionsAnnotation(ast)
  const options: Options | undefined = annotation._tag === "Some"
    ? (outer === undefined ? annotation.value : { ...outer, ...annotation.value })
    : outer
  const raw = compileNode(ast, options)
  // With a decoding fallback, a failing decode can still succeed (with the fallback's value).
  compiled = AST.getDecodingFallbackAnnotation(ast)._tag === "Some"
    ? (u) => raw(u) === SAME ? SAME : UNKNOWN
    : raw
  byOptions.set(key, compiled)
  return compiled
}

const same: Check = () => SAME
const fail: Check = () => FAIL
const fromPredicate = (predicate: (u: unknown) => boolean): Check => (u) => predicate(u) ? SAME : FAIL

const compileNode = (ast: AST.AST, options: Options | undefined): Check => {
  switch (ast._tag) {
    case "Literal": {
      const literal = ast.literal
      return (u) => u === literal ? SAME : FAIL
    }
    case "UniqueSymbol": {
      const symbol = ast.symbol
      return (u) => u === symbol ? SAME : FAIL
    }
    case "UndefinedKeyword":
      return (u) => u === undefined ? SAME : FAIL
    case "NeverKeyword":
      return fail
    case "UnknownKeyword":
    case "AnyKeyword":
    case "VoidKeyword":
      return same
    case "StringKeyword":
      return (u) => typeof u === "string" ? SAME : FAIL
    case "NumberKeyword": // any number, NaN and ±Infinity included (Predicate.isNumber)
      return (u) => typeof u === "number" ? SAME : FAIL
    case "BooleanKeyword":
      return (u) => typeof u === "boolean" ? SAME : FAIL
    case "BigIntKeyword":
      return (u) => typeof u === "bigint" ? SAME : FAIL
    case "SymbolKeyword":
      return (u) => typeof u === "symbol" ? SAME : FAIL
    case "ObjectKeyword": // returned as it is
      return fromPredicate((u) => (typeof u === "object" && u !== null) || typeof u === "function")
    case "Enums": {
      const values = ast.enums.map(([, value]) => value)
      return fromPredicate((u) => values.includes(u as string | number))
    }
    case "Refinement": {
      // decode: the `from` decode, then the refinement's own filter on its result
      const from = check(ast.from, options)
      const filterOptions = options ?? AST.defaultParseOption
      return (u) => {
        const verdict = from(u)
        if (verdict !== SAME) return verdict
        return ast.filter(u, filterOptions, ast)._tag === "None" ? SAME : FAIL
      }
    }
    case "Suspend": {
      let target: Check | undefined
      return (u) => (target ??= check(ast.f(), options))(u)
    }
    case "Union":
      return union(ast, options)
    case "TupleType":
      return tuple(ast, options)
    case "TypeLiteral":
      return typeLiteral(ast, options)
    case "Declaration":
    case "Transformation":
    case "TemplateLiteral":
      return () => UNKNOWN // `compile` never gets here: `supported` rules these out
  }
}

/**
 * Whether effect's union parser files this member under a literal discriminator (mirrors
 * `ParseResult.getLiterals`: required properties or elements whose encoded type is a literal).
 */
const hasTags = (ast: AST.AST): boolean => {
  switch (ast._tag) {
    case "Declaration": {
      const surrogate = AST.getSurrogateAnnotation(ast)
      return surrogate._tag === "Some" && hasTags(surrogate.value)
    }
    case "TypeLiteral":
      return ast.propertySignatures.some((ps) => !ps.isOptional && AST.isLiteral(AST.encodedAST(ps.type)))
    case "TupleType":
      return ast.elements.some((element) => !element.isOptional && AST.isLiteral(AST.encodedAST(element.type)))
    case "Refinement":
      return hasTags(ast.from)
    case "Suspend":
      return hasTags(ast.f())
    case "Transformation":
      return hasTags(ast.from)
    default:
      return false
  }
}

/**
 * effect's union decode returns the first candidate that decodes. Without discriminators
 * the candidates are the members in order, so the first member that does not fail decides.
 * With them, effect's search tree puts the members whose discriminator matches the input
 * first (and leaves out the others, which fail anyway): then every member that does not
 * fail must return the input, and at least one must decode.
 */
const union = (ast: AST.Union, options: Options | undefined): Check => {
  const members = ast.types.map((member) => check(member, options))
  const count = members.length
  if (!ast.types.some(hasTags)) {
    return (u) => {
      for (let i = 0; i < count; i++) {
        const v = members[i]!(u)
        if (v !== FAIL) return v
      }
      return FAIL
    }
  }
  return (u) => {
    let verdict: Verdict = FAIL
    for (let i = 0; i < count; i++) {
      const v = members[i]!(u)
      if (v === UNKNOWN) return UNKNOWN
      if (v === SAME) verdict = SAME
    }
    return verdict
  }
}

/** Arrays and tuples: effect's TupleType parser (elements, then one rest element). */
const tuple = (ast: AST.TupleType, options: Options | undefined): Check => {
  const elements = ast.elements.map((element) => check(element.type, options))
  const restKinds = ast.rest.length === 1 && ast.elements.length === 0 ? kindsOf(ast.rest[0]!.type) : 0
  const optional = ast.elements.map((element) => element.isOptional)
  const rest = ast.rest.length === 1 ? check(ast.rest[0]!.type, options) : undefined
  const required = optional.filter((isOptional) => !isOptional).length
  const count = elements.length
  return (u) => {
    if (!Array.isArray(u)) return FAIL
    const length = u.length
    if (length < required) return FAIL
    if (rest === undefined && length > count) return FAIL
    let verdict: Verdict = getPrototypeOf(u) === ArrayPrototype ? SAME : UNKNOWN
    if (restKinds !== 0) {
      // an array of primitives: one loop, no calls
      for (let i = 0; i < length; i++) {
        const value = u[i]
        if ((kindOf(value) & restKinds) === 0) return FAIL
        if (value === undefined && !(i in u)) verdict = UNKNOWN
      }
      return verdict
    }
    for (let i = 0; i < length; i++) {
      const element = i < count ? elements[i]! : rest!
      const value = u[i]
      let v = element(value)
      if (v === FAIL) return FAIL
      // a hole decodes to a present `undefined`
      if (value === undefined && !(i in u)) v = UNKNOWN
      if (v === UNKNOWN) verdict = UNKNOWN
    }
    return verdict
  }
}

/** The verdict of one named property, given its value as read from the record. */
type PropertyStep = (index: number, value: unknown, record: Record<string, unknown>, plain: boolean) => Verdict

/**
 * Folds `step` over the named properties of `o`, in order: FAIL as soon as one fails,
 * UNKNOWN if any is, else SAME. Generated code when the platform allows it: a constant
 * property name gets V8's inline caches, about ten times faster than `o[name]` with a
 * changing name (or than `hasOwnProperty`), and nothing is allocated per object (a reader
 * returning the values as an array made a struct check allocate as much as `JSON.parse`).
 * The common case, a plain object holding a defined value, is checked inline (its kinds,
 * or its own check), without calling `step`: that call was about a fifth of the cost of
 * checking a contact. The names are embedded as JSON string literals, so nothing in them
 * is code.
 */
const makeFold = (
  properties: ReadonlyArray<Property>,
  step: PropertyStep
): (o: Record<string, unknown>, plain: boolean) => Verdict => {
  const merge = `if (v === ${FAIL}) return ${FAIL}; if (v === ${UNKNOWN}) r = ${UNKNOWN};`
  const body = properties.map((property, i) => {
    const read = `x = o[${JSON.stringify(property.name)}];`
    const viaStep = `v = step(${i}, x, o, plain); ${merge}`
    // A name Object.prototype has: presence is always asked of hasOwnProperty (in `step`).
    if (property.inherited) return `${read} ${viaStep}`
    const inline = property.kinds !== 0
      ? `if ((kindOf(x) & ${property.kinds}) === 0) return ${FAIL};`
      : `v = checks[${i}](x); ${merge}`
    return `${read} if (x !== undefined && plain) { ${inline} } else { ${viaStep} }`
  })
  const checks = properties.map((property) => property.check)
  try {
    const make = new Function("kindOf", "checks", "step", `return (o, plain) => { let r = ${SAME}, v, x; ${body.join(" ")} return r; }`)
    return make(kindOf, checks, step) as ReturnType<typeof makeFold>
  } catch {
    // e.g. under a Content-Security-Policy without unsafe-eval
    return (o, plain) => {
      let r: Verdict = SAME
      for (let i = 0; i < properties.length; i++) {
        const v = step(i, o[properties[i]!.name], o, plain)
        if (v === FAIL) return FAIL
        if (v === UNKNOWN) r = UNKNOWN
      }
      return r
    }
  }
}

/**
 * Reading `o.name` also finds `Object.prototype`'s properties; for names it has (`constructor`,
 * `toString`, …), and for objects with another prototype, presence is asked with `hasOwnProperty`. For other names a defined value is
 * an own one as long as nobody has added properties to `Object.prototype`: `compile`'s
 * predicate checks that on every call (see `prototypeUnchanged`).
 */
const objectPrototypeKeys = Reflect.ownKeys(ObjectPrototype)
const arrayPrototypeKeys = Reflect.ownKeys(ArrayPrototype) // an index there would fill holes

const sameKeys = (prototype: object, expected: ReadonlyArray<PropertyKey>): boolean => {
  const keys = Reflect.ownKeys(prototype)
  if (keys.length !== expected.length) return false
  for (let i = 0; i < keys.length; i++) if (keys[i] !== expected[i]) return false
  return true
}

const prototypeUnchanged = (): boolean =>
  sameKeys(ObjectPrototype, objectPrototypeKeys) && sameKeys(ArrayPrototype, arrayPrototypeKeys)

interface Property {
  readonly name: string
  /** `Object.prototype` has a property by this name: ask `hasOwnProperty`. */
  readonly inherited: boolean
  readonly isOptional: boolean
  readonly check: Check
  /** See `kindsOf`; 0 when `check` must be called. */
  readonly kinds: number
}

/** Structs and records: effect's TypeLiteral parser. */
const typeLiteral = (ast: AST.TypeLiteral, options: Options | undefined): Check => {
  if (ast.propertySignatures.length === 0 && ast.indexSignatures.length === 0) {
    // `{}`: anything but null and undefined, returned as it is
    return (u) => (u === null || u === undefined ? FAIL : SAME)
  }
  const properties: ReadonlyArray<Property> = ast.propertySignatures.map((ps) => ({
    name: ps.name as string,
    inherited: (ps.name as string) in ObjectPrototype,
    isOptional: ps.isOptional,
    check: check(ps.type, options),
    kinds: kindsOf(ps.type)
  }))
  const names = new Set(properties.map((p) => p.name))
  const indexes = ast.indexSignatures.map((is) => ({ key: check(is.parameter, options), value: check(is.type, options) }))
  const excess = options?.onExcessProperty ?? "ignore" // "preserve" copies them, "ignore" drops them, "error" fails
  const exact = options?.exact === true
  const indexCount = indexes.length

  /** Whether a key is named or matches an index signature (effect's `expected`); UNKNOWN if it cannot tell. */
  const expected = (key: PropertyKey): Verdict => {
    if (typeof key !== "string") return FAIL
    if (names.has(key)) return SAME
    let verdict: Verdict = FAIL
    for (let i = 0; i < indexCount; i++) {
      const v = indexes[i]!.key(key)
      if (v === SAME) return SAME
      if (v === UNKNOWN) verdict = UNKNOWN
    }
    return verdict
  }

  const step: PropertyStep = (index, value, record, plain) => {
    const property = properties[index]!
    // own property (effect asks hasOwnProperty), even when its value is undefined
    const present = property.inherited || !plain
      ? hasOwn.call(record, property.name)
      : value !== undefined || hasOwn.call(record, property.name)
    if (present) {
      if (property.kinds !== 0) return (kindOf(value) & property.kinds) === 0 ? FAIL : SAME
      return property.check(value)
    }
    if (property.isOptional) return SAME
    if (exact) return FAIL
    // decoded as `undefined`, and then present in the output
    const v = property.check(undefined)
    return v === SAME ? UNKNOWN : v
  }

  const fold = makeFold(properties, step)

  return (u) => {
    if (typeof u !== "object" || u === null || Array.isArray(u)) return FAIL
    const prototype = getPrototypeOf(u)
    // Only a plain object is its own copy; other prototypes may also lend values to reads.
    const plain = prototype === ObjectPrototype
    let verdict: Verdict = plain && !hasOwn.call(u, "__proto__") ? SAME : UNKNOWN
    const record = u as Record<string, unknown>

    if (excess !== "preserve") {
      const keys = Reflect.ownKeys(record)
      for (let i = 0; i < keys.length; i++) {
        const v = expected(keys[i]!)
        if (v === SAME) continue
        if (v === UNKNOWN) verdict = UNKNOWN
        else if (excess === "error") return FAIL
        else verdict = UNKNOWN // dropped from the output
      }
    }

    const named = fold(record, plain)
    if (named === FAIL) return FAIL
    if (named === UNKNOWN) verdict = UNKNOWN

    if (indexCount > 0) {
      const keys = Object.keys(record)
      for (let j = 0; j < indexCount; j++) {
        const index = indexes[j]!
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i]!
          const k = index.key(key)
          if (k === FAIL) continue // not this signature's key: effect skips it
          if (k === UNKNOWN) {
            verdict = UNKNOWN
            continue
          }
          const v = index.value(record[key])
          if (v === FAIL) return FAIL
          if (v === UNKNOWN) verdict = UNKNOWN
        }
      }
    }
    return verdict
  }
}

// ---- entry point ------------------------------------------------------------------------

/**
 * The predicate for a schema (or AST) decoded with the given options, or `undefined` when
 * the schema has a node without a check. `true` means: decoding succeeds and returns the
 * input unchanged (deep-equal), so the input can be used as the decoded value.
 */
export const compile = (
  schema: { readonly ast: AST.AST } | AST.AST,
  options?: ParseOptions
): ((u: unknown) => boolean) | undefined => {
  const ast: AST.AST = "ast" in schema ? schema.ast : schema
  if (!supported(ast, new Set())) return undefined
  // Schema.decodeUnknown passes the caller's options with `isEffectAllowed: true`
  const root = check(ast, { ...options, isEffectAllowed: true })
  return (u) => prototypeUnchanged() && root(u) === SAME
}
