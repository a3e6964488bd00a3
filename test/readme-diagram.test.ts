import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mermaid } from '../local/engine/diagram.ts';
import { requireFlow } from '../local/engine/fdl-check.ts';

const root = join(import.meta.dirname, '..');

describe('the README', () => {
  it('shows the provision flow as generated from flows/provision.yaml (regenerate with `zpl diagram`)', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const block = /```mermaid\n([\s\S]*?)\n```/.exec(readme)?.[1];
    expect(block).toBe(mermaid(requireFlow(readFileSync(join(root, 'flows', 'provision.yaml'), 'utf8'))));
  });

  it('opens with the two commands a newcomer needs', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(readme.slice(0, 800)).toMatch(/npm ci && npm start/);
    expect(readme.slice(0, 800)).toMatch(/npm test/);
    expect(scripts.start).toBe('node bin/zpl.mjs demo');
    expect(scripts.test).toBe('vitest run');
  });
});
