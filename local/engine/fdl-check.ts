import { parseDocument } from 'yaml';
import type * as z from 'zod';
import { ExpressionError, parseExpression, rootsOf, type Expr, type Root } from './expression.ts';
import { stateMachine, type Scope, type State, type StateMachine } from './fdl-schema.ts';

/**
 * Reads and checks a flow definition as CloudFlow would before accepting it: the schema of
 * every state, then the graph (names, targets, reachability of an end) and every expression.
 * Each problem names the file, the state path (`States/Poll/Seconds`) and what is wrong.
 */

export interface FlowProblem {
  file: string;
  path: string;
  message: string;
}

export type FlowCheck = { ok: true; flow: StateMachine } | { ok: false; problems: FlowProblem[] };

export const formatProblem = (p: FlowProblem) => `${p.file}: ${p.path || '(flow)'}: ${p.message}`;

export class FlowDefinitionError extends Error {
  constructor(readonly problems: FlowProblem[]) {
    super(problems.map(formatProblem).join('\n'));
  }
}

export function checkFlow(text: string, file = 'flow.yaml'): FlowCheck {
  const problems: FlowProblem[] = [];
  const add = (path: string, message: string) => problems.push({ file, path, message });

  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) add('', `not valid YAML: ${e.message}`);
    return { ok: false, problems };
  }
  const raw = doc.toJS() as unknown;
  if (raw && typeof raw === 'object' && 'type' in raw && (raw as { type: unknown }).type === 'flow') {
    add(
      'type',
      'this is the legacy FDL (`type: flow`, `steps`); write the current spec: `Type: StateMachine`, `SpecVersion: v1`, `StartAt`, `States`',
    );
    return { ok: false, problems };
  }
  const parsed = stateMachine.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) add(statePath(raw, issue.path), describeIssue(issue));
    return { ok: false, problems };
  }
  checkScope(parsed.data, '', add);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, flow: parsed.data };
}

/** Parses and checks, throwing `FlowDefinitionError` with every problem. */
export function requireFlow(text: string, file?: string): StateMachine {
  const result = checkFlow(text, file);
  if (!result.ok) throw new FlowDefinitionError(result.problems);
  return result.flow;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')} (CloudFlow spells fields as in its FDL reference)`;
  if (issue.code === 'invalid_union' && 'discriminator' in issue)
    return 'Type must be one of Task, Pass, Wait, Choice, Succeed, Fail, Parallel, Map';
  return issue.message;
}

/** Turns `['States', 3, 'Retry', 0]` into `States/Poll/Retry/0` using the state names. */
function statePath(raw: unknown, path: PropertyKey[]): string {
  const parts: string[] = [];
  let node: unknown = raw;
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    const next = node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key as string] : undefined;
    const prev = path[i - 1];
    if (
      typeof key === 'number' &&
      (prev === 'States' || prev === 'Branches') &&
      next &&
      typeof next === 'object' &&
      typeof (next as { Name?: unknown }).Name === 'string'
    ) {
      parts.push((next as { Name: string }).Name);
    } else parts.push(String(key));
    node = next;
  }
  return parts.join('/');
}

type Add = (path: string, message: string) => void;

