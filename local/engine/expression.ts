/**
 * CloudFlow's expression language, parsed and evaluated without `eval` (cloud-facts §3):
 * paths over `$Input`, `$Output`, `$Context`, `$Global` (`.name`, `[0]`, `["key"]`),
 * string/number/bool/null literals, array literals, `== != < <= > >=`, `in`, `&&`, `||`, `!`
 * and parentheses. A `.$` value in a constructor and a Choice `Condition` are both expressions.
 */

export type Root = '$Input' | '$Output' | '$Context' | '$Global';
export const ROOTS: readonly Root[] = ['$Input', '$Output', '$Context', '$Global'];

export type Expr =
  | { kind: 'literal'; value: unknown }
  | { kind: 'path'; root: Root; steps: (string | number)[] }
  | { kind: 'array'; items: Expr[] }
  | { kind: 'not'; operand: Expr }
  | { kind: 'logical'; op: '&&' | '||'; left: Expr; right: Expr }
  | { kind: 'compare'; op: CompareOp; left: Expr; right: Expr };

type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in';

export class ExpressionError extends Error {
  constructor(
    readonly source: string,
    readonly position: number,
    detail: string,
  ) {
    super(`${detail} at position ${position + 1} of \`${source}\``);
  }
}

type Token =
  | { t: 'root'; v: Root; at: number }
  | { t: 'ident'; v: string; at: number }
  | { t: 'string'; v: string; at: number }
  | { t: 'number'; v: number; at: number }
  | { t: 'op'; v: string; at: number }
  | { t: 'end'; at: number };

const OPERATORS = ['&&', '||', '==', '!=', '<=', '>=', '<', '>', '!', '(', ')', '[', ']', '.', ','];

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const at = i;
    if (c === '$') {
      const m = /^\$[A-Za-z]+/.exec(src.slice(i));
      const name = m?.[0] as Root | undefined;
      if (!name || !ROOTS.includes(name)) throw new ExpressionError(src, at, `unknown variable ${m?.[0] ?? '$'} (use ${ROOTS.join(', ')})`);
      out.push({ t: 'root', v: name, at });
      i += name.length;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let text = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) {
          const e = src[j + 1]!;
          text += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          j += 2;
        } else text += src[j++];
      }
      if (j >= src.length) throw new ExpressionError(src, at, 'unterminated string');
      out.push({ t: 'string', v: text, at });
      i = j + 1;
      continue;
    }
    const num = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(src.slice(i));
    if (num && (c !== '-' || out.length === 0 || out.at(-1)!.t === 'op')) {
      out.push({ t: 'number', v: Number(num[0]), at });
      i += num[0].length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(src.slice(i));
    if (ident) {
      out.push({ t: 'ident', v: ident[0], at });
      i += ident[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (!op) throw new ExpressionError(src, at, `unexpected character ${JSON.stringify(c)}`);
    out.push({ t: 'op', v: op, at });
    i += op.length;
  }
  out.push({ t: 'end', at: src.length });
  return out;
}

class Parser {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly tokens: Token[],
  ) {}

  private peek(): Token {
    return this.tokens[this.i]!;
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return (t.t === 'op' && t.v === v) || (v === 'in' && t.t === 'ident' && t.v === 'in');
  }
  private expectOp(v: string): void {
    if (!this.isOp(v)) throw this.error(`expected \`${v}\``);
    this.i++;
  }
  private error(detail: string): ExpressionError {
    const t = this.peek();
    return new ExpressionError(this.src, t.at, t.t === 'end' ? `${detail}, found the end` : detail);
  }

  parse(): Expr {
    const e = this.or();
    if (this.peek().t !== 'end') throw this.error('unexpected text after the expression');
    return e;
  }
  private or(): Expr {
    let left = this.and();
    while (this.isOp('||')) {
      this.i++;
      left = { kind: 'logical', op: '||', left, right: this.and() };
    }
    return left;
  }
  private and(): Expr {
    let left = this.not();
    while (this.isOp('&&')) {
      this.i++;
      left = { kind: 'logical', op: '&&', left, right: this.not() };
    }
    return left;
  }
  private not(): Expr {
    if (this.isOp('!')) {
      this.i++;
      return { kind: 'not', operand: this.not() };
    }
    return this.compare();
  }
  private compare(): Expr {
    const left = this.primary();
    for (const op of ['==', '!=', '<=', '>=', '<', '>', 'in'] as const) {
      if (this.isOp(op)) {
        this.i++;
        return { kind: 'compare', op, left, right: this.primary() };
      }
    }
    return left;
  }
  private primary(): Expr {
    const t = this.peek();
    if (t.t === 'string' || t.t === 'number') {
      this.i++;
      return { kind: 'literal', value: t.v };
    }
    if (t.t === 'ident') {
      const literals: Record<string, unknown> = { true: true, false: false, null: null };
      if (!Object.hasOwn(literals, t.v)) throw this.error(`unknown word \`${t.v}\` (strings need quotes)`);
      this.i++;
      return { kind: 'literal', value: literals[t.v] };
    }
    if (t.t === 'root') {
      this.i++;
      return { kind: 'path', root: t.v, steps: this.steps() };
    }
    if (this.isOp('(')) {
      this.i++;
      const e = this.or();
      this.expectOp(')');
      return e;
    }
    if (this.isOp('[')) {
      this.i++;
      const items: Expr[] = [];
      if (!this.isOp(']')) {
        items.push(this.or());
        while (this.isOp(',')) {
          this.i++;
          items.push(this.or());
        }
      }
      this.expectOp(']');
      return { kind: 'array', items };
    }
    throw this.error('expected a value, a variable or `(`');
  }
  private steps(): (string | number)[] {
    const steps: (string | number)[] = [];
    for (;;) {
      if (this.isOp('.')) {
        this.i++;
        const t = this.peek();
        if (t.t !== 'ident') throw this.error('expected a field name after `.`');
        this.i++;
        steps.push(t.v);
      } else if (this.isOp('[')) {
        this.i++;
        const t = this.peek();
        if (t.t === 'number' && Number.isInteger(t.v) && t.v >= 0) steps.push(t.v);
        else if (t.t === 'string') steps.push(t.v);
        else throw this.error('expected an index or a quoted key inside `[]`');
        this.i++;
        this.expectOp(']');
      } else return steps;
    }
  }
}

