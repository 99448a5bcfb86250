import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadedCore } from '../constructs/core/loaded-core';
import { withoutSpeedups } from '../app/speedups';
import { GOLDEN_DIR, GOLDEN_SHAPES, goldenFileName, goldenOnCore, synthesizeShape } from '../scripts/golden';

// What Terraform sees, byte for byte: a change of output must come with new golden copies (`npm run golden`) in the
// same commit, where review sees it. Each shape is synthesized as the app does it, with the speedups that replace
// cdktf internals (app/speedups/), and with cdktf as installed: both must write the golden bytes. On CDK Terrain
// (Jest's cdktn project) the golden bytes are those of `goldenOnCore`: only the core's own writing differs.
const core = loadedCore();

describe.each(GOLDEN_SHAPES.flatMap((shape) => [true, false].map((speedups) => ({ ...shape, speedups }))))(
  'the $name configuration, speedups: $speedups',
  (shape) => {
    const dir = join(GOLDEN_DIR, shape.name);
    let synthesized: Map<string, string>;
    beforeAll(() => {
      synthesized = shape.speedups ? synthesizeShape(shape) : withoutSpeedups(() => synthesizeShape(shape));
    });

    test('synthesizes exactly the stacks of its golden copies', () => {
      const golden = readdirSync(dir).sort();
      expect([...synthesized.keys()].map(goldenFileName).sort()).toEqual(golden);
    });

    test('every stack is byte-identical to its golden copy', () => {
      for (const [stackId, text] of synthesized) {
        const golden = goldenOnCore(readFileSync(join(dir, goldenFileName(stackId)), 'utf8'), core);
        // Compared as text, so that even key order and whitespace count.
        expect([stackId, text === golden]).toEqual([stackId, true]);
      }
    });
  },
);

describe(`golden copies on ${core.name} ${core.version}`, () => {
  test('are the same JSON as on cdktf, but for the core release in //.metadata.version', () => {
    for (const shape of GOLDEN_SHAPES) {
      for (const file of readdirSync(join(GOLDEN_DIR, shape.name))) {
        const golden = readFileSync(join(GOLDEN_DIR, shape.name, file), 'utf8');
        const [onCore, onCdktf] = [goldenOnCore(golden, core), golden].map((text) => JSON.parse(text));
        expect(onCore['//'].metadata.version).toBe(core.version);
        onCore['//'].metadata.version = onCdktf['//'].metadata.version;
        expect(onCore).toEqual(onCdktf);
      }
    }
  });
});
