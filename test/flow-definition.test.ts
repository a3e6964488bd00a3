import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFlow, formatProblem } from '../local/engine/fdl-check.ts';

const flow = (states: string, extra = '') => `Type: StateMachine
Name: t
SpecVersion: v1
StartAt: A
${extra}States:
${states}`;

const problems = (text: string) => {
  const r = checkFlow(text, 'flows/t.yaml');
  return r.ok ? [] : r.problems.map(formatProblem);
};

describe('flow definitions', () => {
  const dir = join(import.meta.dirname, '..', 'flows');
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

  it('the repo has flows, and every one of them passes the checks', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(problems(readFileSync(join(dir, f), 'utf8')), f).toEqual([]);
  });

  it('accepts a flow using every state type', () => {
    const text = flow(`  - Name: A
    Type: Pass
    InputConstructor:
      n.$: $Input.n
    Next: T
  - Name: T
    Type: Task
    Action: FC:InvokeFunction
    TaskMode: RequestComplete
    Timeout: "30"
    Parameters:
      resourceArn: acs:fc:::functions/echo/LATEST
      invocationType: Sync
      body.$: $Input
    Retry:
      - Description: rule
        Errors: [FC.ResourceThrottled]
        MaxAttempts: 3
        IntervalSeconds: 2
        BackoffRate: 2
        MaxBackoffSeconds: 10
    Catch:
      - Description: rule
        Errors: [FnF.ALL]
        Next: F
        OutputConstructor:
          code.$: $Context.Current.Error.Code
    OutputConstructor:
      body.$: $Output.Body
    Next: W
  - Name: W
    Type: Wait
    Seconds.$: $Input.delay
    Next: C
  - Name: C
    Type: Choice
    Branches:
      - Condition: $Input.done
        Next: P
    Default: W
  - Name: P
    Type: Parallel
    Branches:
      - StartAt: B1
        States:
          - Name: B1
            Type: Succeed
    Next: M
  - Name: M
    Type: Map
    ItemsPath: $Input.items
    MaxConcurrency: 2
    Processor:
      StartAt: I
      States:
        - Name: I
          Type: Pass
          End: true
    Next: S
  - Name: S
    Type: Succeed
  - Name: F
    Type: Fail
    Code: Failed
    Detail: it failed
`);
    expect(problems(text)).toEqual([]);
  });

  it.each([
    ['the legacy dialect', 'type: flow\nversion: v1\nname: x\nsteps:\n  - type: pass\n    name: p\n', /legacy FDL \(`type: flow`/],
    [
      'a Wait over 300 seconds',
      flow('  - Name: A\n    Type: Wait\n    Seconds: 301\n    End: true\n'),
      /States\/A\/Seconds: must be between 1 and 300/,
    ],
    [
      'a Wait of 0 seconds',
      flow('  - Name: A\n    Type: Wait\n    Seconds: 0\n    End: true\n'),
      /States\/A\/Seconds: must be between 1 and 300/,
    ],
    [
      'a Choice without Default',
      flow('  - Name: A\n    Type: Choice\n    Branches:\n      - Condition: $Input.x == 1\n        Next: A\n'),
      /States\/A\/Default/,
    ],
    [
      'a Choice with Next',
      flow(
        '  - Name: A\n    Type: Choice\n    Branches:\n      - Condition: $Input.x == 1\n        Next: B\n    Default: B\n    Next: B\n  - Name: B\n    Type: Succeed\n',
      ),
      /States\/A: unknown field Next/,
    ],
    [
      'a missing Next target',
      flow('  - Name: A\n    Type: Pass\n    Next: Nowhere\n'),
      /States\/A\/Next: "Nowhere" is not a state in this scope/,
    ],
    ['a missing StartAt', flow('  - Name: B\n    Type: Succeed\n'), /StartAt: "A" is not a state/],
    ['duplicate names', flow('  - Name: A\n    Type: Pass\n    End: true\n  - Name: A\n    Type: Succeed\n'), /duplicate state name "A"/],
    ['a state without Next or End', flow('  - Name: A\n    Type: Pass\n'), /States\/A: needs Next or End: true/],
    ['Next and End together', flow('  - Name: A\n    Type: Pass\n    Next: A\n    End: true\n'), /has both Next and End/],
    ['a Fail without Detail', flow('  - Name: A\n    Type: Fail\n    Code: X\n'), /States\/A\/Detail/],
    [
      'a misspelled Retry field',
      flow(
        '  - Name: A\n    Type: Task\n    Action: FC:InvokeFunction\n    Retry:\n      - Errors: [FnF.ALL]\n        MaxAttempt: 3\n    End: true\n',
      ),
      /States\/A\/Retry\/0: unknown field MaxAttempt/,
    ],
    [
      'a misspelled wildcard',
      flow(
        '  - Name: A\n    Type: Task\n    Action: FC:InvokeFunction\n    Catch:\n      - Description: any\n        Errors: [FnF.All]\n        Next: A\n    End: true\n',
      ),
      /"FnF.All" is not the wildcard; CloudFlow spells it FnF.ALL/,
    ],
    [
      'an invalid .$ expression',
      flow('  - Name: A\n    Type: Pass\n    OutputConstructor:\n      x.$: $Input.a ==\n    End: true\n'),
      /States\/A\/OutputConstructor\/x\.\$: invalid expression/,
    ],
    [
      '$Output outside an OutputConstructor',
      flow('  - Name: A\n    Type: Pass\n    InputConstructor:\n      x.$: $Output.Body\n    End: true\n'),
      /\$Output is not available here/,
    ],
    [
      'an invalid Condition',
      flow(
        '  - Name: A\n    Type: Choice\n    Branches:\n      - Condition: $Input.x === 1\n        Next: B\n    Default: B\n  - Name: B\n    Type: Succeed\n',
      ),
      /Branches\/0\/Condition: invalid expression/,
    ],
    [
      'a loop with no way out',
      flow('  - Name: A\n    Type: Pass\n    Next: B\n  - Name: B\n    Type: Pass\n    Next: A\n'),
      /no end is reachable/,
    ],
    ['an unreachable state', flow('  - Name: A\n    Type: Succeed\n  - Name: B\n    Type: Succeed\n'), /States\/B: is never reached/],
    ['an unknown state type', flow('  - Name: A\n    Type: Sleep\n    End: true\n'), /Type must be one of Task, Pass, Wait/],
    [
      'a wrong SpecVersion',
      'Type: StateMachine\nName: t\nSpecVersion: v2\nStartAt: A\nStates:\n  - Name: A\n    Type: Succeed\n',
      /SpecVersion/,
    ],
    [
      'a problem inside a Parallel branch',
      flow(
        '  - Name: A\n    Type: Parallel\n    Branches:\n      - StartAt: X\n        States:\n          - Name: Y\n            Type: Succeed\n    End: true\n',
      ),
      /States\/A\/Branches\/0\/StartAt: "X" is not a state/,
    ],
    [
      'a wrong TaskMode',
      flow('  - Name: A\n    Type: Task\n    Action: FC:InvokeFunction\n    TaskMode: Sync\n    End: true\n'),
      /States\/A\/TaskMode/,
    ],
    ['YAML that does not parse', 'Type: [StateMachine\n', /not valid YAML/],
    // Rules CloudFlow's pages state (error-handling, task-task, select-choice): the shipped flows once broke each.
    [
      'a Retry rule without Description',
      flow(
        '  - Name: A\n    Type: Task\n    Action: FC:InvokeFunction\n    Retry:\n      - Errors: [FnF.ALL]\n        MaxAttempts: 1\n        IntervalSeconds: 1\n    End: true\n',
      ),
      /States\/A\/Retry\/0\/Description: is required/,
    ],
    [
      'a Catch rule without Description',
      flow(
        '  - Name: A\n    Type: Task\n    Action: FC:InvokeFunction\n    Catch:\n      - Errors: [FnF.ALL]\n        Next: A\n    End: true\n',
      ),
      /States\/A\/Catch\/0\/Description: is required/,
    ],
    [
      'a Task Timeout written as a number',
      flow('  - Name: A\n    Type: Task\n    Action: FC:InvokeFunction\n    Timeout: 120\n    End: true\n'),
      /States\/A\/Timeout: must be a string of seconds/,
    ],
    [
      'a Task Timeout over 7 days',
      flow('  - Name: A\n    Type: Task\n    Action: FC:InvokeFunction\n    Timeout: "604801"\n    End: true\n'),
      /States\/A\/Timeout: must be at most 604800/,
    ],
    [
      'a retry on FnF.Timeout',
      flow(
        '  - Name: A\n    Type: Task\n    Action: FC:InvokeFunction\n    Retry:\n      - Description: r\n        Errors: [FnF.Timeout]\n        MaxAttempts: 1\n        IntervalSeconds: 1\n    End: true\n',
      ),
      /"FnF.Timeout" is not an error name CloudFlow documents/,
    ],
    [
      'a retry on FC.UnhandledInvocationError',
      flow(
        '  - Name: A\n    Type: Task\n    Action: FC:InvokeFunction\n    Retry:\n      - Description: r\n        Errors: [FC.UnhandledInvocationError]\n        MaxAttempts: 1\n        IntervalSeconds: 1\n    End: true\n',
      ),
      /HTTP 200, and FC.\{ErrorCode\} names non-200 answers/,
    ],
    [
      'a condition comparing with null',
      flow(
        '  - Name: A\n    Type: Choice\n    Branches:\n      - Condition: $Input.failed != null\n        Next: B\n    Default: B\n  - Name: B\n    Type: Succeed\n',
      ),
      /`null` is not a constant CloudFlow documents/,
    ],
    [
      'a condition comparing with true',
      flow(
        '  - Name: A\n    Type: Choice\n    Branches:\n      - Condition: $Input.wait.ready == true\n        Next: B\n    Default: B\n  - Name: B\n    Type: Succeed\n',
      ),
      /comparisons are documented for strings and numbers, not booleans/,
    ],
  ])('rejects %s, naming the file, the state path and the problem', (_what, text, message) => {
    const found = problems(text);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((p) => p.startsWith('flows/t.yaml: '))).toBe(true);
    expect(found.join('\n')).toMatch(message);
  });
});
