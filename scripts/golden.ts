/**
 * Golden copies of the synthesized stacks: every configuration shape below is
 * synthesized through the app's entry point and each stack's `cdk.tf.json` is
 * kept under `__tests__/golden/<shape>/`. `__tests__/golden.test.ts` requires
 * the output to stay byte-identical, so every change to what Terraform sees
 * shows in review as a change to these files.
 *
 * After a deliberate change of output, rewrite them in the same commit:
 *   npm run golden
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG_PATH } from '../config/load';
import type { LoadedCore } from '../constructs/core/loaded-core';
import { run } from '../main';
import { PROJECT_ROOT } from './app-command';
import { writeCommentGoldens } from './comment-goldens';

/** Where the golden copies and the shapes' configuration documents live. */
export const GOLDEN_DIR = join(PROJECT_ROOT, '__tests__', 'golden');

/** A configuration shape and the document that describes it. */
export interface GoldenShape {
  readonly name: string;
  readonly configPath: string;
}

/** The shapes: the default configuration, and one document per shape in `__tests__/golden/<name>.json`. */
export const GOLDEN_SHAPES: readonly GoldenShape[] = [
  { name: 'default', configPath: DEFAULT_CONFIG_PATH },
  ...[
    'branch-changed',
    'connection-ecr',
    'ecr-dockerhub-credentials',
    'existing-resources',
    'fleet-of-ten',
    'infrastructure-pipeline',
    'renamed',
    'retired',
  ].map((name) => ({
    name,
    configPath: join(GOLDEN_DIR, `${name}.json`),
  })),
];

/** The core release the golden copies were written with (`npm run golden` runs on cdktf). */
export const GOLDEN_CORE_VERSION = '0.21.0';

/**
 * What a stack's golden copy (written on cdktf) reads as on `core`. On cdktn, two differences of the core's own
 * JSON writer, neither of which Terraform sees: `//.metadata.version` names cdktn's release, and an empty object is
 * written `{}` where cdktf breaks it over two lines. Everything else is byte for byte the same.
 */
export function goldenOnCore(golden: string, core: LoadedCore): string {
  if (core.name === 'cdktf') return golden;
  const metadataVersion = `"version": "${GOLDEN_CORE_VERSION}"`;
  if (golden.split(metadataVersion).length !== 2) {
    throw new Error(`a golden copy must name ${metadataVersion} once, in //.metadata`);
  }
  return golden.replace(metadataVersion, `"version": "${core.version}"`).replace(/\{\n\s*\}/g, '{}');
}

/** The file name of a stack's golden copy. */
export const goldenFileName = (stackId: string): string => `${stackId}.tf.json`;

/** Synthesizes `shape` as `npm run synth` does and returns each stack's `cdk.tf.json`, by stack ID. */
export function synthesizeShape(shape: GoldenShape): Map<string, string> {
  // The output directory one level down: synth sweeps its parent for leftovers of killed runs, and a shared
  // temporary directory may hold tens of thousands of entries.
  const parent = mkdtempSync(join(tmpdir(), `golden-${shape.name}-`));
  const outdir = join(parent, 'cdktf.out');
  try {
    const errors: string[] = [];
    const code = run({
      env: { CI_PIPELINES_CONFIG: shape.configPath, CDKTF_OUTDIR: outdir },
      stdout: () => {},
      stderr: (text) => errors.push(text),
    });
    if (code !== 0) throw new Error(`synth of the golden shape "${shape.name}" failed:\n${errors.join('')}`);
    const stacksDir = join(outdir, 'stacks');
    return new Map(
      readdirSync(stacksDir)
        .sort()
        .map((stackId) => [stackId, readFileSync(join(stacksDir, stackId, 'cdk.tf.json'), 'utf8')]),
    );
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
}

/** Rewrites every shape's golden copies from the current code. */
function writeGoldenCopies(): void {
  for (const shape of GOLDEN_SHAPES) {
    const dir = join(GOLDEN_DIR, shape.name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const stacks = synthesizeShape(shape);
    for (const [stackId, text] of stacks) writeFileSync(join(dir, goldenFileName(stackId)), text);
    process.stdout.write(`${shape.name}: ${stacks.size} stack${stacks.size === 1 ? '' : 's'} written to ${dir}\n`);
  }
}

if (require.main === module) {
  writeGoldenCopies();
  writeCommentGoldens();
}
