/**
 * A synth output directory (`cdktf.out`) as the infrastructure pipeline reads it: each stack's ID, the stacks it
 * depends on, where its Terraform JSON is, and a digest of what Terraform reads in it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A failure to read a synth output; the message names the file and what to run. */
export class SynthOutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SynthOutputError';
  }
}

/** One stack of a synth output. */
export interface SynthesizedStackInfo {
  /** The stack's ID, as `cdktf deploy` names it. */
  readonly id: string;
  /** The directory Terraform runs in, absolute. */
  readonly workingDirectory: string;
  /** The stack's Terraform JSON (`cdk.tf.json`), absolute. */
  readonly file: string;
  /**
   * The stacks this one must be applied after: cdktf's own dependencies (cross-stack references and `addDependency`),
   * and the stack that creates the bucket its S3 backend keeps its state in.
   */
  readonly dependencies: readonly string[];
  /** The backend the stack keeps its state with (`s3`, `local`, ...); undefined when it declares none (local). */
  readonly backend?: string;
  /**
   * A digest of what Terraform reads: the JSON with its `//` comment properties removed, keys sorted. Two stacks with
   * the same digest plan the same.
   */
  readonly digest: string;
}

/** A synth output: its stacks by ID. */
export interface SynthOutput {
  readonly directory: string;
  readonly stacks: ReadonlyMap<string, SynthesizedStackInfo>;
}

type Json = Record<string, any>;

/**
 * A JSON value without the `//` properties, keys sorted. Terraform's JSON syntax treats a `//` property as a comment
 * (Terraform docs, "JSON Configuration Syntax", Comment Properties); cdktf writes construct paths there.
 */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .filter((key) => key !== '//')
      .sort()
      .map((key) => [key, canonical((value as Json)[key])]),
  );
}

/** The digest of a stack's Terraform JSON, as {@link SynthesizedStackInfo.digest} describes it. */
export function terraformDigest(json: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(json)))
    .digest('hex');
}

function readJson(file: string, what: string): Json {
  if (!existsSync(file)) throw new SynthOutputError(`${file} does not exist: ${what}`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Json;
  } catch (error) {
    throw new SynthOutputError(`${file} is not JSON (${(error as Error).message}): ${what}`);
  }
}

/** The names of the S3 buckets a stack creates (`aws_s3_bucket.*.bucket`, literal names only). */
function bucketsCreated(json: Json): string[] {
  return Object.values<Json>(json.resource?.aws_s3_bucket ?? {})
    .map((bucket) => bucket.bucket)
    .filter((name): name is string => typeof name === 'string' && !name.includes('${'));
}

/** Reads `<directory>/manifest.json` and each stack's JSON. */
export function readSynthOutput(directory: string): SynthOutput {
  const manifest = readJson(join(directory, 'manifest.json'), "run the app's synth (`npx cdktf synth`) first");
  const entries = Object.entries<Json>(manifest.stacks ?? {});
  const jsonOf = new Map(
    entries.map(([id, entry]) => [
      id,
      readJson(join(directory, entry.synthesizedStackPath), `stack ${id} of ${directory}`),
    ]),
  );
  const creatorOfBucket = new Map<string, string>();
  for (const [id, json] of jsonOf) for (const bucket of bucketsCreated(json)) creatorOfBucket.set(bucket, id);
  const stacks = entries.map(([id, entry]): SynthesizedStackInfo => {
    const json = jsonOf.get(id)!;
    const backends = Object.keys(json.terraform?.backend ?? {});
    const stateBucket = json.terraform?.backend?.s3?.bucket;
    const stateCreator = typeof stateBucket === 'string' ? creatorOfBucket.get(stateBucket) : undefined;
    const dependencies = new Set<string>(entry.dependencies ?? []);
    if (stateCreator !== undefined && stateCreator !== id) dependencies.add(stateCreator);
    return {
      id,
      workingDirectory: join(directory, entry.workingDirectory),
      file: join(directory, entry.synthesizedStackPath),
      dependencies: [...dependencies].sort(),
      backend: backends[0],
      digest: terraformDigest(json),
    };
  });
  return { directory, stacks: new Map(stacks.map((stack) => [stack.id, stack])) };
}
