import type { RecordedCall, RecordedCase, Snapshot } from './snapshot.ts';
import { underEmptyList } from './shape.ts';

/**
 * Compares one target's snapshot with the expected side's, call by call (matched by label within
 * a case): outcome, HTTP status, error code, shape (keys and JSON types, recursively) and status
 * words. Each side is also held to what the cases declare (codes from the metadata, status words)
 * and to the product's own catalog (would `shared/aliyun/catalog` accept this answer?).
 */
export type FindingKind =
  | 'aborted'
  | 'declared'
  | 'catalog'
  | 'call-missing'
  | 'call-extra'
  | 'outcome'
  | 'code'
  | 'http-status'
  | 'field-missing'
  | 'field-extra'
  | 'field-type'
  | 'literal';

export interface Finding {
  kind: FindingKind;
  /** The call's label within its case. */
  call?: string;
  /** The target whose answer this is about (declared, catalog, aborted). */
  side?: string;
  path?: string;
  expected?: unknown;
  actual?: unknown;
  detail?: string;
}

export interface CaseResult {
  id: string;
  title: string;
  /** `matched`: no finding; `not-run`: the run's options or variables left it out; `unrecorded`: no expected answer to compare with, its own checks passed. */
  status: 'matched' | 'differed' | 'not-run' | 'unrecorded';
  reason?: string;
  calls: number;
  findings: Finding[];
}

export function compareSnapshots(actual: Snapshot, expected?: Snapshot): CaseResult[] {
  return Object.entries(actual.cases).map(([id, mine]) => compareCase(id, mine, actual.target, expected?.cases[id], expected?.target));
}

function compareCase(id: string, mine: RecordedCase, side: string, theirs: RecordedCase | undefined, theirSide?: string): CaseResult {
  const base = { id, title: mine.title, calls: mine.calls.length };
  if (mine.status === 'not-run') return { ...base, status: 'not-run', reason: mine.reason, findings: [] };
  const findings: Finding[] = [...ownChecks(mine, side)];
  const comparable = theirs && theirs.status !== 'not-run';
  if (comparable) {
    findings.push(...ownChecks(theirs, theirSide ?? 'expected'));
    const theirCalls = new Map(theirs.calls.map((c) => [c.label, c]));
    const myLabels = new Set(mine.calls.map((c) => c.label));
    for (const call of mine.calls) {
      const other = theirCalls.get(call.label);
      if (!other) findings.push({ kind: 'call-extra', call: call.label, detail: `only ${side} made this call` });
      else findings.push(...compareCall(other, call));
    }
    for (const other of theirs.calls)
      if (!myLabels.has(other.label)) findings.push({ kind: 'call-missing', call: other.label, detail: `${side} never made this call` });
  }
  const status = findings.length > 0 ? 'differed' : comparable ? 'matched' : 'unrecorded';
  return { ...base, status, findings };
}

/** What one side's answers break by themselves: the case stopped, a declared code or word, the catalog. */
function ownChecks(recorded: RecordedCase, side: string): Finding[] {
  const out: Finding[] = [];
  if (recorded.status === 'aborted') out.push({ kind: 'aborted', side, detail: recorded.reason });
  for (const call of recorded.calls) {
    if (call.catalogProblem) out.push({ kind: 'catalog', side, call: call.label, detail: call.catalogProblem });
    const d = call.declared;
    if (!d) continue;
    if (d.code !== undefined && call.code !== d.code)
      out.push({
        kind: 'declared',
        side,
        call: call.label,
        path: 'code',
        expected: d.code,
        actual: call.code ?? call.outcome,
        detail: d.source,
      });
    if (d.httpStatus !== undefined && call.httpStatus !== d.httpStatus)
      out.push({
        kind: 'declared',
        side,
        call: call.label,
        path: 'httpStatus',
        expected: d.httpStatus,
        actual: call.httpStatus ?? call.outcome,
        detail: d.source,
      });
    for (const [path, word] of Object.entries(d.literals ?? {})) {
      const seen = call.literals[path];
      if (!seen || seen.length !== 1 || seen[0] !== word)
        out.push({
          kind: 'declared',
          side,
          call: call.label,
          path,
          expected: word,
          actual: seen ?? call.code ?? 'absent',
          detail: d.source,
        });
    }
  }
  return out;
}

function compareCall(expected: RecordedCall, actual: RecordedCall): Finding[] {
  const call = actual.label;
  const out: Finding[] = [];
  if (expected.api !== actual.api)
    out.push({ kind: 'call-extra', call, expected: expected.api, actual: actual.api, detail: 'another API under this label' });
  if (expected.outcome !== actual.outcome) {
    out.push({ kind: 'outcome', call, expected: expected.code ?? expected.outcome, actual: actual.code ?? actual.outcome });
    return out;
  }
  if (expected.code !== actual.code) out.push({ kind: 'code', call, expected: expected.code, actual: actual.code });
  if (expected.httpStatus !== actual.httpStatus)
    out.push({ kind: 'http-status', call, expected: expected.httpStatus, actual: actual.httpStatus });
  for (const [path, type] of Object.entries(expected.shape)) {
    const mine = actual.shape[path];
    if (mine === undefined) {
      if (!underEmptyList(path, actual.shape)) out.push({ kind: 'field-missing', call, path, expected: type });
    } else if (mine !== type) out.push({ kind: 'field-type', call, path, expected: type, actual: mine });
  }
  for (const [path, type] of Object.entries(actual.shape))
    if (expected.shape[path] === undefined && !underEmptyList(path, expected.shape))
      out.push({ kind: 'field-extra', call, path, actual: type });
  if (expected.compareLiterals && actual.compareLiterals) {
    for (const [path, words] of Object.entries(expected.literals)) {
      const mine = actual.literals[path];
      if (mine && mine.join('|') !== words.join('|')) out.push({ kind: 'literal', call, path, expected: words, actual: mine });
    }
  }
  return out;
}
