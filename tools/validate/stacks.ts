/**
 * The stacks `npm run validate` checks: those of a synth output directory (its
 * manifest lists them), or a directory of `<stack>.tf.json` files such as the
 * golden copies.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** One synthesized stack. */
export interface StackFile {
  /** The stack's ID (`ci-sample-flask-app`). */
  readonly id: string;
  /** Where it was read from. */
  readonly path: string;
  /** Its Terraform JSON. */
  readonly json: Record<string, any>;
}

/** A mistake of the user's: a directory that holds no stacks, a file that is not JSON. */
export class ValidateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValidateError';
  }
}

function readJson(path: string): Record<string, any> {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ValidateError(`${path} is not a synthesized stack: ${(error as Error).message}`);
  }
}

/** The stacks in `dir`: a synth output directory, or a directory of `<stack>.tf.json` files. */
export function readStacks(dir: string): StackFile[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ValidateError(`${dir} is not a directory: run \`npm run synth\` first, or name a synth output directory`);
  }
  const manifestPath = join(dir, 'manifest.json');
  if (existsSync(manifestPath)) {
    const stacks = Object.entries<any>(readJson(manifestPath).stacks ?? {});
    const hcl = stacks.find(([, stack]) => !String(stack.synthesizedStackPath).endsWith('.json'));
    if (hcl !== undefined)
      throw new ValidateError(`${dir} holds HCL (cdktf synth --hcl); synthesize JSON to validate it`);
    return stacks.map(([id, stack]) => ({
      id,
      path: join(dir, stack.synthesizedStackPath),
      json: readJson(join(dir, stack.synthesizedStackPath)),
    }));
  }
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.tf.json'))
    .sort();
  if (files.length === 0)
    throw new ValidateError(`${dir} has neither a manifest.json (a synth output directory) nor <stack>.tf.json files`);
  return files.map((name) => ({
    id: name.slice(0, -'.tf.json'.length),
    path: join(dir, name),
    json: readJson(join(dir, name)),
  }));
}
