import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

/**
 * The zod every bundled module validates with: `zod/mini` (functions, not methods, so esbuild
 * keeps only the checks a bundle calls) with zod's English messages, the ones classic `zod`
 * gives. Mini loads no locale by itself; without this a field error would read only
 * "Invalid input". Set only when nothing set a locale first (classic zod, loaded by the local
 * stack, sets the same one).
 */
if (!config().localeError) config(en());

export * from 'zod/mini';
