import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateFlows, readmeWithChart } from '../flows/generate.ts';
import { emitYaml } from '../flows/gen/emit.ts';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..');
const generated = generateFlows();

describe('flows/*.yaml', () => {
  it.each(Object.keys(generated))('%s is what flows/*.ts generate (regenerate with `npm run flows`)', (file) => {
    expect(readFileSync(join(root, 'flows', file), 'utf8')).toBe(generated[file]);
  });

  it("the README's chart is the one `npm run flows` draws from the generated provision flow", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readmeWithChart(readme, generated['provision.yaml']!)).toBe(readme);
    // A chart that no longer matches the flow is redrawn, not kept.
    const stale = readme.replace(/```mermaid\n/, '```mermaid\n%% stale\n');
    expect(readmeWithChart(stale, generated['provision.yaml']!)).toBe(readme);
  });

  it('every committed flow has a description', () => {
    const committed = ['provision.yaml', 'teardown.yaml', 'drift.yaml', 'follow.yaml', 'adopt.yaml', 'doctor.yaml'];
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
