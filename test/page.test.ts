import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO } from '../local/emulators/fixtures.ts';
import { startStack, type Stack } from '../local/stack.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { CONTENT_SECURITY_POLICY } from '../shared/page/app.ts';
import { issueSession, SESSION_SECONDS, validSession } from '../shared/page/session.ts';
import { pageLanguage } from '../shared/page/language.ts';
import { drift, edit } from './support/drift.ts';
import { finish } from './support/provision.ts';
import { launchChromium, TEST_OUTPUT } from './support/browser.ts';
import { linkSpec, manyLinksSeed } from './support/vpcs.ts';

/**
 * The status page as a person meets it, in headless Chromium against the local stack: a login
 * first, then links provisioned, failed and drifted a moment ago, a ticket's outcome, the latest
 * drift report, and an execution's chart whose highlighted state moves while the run does.
 */

let stack: Stack;
let browser: Browser;
let edge: string;
const runs: Record<'ticketed' | 'drifted' | 'failed', string> = { ticketed: '', drifted: '', failed: '' };
const links: Record<'ticketed' | 'drifted' | 'failed', string> = { ticketed: '', drifted: '', failed: '' };

async function apiStart(spec: unknown): Promise<string> {
  const r = await fetch(`${edge}/v1/links`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.file.apiToken}` },
    body: JSON.stringify(spec),
  });
  expect(r.status).toBe(202);
  return ((await r.json()) as { execution: string }).execution;
}

async function ticket(ticketId: string, spec: unknown): Promise<string> {
  const r = await fetch(`${edge}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/cloudevents+json' },
    body: JSON.stringify({
      id: `evt-${ticketId}`,
      source: 'acs.ticketing',
      type: 'zpl.link.requested',
      specversion: '1.0',
      datacontenttype: 'application/json',
      aliyunaccountid: DEMO.accountId,
      aliyunregionid: DEMO.region,
      data: { ticketId, spec },
    }),
  });
  const [intake] = (await r.json()) as { accepted: boolean; execution: string }[];
  expect(intake).toMatchObject({ accepted: true });
  return intake!.execution;
}

