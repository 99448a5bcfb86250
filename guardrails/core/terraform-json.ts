import { TERRAFORM_BLOCK_ADDRESS } from '../../shared/suppressions';
/**
 * A read-only view of one synthesized stack (`cdk.tf.json`), the input of every
 * guardrail. Rules read the JSON that Terraform will read, so escape hatches and
 * overrides are checked too, exactly as an IaC scanner would see them.
 */

/** A synthesized stack's JSON, as `TerraformStack.toTerraform()` returns it. */
export interface TerraformJson {
  readonly '//'?: {
    readonly metadata?: { readonly stackName?: string };
    readonly suppressions?: Record<string, unknown>;
  };
  readonly terraform?: Record<string, any>;
  readonly resource?: Record<string, Record<string, any>>;
  readonly data?: Record<string, Record<string, any>>;
  readonly provider?: Record<string, Record<string, any> | Record<string, any>[]>;
  readonly output?: Record<string, Record<string, any>>;
  readonly locals?: Record<string, unknown>;
  readonly variable?: Record<string, Record<string, any>>;
}

/**
 * The element types of a stack's other top-level blocks, for rules that read
 * every argument (a secret may be written anywhere): a provider configuration
 * (`provider.aws`, `provider.aws.<alias>`), an output (`output.<name>`), a
 * local value (`local.<name>`, its body `{ <name>: value }`) and an input
 * variable (`var.<name>`).
 */
type ConfigurationElementType = 'provider' | 'output' | 'locals' | 'variable';

/** A resource, a data source, the `terraform` settings block, or a provider, output, local or variable. */
export interface Element {
  /**
   * `aws_s3_bucket.name`, `data.aws_iam_policy_document.name`, `terraform`, `provider.aws`, `output.name`, `local.name`
   * or `var.name`.
   */
  readonly address: string;
  /**
   * The resource type, `data.<type>` for data sources, `terraform`, or one of `provider`, `output`, `locals`,
   * `variable`.
   */
  readonly type: string;
  /** The construct path (from cdktf's metadata), or the address when there is none. */
  readonly path: string;
  /** The element's attributes as synthesized. */
  readonly body: Record<string, any>;
}

/** The whole expression `${type.name.attribute...}` or `${data.type.name.attribute...}`, nothing around it. */
const WHOLE_REFERENCE = /^\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)((?:\.[A-Za-z0-9_]+)*)\}$/;

/** Terraform JSON writes a block as an object or as a list of objects; this always gives the list. */
export function blocks(value: unknown): Record<string, any>[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter((item) => typeof item === 'object' && item !== null);
}

/** The first block of `value`, or an empty object. */
export function block(value: unknown): Record<string, any> {
  return blocks(value)[0] ?? {};
}

/** True for `true` and `"true"`; Terraform JSON accepts both. */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

/** True when the value is computed by Terraform (contains an interpolation) rather than written literally. */
export function isExpression(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${');
}

/** The referenced element's address and attribute path, when `value` is exactly one reference. */
export function parseReference(value: unknown): { address: string; attribute: string } | undefined {
  if (typeof value !== 'string') return undefined;
  const match = WHOLE_REFERENCE.exec(value);
  return match === null ? undefined : { address: match[1], attribute: match[2].replace(/^\./, '') };
}

/**
 * The value behind a whole reference to a local (`${local.x}`) or to a
 * variable with a default (`${var.x}`), followed through further such
 * references; any other value as it is.
 */
export function followLocals(value: unknown, stack: { get(address: string): Element | undefined }, depth = 0): unknown {
  const reference = parseReference(value);
  if (reference === undefined || reference.attribute !== '' || depth > 10) return value;
  const element = stack.get(reference.address);
  if (element?.type === 'locals')
    return followLocals(element.body[reference.address.slice('local.'.length)], stack, depth + 1);
  if (element?.type === 'variable' && element.body.default !== undefined)
    return followLocals(element.body.default, stack, depth + 1);
  return value;
}

/**
 * A string with each interpolation of a local, or of a variable with a default, that stands for a string replaced by
 * that string, followed further (`arn:${local.partition}:s3:::b` where the local is `${data.aws_partition.p.partition}`
 * becomes `arn:${data.aws_partition.p.partition}:s3:::b`); a whole reference is followed as {@link followLocals}
 * follows it, to a list or an object too. Other values as they are.
 */
export function interpolateLocals(value: unknown, stack: { get(address: string): Element | undefined }): unknown {
  const followed = followLocals(value, stack);
  if (typeof followed !== 'string' || !followed.includes('${')) return followed;
  let text = followed;
  for (let depth = 0; depth < 10; depth++) {
    const next = text.replace(/\$\{((?:local|var)\.[A-Za-z0-9_-]+)\}/g, (whole, address: string) => {
      const resolved = followLocals(`\${${address}}`, stack);
      return typeof resolved === 'string' && resolved !== whole ? resolved : whole;
    });
    if (next === text) return text;
    text = next;
  }
  return text;
}

/** Every string in a JSON value, depth first. */
export function strings(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) value.forEach((item) => strings(item, into));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) if (key !== '//') strings(item, into);
  }
  return into;
}

