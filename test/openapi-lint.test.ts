import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../shared/http/openapi.ts';

/**
 * The OpenAPI document through a real linter: Redocly CLI's `lint` with its recommended rules
 * (redocly.yaml), as a process, its telemetry and update check off and every connection
 * beyond loopback refused (test/support/loopback-only.mjs).
 */

interface Lint {
  totals: { errors: number; warnings: number };
  problems: { severity: string; ruleId: string; message: string; location: { pointer: string }[] }[];
}

function lint(doc: unknown): Lint {
  const dir = mkdtempSync(join(tmpdir(), 'zpl-openapi-'));
  writeFileSync(join(dir, 'openapi.json'), JSON.stringify(doc, null, 2));
  const cli = resolve('node_modules/@redocly/cli/bin/cli.js');
  const r = spawnSync(
    'node',
    [
      '--import',
      resolve('test/support/loopback-only.mjs'),
      cli,
      'lint',
      'openapi.json',
      '--config',
      resolve('redocly.yaml'),
      '--format=json',
    ],
    {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      timeout: 120_000,
    },
  );
  return JSON.parse(r.stdout) as Lint;
}

describe('the OpenAPI document', () => {
  it('passes Redocly lint (recommended rules) with no errors; the one warning is the health check without a 4xx', () => {
    const result = lint(openApiDocument());
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
    // GET /healthz answers 200 before any check runs (shared/http/app.ts): it has no 4xx to document.
    expect(result.problems.map((p) => [p.ruleId, p.location[0]!.pointer])).toEqual([
      ['operation-4xx-response', '#/paths/~1healthz/get/responses'],
    ]);
  });

  it('the linter does find problems: a document without servers and summaries fails', () => {
    const { servers: _, ...doc } = openApiDocument();
    const result = lint(doc);
    expect(result.problems.map((p) => p.ruleId)).toContain('no-empty-servers');
    expect(result.totals.errors).toBeGreaterThan(0);
  });

  it('models signed requests as the three headers together, and the operations each with an ID and a summary', () => {
    const doc = openApiDocument();
    expect(doc.security).toEqual([{ bearer: [] }, { signature: [], timestamp: [], nonce: [] }]);
    expect(Object.values(doc.components.securitySchemes).map((s) => ('name' in s ? s.name : s.scheme))).toEqual([
      'bearer',
      'X-Zpl-Signature',
      'X-Zpl-Timestamp',
      'X-Zpl-Nonce',
    ]);
  });
});
