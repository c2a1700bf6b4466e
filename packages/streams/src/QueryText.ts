/**
 * The text form of a search query, as typed on the command line:
 *
 * ```
 * email ~ "@acme.com" AND (role = user OR role = lead) AND created_at > 2024-01-01
 * custom_attributes.plan IN ["pro", "team"]
 * ```
 *
 * Grammar (keywords case-insensitive; AND binds tighter than OR):
 *
 * ```
 * query      := and ( OR and )*
 * and        := primary ( AND primary )*
 * primary    := "(" query ")" | field operator value
 * operator   := = | != | ~ | !~ | ^ | $ | > | < | >= | <= | IN | NIN
 * value      := "string" | 'string' | word | "[" value ( "," value )* "]"
 * ```
 *
 * A bare word is a string (`user`, `2024-01-01`, `42`); the field's documented type
 * decides how it is read (integers, booleans, dates). For `custom_attributes.*` fields,
 * whose type is not documented, bare `true`/`false`/numbers are sent as booleans/numbers
 * and quoted values as strings; `null` is null everywhere.
 *
 * `parse` validates everything `Search.compile` does (field names, operators per type,
 * value types, nesting depth, group width) and fails with `QueryTextError`, whose
 * `position`/`length` point at the offending token and whose message shows it.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import { dual } from "effect/Function"
import * as Schema from "effect/Schema"
import { SearchFields } from "@intercom-fx/core"
import * as Search from "./Search.js"

/** A text query that cannot be parsed or would be rejected; points at a token. */
export class QueryTextError extends Schema.TaggedError<QueryTextError>()("QueryTextError", {
  input: Schema.String,
  /** Offset of the offending token (0-based, in UTF-16 code units). */
  position: Schema.Number,
  length: Schema.Number,
  detail: Schema.String
}) {
  override get message(): string {
    return `${this.detail} at column ${this.position + 1}\n  ${this.input}\n  ${" ".repeat(this.position)}${"^".repeat(Math.max(1, this.length))}`
  }
}

type TokenKind = "lparen" | "rparen" | "lbracket" | "rbracket" | "comma" | "op" | "word" | "string" | "end"

interface Token {
  readonly kind: TokenKind
  readonly text: string
  /** For strings: the unescaped content; otherwise the text. */
  readonly value: string
  readonly position: number
  readonly length: number
}

const OPERATOR_CHARS = "=!~^$<>"
const WORD = /[A-Za-z0-9_.:@+\-/*%#&|?]/

const tokenize = (input: string): Either.Either<ReadonlyArray<Token>, QueryTextError> => {
  const tokens: Array<Token> = []
  const fail = (position: number, length: number, detail: string) =>
    Either.left(new QueryTextError({ input, position, length, detail }))
  let i = 0
  while (i < input.length) {
    const c = input.charAt(i)
    if (/\s/.test(c)) {
      i++
      continue
    }
    const single: Partial<Record<string, TokenKind>> = { "(": "lparen", ")": "rparen", "[": "lbracket", "]": "rbracket", ",": "comma" }
    const kind = single[c]
    if (kind) {
      tokens.push({ kind, text: c, value: c, position: i, length: 1 })
      i++
      continue
    }
    if (c === "\"" || c === "'") {
      let j = i + 1
      let value = ""
      let closed = false
      while (j < input.length) {
        const d = input.charAt(j)
        if (d === "\\" && j + 1 < input.length) {
          value += input.charAt(j + 1)
          j += 2
          continue
        }
        if (d === c) {
          closed = true
          break
        }
        value += d
        j++
      }
      if (!closed) return fail(i, input.length - i, "unterminated string")
      tokens.push({ kind: "string", text: input.slice(i, j + 1), value, position: i, length: j + 1 - i })
      i = j + 1
      continue
    }
    if (OPERATOR_CHARS.includes(c)) {
      const two = input.slice(i, i + 2)
      const op = ["!=", "!~", ">=", "<="].includes(two) ? two : c
      if (op === "!") return fail(i, 1, "expected != or !~")
      tokens.push({ kind: "op", text: op, value: op, position: i, length: op.length })
      i += op.length
      continue
    }
    if (WORD.test(c)) {
      let j = i
      while (j < input.length && WORD.test(input.charAt(j))) j++
      const text = input.slice(i, j)
      tokens.push({ kind: "word", text, value: text, position: i, length: j - i })
      i = j
      continue
    }
    return fail(i, 1, `unexpected character ${JSON.stringify(c)}`)
  }
  tokens.push({ kind: "end", text: "", value: "", position: input.length, length: 0 })
  return Either.right(tokens)
}

interface PFilter {
  readonly _tag: "Filter"
  readonly field: Token
  readonly operator: Token
  readonly op: Search.Operator
  readonly values: ReadonlyArray<Token>
  /** The whole value (a word, a string or a bracketed list). */
  readonly valueSpan: { readonly position: number; readonly length: number }
  readonly list: boolean
}

