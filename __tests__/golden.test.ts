import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withoutSpeedups } from '../app/speedups';
import { GOLDEN_DIR, GOLDEN_SHAPES, goldenFileName, synthesizeShape } from '../scripts/golden';

// What Terraform sees, byte for byte: a change of output must come with new golden copies (`npm run golden`) in the
// same commit, where review sees it. Each shape is synthesized as the app does it, with the speedups that replace
// cdktf internals (app/speedups/), and with cdktf as installed: both must write the golden bytes.
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
      expect([...synthesized.keys()].map(goldenFileName)).toEqual(golden);
    });

    test('every stack is byte-identical to its golden copy', () => {
      for (const [stackId, text] of synthesized) {
        const golden = readFileSync(join(dir, goldenFileName(stackId)), 'utf8');
        // Compared as text, so that even key order and whitespace count.
        expect([stackId, text === golden]).toEqual([stackId, true]);
      }
    });
  },
);
