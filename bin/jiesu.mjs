#!/usr/bin/env node
// The `jiesu` command. Sources are TypeScript run through tsx's loader, so a fresh clone needs no build step.
import { register } from 'tsx/esm/api';
register();
await import('../src/cli.ts');
