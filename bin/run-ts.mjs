#!/usr/bin/env node
// Runs one TypeScript file (a benchmark or a script) through tsx's loader: `node bin/run-ts.mjs bench/run.ts --quick`.
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
register();
const file = process.argv[2];
if (!file) { console.error('usage: run-ts FILE [args]'); process.exit(2); }
process.argv.splice(1, 1);
await import(pathToFileURL(resolve(file)).href);
