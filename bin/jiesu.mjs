#!/usr/bin/env node
// The `jiesu` command. Runs the compiled JavaScript in dist/ (`npm run build`; `npm start` builds first). When
// dist/ is missing or older than the sources, as in a checkout being worked on, it says so and runs the
// TypeScript sources through tsx instead (a development dependency).
import { whyNotCompiled } from './compiled.mjs';

const why = whyNotCompiled();
if (!why) await import('../dist/src/cli.js');
else {
  let tsx;
  try {
    tsx = await import('tsx/esm/api');
  } catch {
    console.error(`jiesu: ${why} and tsx is not installed to run the sources; run \`npm run build\` (or \`npm ci\` for the development tools first)`);
    process.exit(2);
  }
  console.error(`jiesu: ${why}; running the TypeScript sources through tsx (\`npm run build\` compiles them)`);
  tsx.register();
  await import('../src/cli.ts');
}
