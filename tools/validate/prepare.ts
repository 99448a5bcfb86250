/**
 * The copies of a stack that `npm run validate` checks, and what was changed
 * to make them checkable here; the tool reports every change.
 *
 * - As written: the stack, with its backend removed (the plan needs no state),
 *   its AWS provider pointed at the local stub with fake credentials, and the
 *   elements of providers that cannot be installed cut, each reference to them
 *   replaced by a placeholder of the right shape.
 * - With literals: the same, with every reference to a resource replaced by a
 *   literal of the right shape, so that the provider's validators, which skip
 *   values unknown until apply, see every value the stack sets.
 */
import { literalFor } from './literals';
import { StackFile, ValidateError } from './stacks';
import { Reference, replaceReferences } from './templates';

type Json = Record<string, any>;

/** Settings that point the AWS provider at the stub, with credentials that are plainly fake. */
export function stubProviderSettings(endpoint: string): Json {
  return {
    access_key: 'AKIAVALIDATEONLYFAKE',
    secret_key: 'validate-only-fake-secret-key',
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: 'true',
    // The provider knows AWS's regions offline (its endpoints data): a region that does not exist fails the plan.
    skip_region_validation: false,
    endpoints: [
      {
        sts: endpoint,
        secretsmanager: endpoint,
        codestarconnections: endpoint,
        codeconnections: endpoint,
        kms: endpoint,
      },
    ],
  };
}

/** A stack made checkable, and what was changed to make it so. */
export interface PreparedStack {
  readonly id: string;
  /** The region of its AWS provider; undefined for a stack without one (a repository's, which only GitHub serves). */
  readonly region?: string;
  readonly asWritten: Json;
  readonly withLiterals: Json;
  /** Elements cut because their provider cannot be installed, by provider source. */
  readonly cut: ReadonlyMap<string, readonly string[]>;
  /** References to cut elements replaced by placeholders. */
  readonly placeholders: number;
  /** References to resources replaced by literals in the second copy. */
  readonly literals: number;
  /** Other changes, in words. */
  readonly notes: readonly string[];
}

/** Each element (resource or data source) of a stack, by address. */
function elementsOf(json: Json): Map<string, { readonly type: string; readonly body: Json }> {
  const elements = new Map<string, { type: string; body: Json }>();
  for (const [mode, prefix] of [
    ['resource', ''],
    ['data', 'data.'],
  ] as const) {
    for (const [type, byName] of Object.entries<Json>(json[mode] ?? {})) {
      for (const [name, body] of Object.entries<Json>(byName))
        elements.set(`${prefix}${type}.${name}`, { type: `${prefix}${type}`, body });
    }
  }
  return elements;
}

/** The provider local name an element belongs to: its `provider` argument, else its type's prefix. */
const providerOf = (type: string, body: Json) =>
  String(body.provider ?? type.replace(/^data\./, '').split('_')[0]).split('.')[0];

/** `value` with every string rewritten by `rewrite`; `//` metadata is left as it is. */
function mapStrings(value: unknown, rewrite: (text: string) => string): any {
  if (typeof value === 'string') return rewrite(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, rewrite));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, key === '//' ? item : mapStrings(item, rewrite)]),
    );
  }
  return value;
}

/** The region of the stack's (default) AWS provider, which must be written literally; undefined without one. */
function regionOf(stack: StackFile): string | undefined {
  const aws = [].concat(stack.json.provider?.aws ?? []) as Json[];
  if (aws.length === 0) return undefined;
  const region = (aws.find((config) => config.alias === undefined) ?? aws[0])?.region;
  if (typeof region !== 'string' || region.includes('${'))
    throw new ValidateError(`${stack.id}: the AWS provider's region must be a literal to validate the stack`);
  return region;
}

/** Removes the elements of `missing` providers; returns them by provider. */
function cutProviders(json: Json, missing: ReadonlySet<string>): Map<string, string[]> {
  const cut = new Map<string, string[]>();
  for (const [address, { type, body }] of elementsOf(json)) {
    const provider = providerOf(type, body);
    if (!missing.has(provider)) continue;
    const source = String(json.terraform?.required_providers?.[provider]?.source ?? provider);
    cut.set(source, [...(cut.get(source) ?? []), address]);
    const [mode, bareType, name] = type.startsWith('data.')
      ? ['data', type.slice(5), address.split('.')[2]]
      : ['resource', type, address.split('.')[1]];
    delete json[mode][bareType][name];
    if (Object.keys(json[mode][bareType]).length === 0) delete json[mode][bareType];
    // Terraform refuses an empty `resource` or `data` object.
    if (Object.keys(json[mode]).length === 0) delete json[mode];
  }
  for (const provider of missing) {
    const source = json.terraform?.required_providers?.[provider]?.source;
    if (source === undefined) continue;
    if (!cut.has(source)) cut.set(source, []);
    delete json.terraform.required_providers[provider];
    delete json.provider?.[provider];
  }
  if (json.provider !== undefined && Object.keys(json.provider).length === 0) delete json.provider;
  return cut;
}

/** Replaces references to the elements at `addresses` (of the original stack) by values of the right shape. */
function replaceWith(
  json: Json,
  original: Json,
  region: string | undefined,
  replace: (reference: Reference) => boolean,
): { json: Json; replaced: number } {
  const elements = elementsOf(original);
  let replaced = 0;
  const rewritten = mapStrings(json, (text) => {
    const result = replaceReferences(text, (reference) => {
      const element = elements.get(reference.address);
      if (element === undefined || !replace(reference)) return undefined;
      // Without an AWS provider, no literal needs a region: the elements are another provider's.
      return literalFor(reference.attribute, { type: element.type, body: element.body, region: region ?? '' });
    });
    replaced += result.replaced;
    return result.text;
  });
  return { json: rewritten, replaced };
}

/** Prepares the two checked copies of a stack. */
export function prepareStack(
  stack: StackFile,
  options: { readonly missingProviders: ReadonlySet<string>; readonly stubEndpoint: string },
): PreparedStack {
  const region = regionOf(stack);
  const notes: string[] = [];
  const json: Json = structuredClone(stack.json);
  const backend = Object.keys(json.terraform?.backend ?? {});
  if (backend.length > 0) notes.push(`backend ${backend.join(', ')} removed (a plan needs no state)`);
  delete json.terraform?.backend;
  if (json.import !== undefined)
    notes.push(`${[].concat(json.import).length} import block(s) removed (only a root module may hold them)`);
  delete json.import;
  const cut = cutProviders(json, options.missingProviders);
  const cutAddresses = new Set([...cut.values()].flat());
  const placeheld = replaceWith(json, stack.json, region, (reference) => cutAddresses.has(reference.address));
  const asWritten = placeheld.json;
  for (const config of [].concat(asWritten.provider?.aws ?? []) as Json[])
    Object.assign(config, stubProviderSettings(options.stubEndpoint));

  const literal = replaceWith(
    structuredClone(asWritten),
    stack.json,
    region,
    (reference) => !reference.address.startsWith('data.'),
  );
  const withLiterals = literal.json;
  // The copy with literals uses one AWS provider for all stacks, configured by the root module: a provider process each
  // costs seconds.
  delete withLiterals.provider?.aws;
  if (withLiterals.provider !== undefined && Object.keys(withLiterals.provider).length === 0)
    delete withLiterals.provider;
  return {
    id: stack.id,
    region,
    asWritten,
    withLiterals,
    cut,
    placeholders: placeheld.replaced,
    literals: literal.replaced,
    notes,
  };
}
