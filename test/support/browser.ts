import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/**
 * A real browser for the page tests: Debian's Chromium driven by playwright-core (no browser
 * download). Without it the tests fail, naming the fix; they never skip.
 */
export const CHROMIUM = process.env.ZPL_CHROMIUM || '/usr/bin/chromium';

/** Screenshots for a person to look at (git-ignored). */
export const TEST_OUTPUT = join(import.meta.dirname, '..', '..', 'test-output');

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `the status page tests need Chromium at ${CHROMIUM}: install it (apt-get install -y chromium; .ci/run does) or point ZPL_CHROMIUM at one`,
    );
  mkdirSync(TEST_OUTPUT, { recursive: true });
  // CI runs as root, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}