/** The providers, outputs, locals and variables of a stack, as elements. */
function configurationElements(json: TerraformJson, stackName: string): Element[] {
  const element = (address: string, type: ConfigurationElementType, body: unknown): Element => ({
    address,
    type,
    path: `${stackName}/${address}`,
    body: typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, any>) : {},
  });
  const elements: Element[] = [];
  for (const [name, configurations] of Object.entries(json.provider ?? {})) {
    blocks(configurations).forEach((configuration, index, all) => {
      const alias =
        typeof configuration.alias === 'string' ? `.${configuration.alias}` : all.length > 1 ? `[${index}]` : '';
      elements.push(element(`provider.${name}${alias}`, 'provider', configuration));
    });
  }
  for (const [name, body] of Object.entries(json.output ?? {}))
    elements.push(element(`output.${name}`, 'output', body));
  for (const [name, value] of Object.entries(json.locals ?? {}))
    elements.push(element(`local.${name}`, 'locals', { [name]: value }));
  for (const [name, body] of Object.entries(json.variable ?? {}))
    elements.push(element(`var.${name}`, 'variable', body));
  return elements;
}

/** One synthesized stack, indexed for the rules. */
export class SynthesizedStack {
  /** The stack's name. */
  public readonly name: string;
  /** Every resource and data source, then the `terraform` block. */
  public readonly elements: readonly Element[];
  private readonly byAddress = new Map<string, Element>();
  private readonly referencesCache = new Map<string, Set<string>>();

  constructor(
    public readonly json: TerraformJson,
    name?: string,
  ) {
    this.name = name ?? json['//']?.metadata?.stackName ?? 'stack';
    const elements: Element[] = [];
    for (const [mode, prefix] of [
      ['resource', ''],
      ['data', 'data.'],
    ] as const) {
      for (const [type, byName] of Object.entries(json[mode] ?? {})) {
        for (const [name, body] of Object.entries(byName)) {
          const address = `${prefix}${type}.${name}`;
          elements.push({
            address,
            type: `${prefix}${type}`,
            path: body?.['//']?.metadata?.path ?? address,
            body: body ?? {},
          });
        }
      }
    }
    elements.push({
      address: TERRAFORM_BLOCK_ADDRESS,
      type: TERRAFORM_BLOCK_ADDRESS,
      path: `${this.name}/terraform`,
      body: json.terraform ?? {},
    });
    elements.push(...configurationElements(json, this.name));
    elements.forEach((element) => this.byAddress.set(element.address, element));
    this.elements = elements;
  }

  /** The elements of `type` (`aws_s3_bucket`, `data.aws_iam_policy_document`). */
  public ofType(type: string): Element[] {
    return this.elements.filter((element) => element.type === type);
  }

  /** The element at `address`. */
  public get(address: string): Element | undefined {
    return this.byAddress.get(address);
  }

  /** The element that `value` refers to as a whole (`${aws_kms_key.k.arn}`), optionally only of `type`. */
  public resolve(value: unknown, type?: string): Element | undefined {
    const reference = parseReference(value);
    const element = reference === undefined ? undefined : this.byAddress.get(reference.address);
    return element !== undefined && (type === undefined || element.type === type) ? element : undefined;
  }

  /** The addresses `element` refers to anywhere in its body. */
  public referencesOf(element: Element): Set<string> {
    let found = this.referencesCache.get(element.address);
    if (found === undefined) {
      found = this.referencesIn(element.body);
      this.referencesCache.set(element.address, found);
    }
    return found;
  }

  /** The addresses of this stack's elements that `value` (any JSON) refers to in its interpolations. */
  public referencesIn(value: unknown): Set<string> {
    const found = new Set<string>();
    // Every `type.name.` (or `data.type.name.`) inside an interpolation that names an element of this stack.
    for (const text of strings(value).filter((candidate) => candidate.includes('${'))) {
      for (const match of text.matchAll(/\b((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)\./g)) {
        if (this.byAddress.has(match[1])) found.add(match[1]);
      }
    }
    return found;
  }

  /** The elements of `type` whose `attribute` refers to `target` (e.g. the versioning of a bucket). */
  public attachedTo(target: Element, type: string, attribute: string): Element[] {
    return this.ofType(type).filter((element) => parseReference(element.body[attribute])?.address === target.address);
  }

  /** The elements of `type` that refer to `target` anywhere. */
  public referencing(target: Element, type?: string): Element[] {
    return this.elements.filter(
      (element) =>
        (type === undefined || element.type === type) &&
        element !== target &&
        this.referencesOf(element).has(target.address),
    );
  }

  /**
   * The suppressions written for `element`, as written and unchecked (the checks judge each): in its own `//`
   * metadata, or for data sources and the `terraform` block in the stack's.
   */
  public suppressionsOf(element: Element): unknown[] {
    const own = element.body['//']?.suppressions;
    const stackLevel = (this.json['//']?.suppressions as Record<string, unknown> | undefined)?.[element.address];
    return [own, stackLevel].flatMap((list) => (list === undefined ? [] : Array.isArray(list) ? list : [list]));
  }

  /** The addresses the stack's own `//` metadata records suppressions for that name no element of the stack. */
  public suppressionsOfNothing(): string[] {
    const recorded = Object.keys((this.json['//']?.suppressions as Record<string, unknown> | undefined) ?? {});
    return recorded.filter((address) => !this.byAddress.has(address));
  }
}