const cache = new Map<string, Expr>();

/** Parses an expression; throws `ExpressionError` naming the position of the problem. */
export function parseExpression(src: string): Expr {
  const hit = cache.get(src);
  if (hit) return hit;
  if (src.trim() === '') throw new ExpressionError(src, 0, 'empty expression');
  const expr = new Parser(src, tokenize(src)).parse();
  if (cache.size > 2000) cache.clear();
  cache.set(src, expr);
  return expr;
}

/** The variables an expression reads, so the checker can reject `$Output` outside OutputConstructor. */
export function rootsOf(expr: Expr, into = new Set<Root>()): Set<Root> {
  switch (expr.kind) {
    case 'path':
      into.add(expr.root);
      break;
    case 'array':
      expr.items.forEach((e) => rootsOf(e, into));
      break;
    case 'not':
      rootsOf(expr.operand, into);
      break;
    case 'logical':
    case 'compare':
      rootsOf(expr.left, into);
      rootsOf(expr.right, into);
      break;
  }
  return into;
}

export type Scope = Partial<Record<Root, unknown>>;

function walk(value: unknown, steps: (string | number)[]): unknown {
  let v = value;
  for (const s of steps) {
    if (v === null || typeof v !== 'object') return undefined;
    if (typeof s === 'number') v = Array.isArray(v) ? v[s] : (v as Record<string, unknown>)[String(s)];
    else v = Object.hasOwn(v, s) ? (v as Record<string, unknown>)[s] : undefined;
  }
  return v;
}

function equal(x: unknown, y: unknown): boolean {
  // A path that leads nowhere reads as null, so `$Input.failed != null` is false when absent.
  const a = x === undefined ? null : x;
  const b = y === undefined ? null : y;
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function order(op: '<' | '<=' | '>' | '>=', a: unknown, b: unknown): boolean {
  // Only numbers with numbers and strings with strings are ordered; anything else is false.
  if (!((typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string'))) return false;
  return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
}

function member(item: unknown, container: unknown): boolean {
  if (Array.isArray(container)) return container.some((c) => equal(c, item));
  if (typeof container === 'string') return typeof item === 'string' && container.includes(item);
  if (container && typeof container === 'object') return typeof item === 'string' && Object.hasOwn(container, item);
  return false;
}

/**
 * An expression read a field that is not there. CloudFlow documents no answer for that, so the
 * local engine refuses it: a flow that passes here works whichever way CloudFlow behaves.
 */
export class AbsentField extends Error {
  constructor(readonly path: string) {
    super(`reads ${path}, which is absent (seed every field a state reads)`);
  }
}

const pathText = (expr: Extract<Expr, { kind: 'path' }>) =>
  expr.root + expr.steps.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('');

export function evaluate(expr: Expr, scope: Scope): unknown {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'path': {
      const v = walk(scope[expr.root], expr.steps);
      if (v === undefined) throw new AbsentField(pathText(expr));
      return v;
    }
    case 'array':
      return expr.items.map((e) => evaluate(e, scope));
    case 'not':
      return !truthy(evaluate(expr.operand, scope));
    case 'logical': {
      const left = truthy(evaluate(expr.left, scope));
      if (expr.op === '&&') return left && truthy(evaluate(expr.right, scope));
      return left || truthy(evaluate(expr.right, scope));
    }
    case 'compare': {
      const a = evaluate(expr.left, scope);
      const b = evaluate(expr.right, scope);
      switch (expr.op) {
        case '==':
          return equal(a, b);
        case '!=':
          return !equal(a, b);
        case 'in':
          return member(a, b);
        default:
          return order(expr.op, a, b);
      }
    }
  }
}

/** Conditions are true only for `true`, a non-zero number, a non-empty string or an object. */
export function truthy(v: unknown): boolean {
  return v !== undefined && v !== null && v !== false && v !== 0 && v !== '';
}

export const evaluateSource = (src: string, scope: Scope) => evaluate(parseExpression(src), scope);
