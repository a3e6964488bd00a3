#!/usr/bin/env node
// Runs the TypeScript CLI directly (tsx), so the repo needs no build step to use it.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