async function signIn(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${edge}/page`);
  await page.getByLabel(/API token|API 令牌/).fill(stack.file.apiToken);
  await page.getByRole('button', { name: /Sign in|登录/ }).click();
  await page.locator('#links').waitFor();
  return page;
}

beforeAll(async () => {
  browser = await launchChromium();
  stack = await startStack({ stateDir: mkdtempSync(join(tmpdir(), 'zpl-page-')), seed: manyLinksSeed({ vpcs: 4, projects: 1 }) });
  edge = stack.file.edgeUrl;
  // A link asked for by a ticket, provisioned a moment ago.
  runs.ticketed = await ticket('T-7001', linkSpec(0, 0));
  const ticketed = await finish(stack, runs.ticketed);
  expect(ticketed.rec.status).toBe('Succeeded');
  links.ticketed = ticketed.report!.linkId;
  // A link whose record someone deleted by hand, found by the drift check.
  runs.drifted = await apiStart(linkSpec(1, 0));
  const drifted = await finish(stack, runs.drifted);
  expect(drifted.rec.status).toBe('Succeeded');
  links.drifted = drifted.report!.linkId;
  await edit(stack, { op: 'deleteRecord', zoneId: drifted.report!.dnsZoneId!, rr: `${DEMO.clusterId}-privatelink` });
  const check = await drift(stack);
  expect(check.report.links.map((l) => l.linkId)).toEqual([links.drifted]);
  // A link whose spec names a zone its VPC has no vSwitch in: Validate stops it.
  runs.failed = await apiStart(linkSpec(2, 0, { zones: [{ zoneId: 'cn-hangzhou-h' }, { zoneId: 'cn-hangzhou-k' }] }));
  const failed = await finish(stack, runs.failed);
  expect(failed.rec.status).toBe('Failed');
  links.failed = failed.report!.linkId;
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('the status page in a browser', () => {
  it('asks for the API token first: no page, no data, and a wrong token refused', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    const answer = await page.goto(`${edge}/page`);
    expect(new URL(page.url()).pathname).toBe('/page/login');
    expect(answer!.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
    await expect(page.getByRole('heading', { name: 'Sign in' }).isVisible()).resolves.toBe(true);
    expect((await page.request.get(`${edge}/page/data/overview`)).status()).toBe(401);

    await page.getByLabel('API token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toBe('That token is not valid.');
    expect(await context.cookies()).toEqual([]);
    await context.close();
  });

  it('shows each link with its state and resources, the latest drift report and the ticket’s outcome', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    const page = await signIn(context);
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    const [session] = await context.cookies();
    expect(session).toMatchObject({ name: 'zpl_session', httpOnly: true, sameSite: 'Strict', secure: false, path: '/page' });

    const row = (id: string) => page.locator(`#links tr[data-link="${id}"]`);
    await row(links.ticketed).getByText('ready', { exact: true }).waitFor();
    const ticketed = (await row(links.ticketed).innerText()).replace(/\s+/g, ' ');
    expect(ticketed).toMatch(/Endpoint ep-\w+/);
    expect(ticketed).toMatch(/Security group sg-\w+/);
    expect(ticketed).toContain(`Records ${DEMO.clusterId}-privatelink.ali-cn-hangzhou.vectordb.zilliz.com.cn`);
    expect(ticketed).toContain('cn-hangzhou-h 10.0.1.10');

    expect(await row(links.drifted).locator('.badge').first().textContent()).toBe('drifted');
    expect(await row(links.drifted).innerText()).toContain('dns.record_missing');
    expect(await page.locator(`#drift tr[data-link="${links.drifted}"]`).innerText()).toContain('dns.record_missing');
    expect(await page.locator('#drift').innerText()).toMatch(/2 checked, 1 drifted/);

    expect(await row(links.failed).locator('.badge').first().textContent()).toBe('failed');
    expect(await row(links.failed).locator('.cause').textContent()).toMatch(/^Validate: \S+ — .*cn-hangzhou-k/);

    expect((await page.locator('#tickets tr[data-ticket="T-7001"]').innerText()).replace(/\s+/g, ' ')).toContain(
      `succeeded ${runs.ticketed}`,
    );
    // Nothing secret reaches the page.
    for (const secret of [stack.file.apiToken, stack.file.apiHmacSecret, stack.file.callbackSecret])
      expect(await page.content()).not.toContain(secret);
    await page.screenshot({ path: join(TEST_OUTPUT, 'page.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows a failed run's flow with the failing state marked and its cause", async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await signIn(context);
    await page.locator(`#links tr[data-link="${links.failed}"] a`, { hasText: runs.failed }).click();
    await page.locator('#execution[data-status="Failed"]').waitFor();
    expect(await page.locator('.cause-box').innerText()).toMatch(/Cause: Validate: .*cn-hangzhou-k/);
    await page.locator('svg.flow-chart g.failed[data-state="Validate"]').waitFor();
    expect(await page.locator('svg.flow-chart g.visited[data-state="Failed"]').count()).toBe(1);
    expect(await page.locator('svg.flow-chart g.visited[data-state="Allowlist"]').count()).toBe(0);
    await context.close();
  });

  it('highlights the state a running execution is in, and moves on with it', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await signIn(context);
    // Time stands still while the page looks: the new link's run waits in a check step until released.
    const release = stack.emulators.clock.hold();
    try {
      const name = await apiStart(linkSpec(3, 0));
      await page.goto(`${edge}/page#/executions/zpl-provision/${name}`);
      const active = page.locator('svg.flow-chart g.active');
      await active.first().waitFor();
      await page.locator('svg.flow-chart g.active[data-state="CheckEndpoint"]').waitFor();
      expect(await page.locator('#execution').getAttribute('data-status')).toBe('Running');
      expect(await page.locator('svg.flow-chart g.visited[data-state="EnsureEndpoint"]').count()).toBe(1);
      expect(await page.locator('tr[data-state="EnsureEndpoint"]').innerText()).toMatch(/created endpoint ep-/);
      await page.screenshot({ path: join(TEST_OUTPUT, 'execution-running.png'), fullPage: true });
      release();
      await page.locator('#execution[data-status="Succeeded"]').waitFor();
      await page.locator('svg.flow-chart g.visited[data-state="Done"]').waitFor();
      expect(await active.count()).toBe(0);
      await page.screenshot({ path: join(TEST_OUTPUT, 'execution-succeeded.png'), fullPage: true });
    } finally {
      release();
    }
    await context.close();
  });

  it('speaks Chinese when the browser asks for it, and switches language on request', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${edge}/page`);
    await expect(page.getByRole('heading', { name: '登录' }).isVisible()).resolves.toBe(true);
    await page.getByLabel('API 令牌').fill(stack.file.apiToken);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator(`#links tr[data-link="${links.ticketed}"]`).getByText('就绪', { exact: true }).waitFor();
    expect(await page.locator('#drift h2').textContent()).toBe('最近一次漂移检查');
    await page.getByRole('link', { name: 'English' }).click();
    await page.locator(`#links tr[data-link="${links.ticketed}"]`).getByText('ready', { exact: true }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await context.close();
  });
});

describe('the page session', () => {
  it('is signed with the token, expires after 30 minutes, and is refused when altered', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const value = issueSession('token-a', now);
    expect(validSession('token-a', value, now)).toBe(true);
    expect(validSession('token-a', value, now + (SESSION_SECONDS - 1) * 1000)).toBe(true);
    expect(validSession('token-a', value, now + SESSION_SECONDS * 1000)).toBe(false);
    expect(validSession('token-b', value, now)).toBe(false);
    const [expiry, mac] = value.split('.');
    expect(validSession('token-a', `${Number(expiry) + 3600}.${mac}`, now)).toBe(false);
    expect(validSession('token-a', undefined, now)).toBe(false);
  });

  it('picks the language from the switch, then the cookie, then Accept-Language', () => {
    expect(pageLanguage({ acceptLanguage: 'fr-FR, zh-CN;q=0.8, en;q=0.5' })).toBe('zh');
    expect(pageLanguage({ acceptLanguage: 'zh;q=0, en' })).toBe('en');
    expect(pageLanguage({ cookie: 'zh', acceptLanguage: 'en' })).toBe('zh');
    expect(pageLanguage({ query: 'en', cookie: 'zh' })).toBe('en');
    expect(pageLanguage({})).toBe('en');
  });
});