function checkScope(scope: Scope, prefix: string, add: Add) {
  const at = (p: string) => (prefix ? `${prefix}/${p}` : p);
  const names = new Map<string, State>();
  for (const s of scope.States) {
    if (names.has(s.Name)) add(at(`States/${s.Name}`), `duplicate state name "${s.Name}" in this scope`);
    names.set(s.Name, s);
  }
  if (!names.has(scope.StartAt)) add(at('StartAt'), `"${scope.StartAt}" is not a state in this scope`);
  const target = (path: string, next: string) => {
    if (!names.has(next)) add(path, `"${next}" is not a state in this scope`);
  };

  for (const s of scope.States) {
    const here = at(`States/${s.Name}`);
    const next = 'Next' in s ? s.Next : undefined;
    const end = 'End' in s && s.End === true;
    if (next !== undefined && end) add(here, 'has both Next and End');
    if (next !== undefined) target(`${here}/Next`, next);
    if (['Task', 'Pass', 'Wait', 'Parallel', 'Map'].includes(s.Type) && next === undefined && !end) add(here, 'needs Next or End: true');
    checkConstructors(s, here, add);
    switch (s.Type) {
      case 'Choice':
        s.Branches.forEach((b, i) => {
          target(`${here}/Branches/${i}/Next`, b.Next);
          checkExpression(b.Condition, `${here}/Branches/${i}/Condition`, ['$Input', '$Context', '$Global'], add);
          checkCondition(b.Condition, `${here}/Branches/${i}/Condition`, add);
        });
        target(`${here}/Default`, s.Default);
        break;
      case 'Wait':
        if ((s.Seconds === undefined) === (s['Seconds.$'] === undefined)) add(here, 'needs exactly one of Seconds (1–300) or Seconds.$');
        if (s['Seconds.$'] !== undefined) checkExpression(s['Seconds.$'], `${here}/Seconds.$`, ['$Input', '$Context', '$Global'], add);
        break;
      case 'Task':
        if (s.Parameters) checkTemplate(s.Parameters, `${here}/Parameters`, ['$Input', '$Context', '$Global'], add);
        break;
      case 'Parallel':
        s.Branches.forEach((b, i) => checkScope(b, `${here}/Branches/${i}`, add));
        break;
      case 'Map':
        checkExpression(s.ItemsPath, `${here}/ItemsPath`, ['$Input', '$Context', '$Global'], add);
        checkScope(s.Processor, `${here}/Processor`, add);
        break;
    }
    if ('Retry' in s && s.Retry) checkErrors(s.Retry, `${here}/Retry`, add);
    if ('Catch' in s && s.Catch) {
      checkErrors(s.Catch, `${here}/Catch`, add);
      s.Catch.forEach((c, i) => {
        target(`${here}/Catch/${i}/Next`, c.Next);
        if (c.OutputConstructor)
          checkTemplate(c.OutputConstructor, `${here}/Catch/${i}/OutputConstructor`, ['$Input', '$Context', '$Global'], add);
      });
    }
  }

  if (!names.has(scope.StartAt)) return;
  const reachable = reach(scope, names);
  if (![...reachable].some((n) => isTerminal(names.get(n)!)))
    add(at('StartAt'), 'no end is reachable: every path loops forever (add End: true, a Succeed or a Fail)');
  for (const s of scope.States) if (!reachable.has(s.Name)) add(at(`States/${s.Name}`), 'is never reached from StartAt');
}

const isTerminal = (s: State) => s.Type === 'Succeed' || s.Type === 'Fail' || ('End' in s && s.End === true);

function successors(s: State): string[] {
  const out: string[] = [];
  if ('Next' in s && s.Next) out.push(s.Next);
  if (s.Type === 'Choice') out.push(...s.Branches.map((b) => b.Next), s.Default);
  if ('Catch' in s && s.Catch) out.push(...s.Catch.map((c) => c.Next));
  return out;
}

function reach(scope: Scope, names: Map<string, State>): Set<string> {
  const seen = new Set<string>();
  const todo = [scope.StartAt];
  while (todo.length) {
    const n = todo.pop()!;
    const s = names.get(n);
    if (!s || seen.has(n)) continue;
    seen.add(n);
    todo.push(...successors(s));
  }
  return seen;
}

/**
 * Error names CloudFlow documents (error-handling page): `FnF.ALL`, `FC.{ErrorCode}` for a
 * non-200 answer from FC, and custom names (a Fail state's Code, a function's own error).
 * `FnF.*` names other than the wildcard appear on no page, and FC reports an unhandled function
 * error with HTTP 200 (the X-Fc-Error-Type header), so `FC.UnhandledInvocationError` names no
 * non-200 answer: a rule on either might never match.
 */
