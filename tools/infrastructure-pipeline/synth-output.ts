/**
 * A synth output directory (`cdktf.out`) as the infrastructure pipeline reads it: each stack's ID, the stacks it
 * depends on, where its Terraform JSON is, and a digest of what Terraform reads in it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StepInputError } from './step-input-error';

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
  /** Where an S3 backend keeps the state: its bucket and key, as the JSON writes them. */
  readonly s3State?: { readonly bucket: string; readonly key: string };
  /**
   * A digest of what Terraform reads: the JSON without the `//` comment properties of its block bodies, keys sorted.
   * Two stacks with the same digest plan the same.
   */
  readonly digest: string;
}

/** A synth output: its stacks by ID. */
export interface SynthOutput {
  readonly directory: string;
  readonly stacks: ReadonlyMap<string, SynthesizedStackInfo>;
}

type Json = Record<string, any>;

/** Keys sorted, at every depth, so that the order a synth writes them in does not count. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sorted((value as Json)[key])]),
  );
}

const without = (body: unknown): unknown => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const { '//': _comment, ...rest } = body as Json;
  return rest;
};

/**
 * The stack's JSON without the `//` properties of its block bodies: the root, each resource and data source, output,
 * variable, module and provider. Terraform's JSON syntax ignores a `//` property in a block body but reads one in an
 * expression, such as a map of tags (Terraform docs, "JSON Configuration Syntax", Comment Properties); cdktf writes
 * construct paths in block bodies only.
 */
function withoutComments(json: Json): Json {
  const root = without(json) as Json;
  const perName = (blocks: unknown) =>
    Object.fromEntries(Object.entries((blocks ?? {}) as Json).map(([name, body]) => [name, without(body)]));
  const perTypeAndName = (blocks: unknown) =>
    Object.fromEntries(Object.entries((blocks ?? {}) as Json).map(([type, byName]) => [type, perName(byName)]));
  const providers = (blocks: unknown) =>
    Object.fromEntries(
      Object.entries((blocks ?? {}) as Json).map(([name, configs]) => [
        name,
        Array.isArray(configs) ? configs.map(without) : without(configs),
      ]),
    );
  return {
    ...root,
    ...(root.resource === undefined ? {} : { resource: perTypeAndName(root.resource) }),
    ...(root.data === undefined ? {} : { data: perTypeAndName(root.data) }),
    ...Object.fromEntries(
      (['output', 'variable', 'module'] as const)
        .filter((kind) => root[kind] !== undefined)
        .map((kind) => [kind, perName(root[kind])]),
    ),
    ...(root.provider === undefined ? {} : { provider: providers(root.provider) }),
    ...(root.terraform === undefined ? {} : { terraform: without(root.terraform) }),
  };
}

/** The digest of a stack's Terraform JSON, as {@link SynthesizedStackInfo.digest} describes it. */
export function terraformDigest(json: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(sorted(withoutComments(json as Json))))
    .digest('hex');
}

function readJson(file: string, what: string): Json {
  if (!existsSync(file)) throw new StepInputError(`${file} does not exist: ${what}`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Json;
  } catch (error) {
    throw new StepInputError(`${file} is not JSON (${(error as Error).message}): ${what}`);
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
      s3State:
        typeof stateBucket === 'string' && typeof json.terraform.backend.s3.key === 'string'
          ? { bucket: stateBucket, key: json.terraform.backend.s3.key }
          : undefined,
      digest: terraformDigest(json),
    };
  });
  return { directory, stacks: new Map(stacks.map((stack) => [stack.id, stack])) };
}
