import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateFlows } from '../flows/generate.ts';
import { emitYaml } from '../shared/flow-gen/emit.ts';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..');
const generated = generateFlows();

describe('flows/*.yaml', () => {
  it.each(Object.keys(generated))('%s is what flows/*.ts generate (regenerate with `npm run flows`)', (file) => {
    expect(readFileSync(join(root, 'flows', file), 'utf8')).toBe(generated[file]);
  });

  it('every committed flow has a description', () => {
    const committed = ['provision.yaml', 'teardown.yaml', 'drift.yaml'];
    expect(Object.keys(generated).sort()).toEqual(committed.sort());
  });
});

describe('the flow YAML writer', () => {
  it('writes what YAML reads back: quoted numeric strings, flow lists, nulls, comments', () => {
    const doc = { a: '780', b: ['X.Y', 'Z'], c: null, '# why': null, d: [{ '# item': null, e: 1, f: { 'g.$': '$Input.x == "y"' } }] };
    const text = emitYaml(['head'], doc);
    expect(text).toBe('# head\na: "780"\nb: [X.Y, Z]\nc: null\n# why\nd:\n  # item\n  - e: 1\n    f:\n      g.$: $Input.x == "y"\n');
    expect(parse(text)).toEqual({ a: '780', b: ['X.Y', 'Z'], c: null, d: [{ e: 1, f: { 'g.$': '$Input.x == "y"' } }] });
  });

  it('refuses a string plain YAML would misread', () => {
    expect(() => emitYaml([], { a: 'key: value' })).toThrow(/plain scalar/);
    expect(() => emitYaml([], { a: '# not a comment' })).toThrow(/plain scalar/);
  });
});