function checkErrors(policies: { Errors: string[] }[], path: string, add: Add) {
  policies.forEach((p, i) =>
    p.Errors.forEach((e, j) => {
      const at = `${path}/${i}/Errors/${j}`;
      if (/^(fnf|states)\.all$/i.test(e) && e !== 'FnF.ALL') add(at, `"${e}" is not the wildcard; CloudFlow spells it FnF.ALL`);
      else if (/^fnf\./i.test(e) && e !== 'FnF.ALL')
        add(at, `"${e}" is not an error name CloudFlow documents (only FnF.ALL, FC.{ErrorCode} and custom names); match it with FnF.ALL`);
      else if (e === 'FC.UnhandledInvocationError')
        add(
          at,
          'FC answers an unhandled function error with HTTP 200, and FC.{ErrorCode} names non-200 answers: this rule may never match; use FnF.ALL',
        );
    }),
  );
}

/**
 * Choice conditions in the documented forms (Choice page, conditional expressions): string,
 * number and boolean constants, `! && || in`, comparisons for strings and numbers. No `null`,
 * and no comparison with a boolean constant (test the value itself, or compare strings).
 */
function checkCondition(src: string, path: string, add: Add) {
  let expr: Expr;
  try {
    expr = parseExpression(src);
  } catch {
    return; // reported by checkExpression
  }
  const visit = (e: Expr): void => {
    if (e.kind === 'literal' && e.value === null)
      add(path, '`null` is not a constant CloudFlow documents for conditions; branch on a string or number every handler always returns');
    if (e.kind === 'compare' && e.op !== 'in' && [e.left, e.right].some((x) => x.kind === 'literal' && typeof x.value === 'boolean'))
      add(path, 'comparisons are documented for strings and numbers, not booleans; compare strings instead');
    if (e.kind === 'not') visit(e.operand);
    if (e.kind === 'logical' || e.kind === 'compare') {
      visit(e.left);
      visit(e.right);
    }
    if (e.kind === 'array') e.items.forEach(visit);
  };
  visit(expr);
}

function checkConstructors(s: State, here: string, add: Add) {
  const fields = s as Record<string, unknown>;
  for (const [field, roots] of [
    ['InputConstructor', ['$Input', '$Context', '$Global']],
    ['OutputConstructor', ['$Input', '$Output', '$Context', '$Global']],
    ['GlobalConstructor', ['$Input', '$Output', '$Context', '$Global']],
  ] as const) {
    if (fields[field]) checkTemplate(fields[field], `${here}/${field}`, roots, add);
  }
}

/** Every key ending in `.$` must hold a valid expression over the variables allowed here. */
function checkTemplate(value: unknown, path: string, allowed: readonly Root[], add: Add) {
  if (Array.isArray(value)) value.forEach((v, i) => checkTemplate(v, `${path}/${i}`, allowed, add));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.endsWith('.$')) {
        if (typeof v !== 'string') add(`${path}/${k}`, 'a key ending in .$ must hold an expression string');
        else checkExpression(v, `${path}/${k}`, allowed, add);
      } else checkTemplate(v, `${path}/${k}`, allowed, add);
    }
  }
}

function checkExpression(src: string, path: string, allowed: readonly Root[], add: Add) {
  try {
    const roots = rootsOf(parseExpression(src));
    for (const r of roots) if (!allowed.includes(r)) add(path, `${r} is not available here (only ${allowed.join(', ')})`);
  } catch (e) {
    if (e instanceof ExpressionError) add(path, `invalid expression: ${e.message}`);
    else throw e;
  }
}

/** States in a flow, nested ones included. */
export function countStates(scope: Scope): number {
  return scope.States.reduce(
    (n, s) =>
      n +
      1 +
      (s.Type === 'Parallel' ? s.Branches.reduce((m, b) => m + countStates(b), 0) : s.Type === 'Map' ? countStates(s.Processor) : 0),
    0,
  );
}
