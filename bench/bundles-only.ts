import { printBundles } from './bundles.ts';

/** `npm run bench:bundles`: the bundle section of `npm run bench` alone (about a minute). */
await printBundles((k, v) => `  ${k.padEnd(58)} ${v}`);
