'use strict';
/**
 * The TypeScript-to-JavaScript transform of the loader (`register.cjs`) that
 * runs the scripts, the tools and the tests (`__tests__/setup-typescript.cjs`).
 * Transpile-only, one file at a time; `npm run typecheck` is the type check.
 * The app's bundle (`bundle.cjs`) is esbuild's, from the same tsconfig.json:
 * `app/process.slow.test.ts` checks that a synth in the test process and the
 * app's process write byte-identical files.
 */
const { createHash } = require('node:crypto');

/**
 * swc's options (a fresh copy each call, whatever swc does with them), mirroring tsconfig.json's emit: ES2022 classes with define
 * semantics (`useDefineForClassFields`, tsc's default for ES2022), CommonJS.
 * `importInterop: 'none'` makes `import * as fs from 'node:fs'` the module
 * object itself, as tsc's live bindings do, so a test's `jest.spyOn(fs, ...)`
 * reaches the code under test; nothing here default-imports a CommonJS module.
 */
const swcOptions = () => ({
  swcrc: false,
  configFile: false,
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', tsx: false, decorators: false },
    transform: { useDefineForClassFields: true },
    keepClassNames: true,
  },
  module: { type: 'commonjs', importInterop: 'none' },
});

/** What an output depends on besides its source and file name: the transpiler's version and its options. */
const TRANSPILER_FINGERPRINT = createHash('sha256')
  .update(`@swc/core ${require('@swc/core/package.json').version}\0${JSON.stringify(swcOptions())}`)
  .digest('hex');

/**
 * Transpiles one TypeScript file to CommonJS, with its source map (as JSON).
 * @param {string} source
 * @param {string} filename
 * @returns {{ code: string; map: string | undefined }}
 */
function transpile(source, filename) {
  // Required here, not above: a synth whose files are all cached never loads swc.
  const { transformSync } = require('@swc/core');
  const { code, map } = transformSync(source, {
    ...swcOptions(),
    filename,
    sourceMaps: true,
    inlineSourcesContent: false,
  });
  return { code, map };
}

module.exports = { TRANSPILER_FINGERPRINT, transpile };