interface PGroup {
  readonly _tag: "Group"
  readonly operator: Search.GroupOperator
  readonly members: ReadonlyArray<PNode>
  readonly start: number
}

type PNode = PFilter | PGroup

class Fail {
  constructor(readonly position: number, readonly length: number, readonly detail: string) {}
}

const keyword = (token: Token): string | undefined => (token.kind === "word" ? token.text.toUpperCase() : undefined)

const describeToken = (token: Token): string => (token.kind === "end" ? "end of input" : JSON.stringify(token.text))

const parseTokens = (tokens: ReadonlyArray<Token>): PNode | Fail => {
  let index = 0
  const endToken = tokens[tokens.length - 1]
  const peek = (): Token => tokens[index] ?? endToken ?? { kind: "end", text: "", value: "", position: 0, length: 0 }
  const next = (): Token => {
    const token = peek()
    index++
    return token
  }
  const expected = (what: string, token: Token) =>
    new Fail(token.position, token.length, `expected ${what}, found ${describeToken(token)}`)

  const parseValue = (): Token | Fail => {
    const token = next()
    if (token.kind === "word" || token.kind === "string") return token
    return expected("a value", token)
  }

  const parseComparison = (): PFilter | Fail => {
    const field = next()
    if (field.kind !== "word" || ["AND", "OR", "IN", "NIN"].includes(field.text.toUpperCase())) {
      return expected("a field name or (", field)
    }
    const operator = next()
    const kw = keyword(operator)
    const opText = operator.kind === "op" ? operator.text : kw === "IN" || kw === "NIN" ? kw : undefined
    if (opText === undefined || !SearchFields.isOperator(opText)) {
      return expected("an operator (= != ~ !~ ^ $ > < >= <= IN NIN)", operator)
    }
    const start = peek()
    if (start.kind === "lbracket") {
      next()
      const values: Array<Token> = []
      if (peek().kind !== "rbracket") {
        while (true) {
          const value = parseValue()
          if (value instanceof Fail) return value
          values.push(value)
          const sep = next()
          if (sep.kind === "rbracket") break
          if (sep.kind !== "comma") return expected(", or ]", sep)
        }
      } else next()
      const close = tokens[index - 1] ?? start
      return {
        _tag: "Filter", field, operator, op: opText, values, list: true,
        valueSpan: { position: start.position, length: close.position + close.length - start.position }
      }
    }
    const value = parseValue()
    if (value instanceof Fail) return value
    return { _tag: "Filter", field, operator, op: opText, values: [value], list: false, valueSpan: value }
  }

  const parsePrimary = (): PNode | Fail => {
    const token = peek()
    if (token.kind === "lparen") {
      next()
      const inner = parseOr()
      if (inner instanceof Fail) return inner
      const close = next()
      if (close.kind !== "rparen") return expected(")", close)
      return inner._tag === "Group" ? { ...inner, start: token.position } : inner
    }
    return parseComparison()
  }

  const parseChain = (operator: Search.GroupOperator, parseMember: () => PNode | Fail): PNode | Fail => {
    const start = peek().position
    const first = parseMember()
    if (first instanceof Fail) return first
    const members: Array<PNode> = [first]
    while (keyword(peek()) === operator) {
      next()
      const member = parseMember()
      if (member instanceof Fail) return member
      members.push(member)
    }
    return members.length === 1 ? first : { _tag: "Group", operator, members, start }
  }

  const parseAnd = () => parseChain("AND", parsePrimary)
  const parseOr = (): PNode | Fail => parseChain("OR", parseAnd)

  const root = parseOr()
  if (root instanceof Fail) return root
  const rest = peek()
  if (rest.kind !== "end") {
    return expected(rest.kind === "rparen" ? "end of input (unbalanced ))" : "AND, OR or end of input", rest)
  }
  return root
}

