import { describe, expect, it } from 'vitest';
import { AbsentField, evaluateSource, ExpressionError, parseExpression } from '../local/engine/expression.ts';

const scope = {
  $Input: {
    ready: true,
    attempt: 3,
    status: 'Active',
    zones: ['cn-hangzhou-h', 'cn-hangzhou-j'],
    nested: { 'a-b': [10, { x: 'y' }] },
    empty: '',
  },
  $Context: { Execution: { Name: 'run-1' }, Current: { Error: { Code: 'FC.UnhandledInvocationError' }, RetryCount: 2 } },
  $Global: { endpointId: 'ep-1' },
};
const ev = (src: string) => evaluateSource(src, scope);

describe('CloudFlow expressions', () => {
  it.each([
    ['$Input.ready == true && $Input.attempt < 40', true],
    ['$Input.ready == false || $Input.attempt >= 3', true],
    ['!$Input.ready', false],
    ['!($Input.attempt > 3)', true],
    ['$Input.attempt <= 2', false],
    ['$Input.status != "Active"', false],
    ["$Input.status == 'Active'", true],
    ['"cn-hangzhou-j" in $Input.zones', true],
    ['"cn-hangzhou-k" in $Input.zones', false],
    ['$Input.status in ["Creating", "Active"]', true],
    ['"Act" in $Input.status', true],
    ['"ready" in $Input', true],
    ['$Context.Current.Error.Code == "FC.UnhandledInvocationError"', true],
    ['$Context.Current.RetryCount > 1', true],
    ['$Global.endpointId == "ep-1"', true],
    ['$Input.status != null', true],
    ['$Input.status < 5', false],
    ['1.5 < 2 && -1 < 0', true],
    ['!$Input.empty', true],
  ])('%s → %s', (src, want) => {
    expect(ev(src)).toBe(want);
  });

  it('reads paths with hyphenated names, indexes and quoted keys', () => {
    expect(ev('$Input.nested.a-b[1].x')).toBe('y');
    expect(ev('$Input.nested["a-b"][0]')).toBe(10);
    // A path to nothing: CloudFlow documents no answer, so the engine refuses to guess one.
    for (const src of ['$Input.zones[5]', '$Input.missing == null', '$Input.missing.deeper == 1'])
      expect(() => ev(src)).toThrow(AbsentField);
    expect(ev('$Input')).toEqual(scope.$Input);
  });

  it.each([
    ['$Inputs.ready', /unknown variable \$Inputs/],
    ['$Input.ready = true', /unexpected character "="/],
    ['$Input.ready == ', /expected a value/],
    ['$Input.status == Active', /unknown word `Active`/],
    ['($Input.ready', /expected `\)`/],
    ['"open', /unterminated string/],
    ['', /empty expression/],
    ['$Input.zones[-1]', /expected an index/],
    ['$Input.ready true', /unexpected text after the expression/],
    ['process.exit(1)', /unknown word `process`/],
  ])('rejects %j with a message naming the problem', (src, message) => {
    expect(() => parseExpression(src)).toThrow(ExpressionError);
    expect(() => parseExpression(src)).toThrow(message);
  });
});