const normalizeP = (node: PNode): PNode => {
  if (node._tag === "Filter") return node
  const members: Array<PNode> = []
  for (const member of node.members.map(normalizeP)) {
    if (member._tag === "Group" && member.operator === node.operator) members.push(...member.members)
    else members.push(member)
  }
  const only = members[0]
  return members.length === 1 && only !== undefined ? only : { ...node, members }
}

const spanOf = (node: PNode): { readonly position: number; readonly length: number } =>
  node._tag === "Filter"
    ? { position: node.field.position, length: node.valueSpan.position + node.valueSpan.length - node.field.position }
    : { position: node.start, length: 1 }

const wordValue = (custom: boolean, token: Token): Search.Scalar => {
  if (token.kind === "string") return token.value
  const lower = token.text.toLowerCase()
  if (lower === "null") return null
  if (!custom) return token.text
  if (lower === "true" || lower === "false") return lower === "true"
  const n = Number(token.text)
  return token.text.trim() !== "" && Number.isFinite(n) ? n : token.text
}

const validate = (resource: Search.Resource, root: PNode): Search.Query | Fail => {
  const go = (node: PNode, level: number): Search.Query | Fail => {
    if (node._tag === "Group") {
      if (level > SearchFields.maxNestingDepth) {
        return new Fail(node.start, 1, `too deeply nested: queries nest at most ${SearchFields.maxNestingDepth} levels of AND/OR groups`)
      }
      if (node.members.length > SearchFields.maxFiltersPerGroup) {
        const extra = node.members[SearchFields.maxFiltersPerGroup]
        const span = extra ? spanOf(extra) : { position: node.start, length: 1 }
        return new Fail(span.position, span.length, `too many filters: an ${node.operator} group holds at most ${SearchFields.maxFiltersPerGroup}, this one has ${node.members.length}`)
      }
      const members: Array<Search.Query> = []
      for (const member of node.members) {
        const compiled = go(member, level + 1)
        if (compiled instanceof Fail) return compiled
        members.push(compiled)
      }
      return { _tag: "Group", operator: node.operator, filters: members }
    }
    const field = node.field.text
    const custom = SearchFields.fieldPatterns[resource].some((p) => field.startsWith(p.prefix) && field.length > p.prefix.length)
    const values = node.values.map((token) => wordValue(custom, token))
    const first = values[0]
    const filter = Search.where(field, node.op, node.list ? values : first === undefined ? null : first)
    const checked = Search.checkFilter(resource, filter)
    if (Either.isLeft(checked)) {
      const issue = checked.left
      const at = issue.part === "field"
        ? node.field
        : issue.part === "operator"
        ? node.operator
        : issue.index !== undefined
        ? node.values[issue.index] ?? node.valueSpan
        : node.valueSpan
      return new Fail(at.position, at.length, issue.detail)
    }
    return filter
  }
  return go(root, 1)
}

const parseText = (input: string, resource: Search.Resource): Either.Either<Search.Query, QueryTextError> => {
  const fail = (f: Fail) => Either.left(new QueryTextError({ input, position: f.position, length: f.length, detail: f.detail }))
  return Either.flatMap(tokenize(input), (tokens) => {
    if (tokens.length === 1) return fail(new Fail(0, 0, "empty query"))
    const tree = parseTokens(tokens)
    if (tree instanceof Fail) return fail(tree)
    const query = validate(resource, normalizeP(tree))
    return query instanceof Fail ? fail(query) : Either.right(query)
  })
}

/**
 * Parses and validates a text query for a resource. The result compiles without error
 * (`Search.compile`).
 */
export const parse: {
  (resource: Search.Resource): (input: string) => Either.Either<Search.Query, QueryTextError>
  (input: string, resource: Search.Resource): Either.Either<Search.Query, QueryTextError>
} = dual(2, parseText)

/** Parses, validates and compiles to the request body's `query` member in one step. */
export const compile: {
  (resource: Search.Resource): (input: string) => Either.Either<Search.QueryBody, QueryTextError | Search.InvalidQuery>
  (input: string, resource: Search.Resource): Either.Either<Search.QueryBody, QueryTextError | Search.InvalidQuery>
} = dual(2, (input: string, resource: Search.Resource) =>
  Either.flatMap(parseText(input, resource), (query) => Search.compile(query, resource)))
