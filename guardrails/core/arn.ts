/**
 * ARNs and account IDs as the rules see them. A stack writes its own account
 * as a reference to `data.aws_caller_identity` (see `AwsContext`), so "this
 * account" is recognised by that reference, never by a literal ID, which the
 * rules cannot tell apart from another account's.
 */
import { Element, followLocals, parseReference, SynthesizedStack } from './terraform-json';

/**
 * The fields of an ARN (`arn:partition:service:region:account:resource`); interpolations are kept whole, even when they
 * hold ":".
 */
export interface ArnFields {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

/** The text split at `separator`, except inside `${...}` interpolations. */
export function splitOutsideInterpolations(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index];
    if (character === '$' && text[index + 1] === '{') {
      depth += 1;
      current += '${';
      index += 1;
      continue;
    }
    if (character === '}' && depth > 0) depth -= 1;
    if (character === separator && depth === 0) {
      parts.push(current);
      current = '';
    } else current += character;
  }
  parts.push(current);
  return parts;
}

/** The fields of `value` when it is an ARN; the resource part keeps its own colons. */
export function parseArn(value: string): ArnFields | undefined {
  const fields = splitOutsideInterpolations(value, ':');
  if (fields.length < 6 || fields[0] !== 'arn') return undefined;
  const [, partition, service, region, account, ...resource] = fields;
  return { partition, service, region, account, resource: resource.join(':') };
}

/** The text outside interpolations (a `*` inside `${...}` is Terraform's, not IAM's). */
export const literalPart = (text: string): string => text.replace(/\$\{[^}]*\}/g, '');

/**
 * A value with each interpolation as one name part, for matching its shape:
 * `logs.${data.aws_region.r.id}.amazonaws.com` as `logs.0.amazonaws.com`, which `logs.*.amazonaws.com` matches.
 */
export const shapeOf = (text: string): string => text.replace(/\$\{[^}]*\}/g, '0');

/** Whether the literal part of `text` holds an IAM wildcard (`*` or `?`). */
export const hasWildcard = (text: string): boolean => /[*?]/.test(literalPart(text));

/**
 * Settings of an aws provider that can give it other credentials, and so another account, than the stack's default
 * provider ("Authentication and Configuration", AWS provider documentation).
 */
const CREDENTIAL_SETTINGS = [
  'access_key',
  'secret_key',
  'token',
  'profile',
  'shared_credentials_files',
  'shared_config_files',
  'assume_role',
  'assume_role_with_web_identity',
];

/**
 * Whether a data source reads through the stack's default aws provider, or through an alias with the same
 * credentials: an account it reads is this stack's. Through an alias that assumes a role, or that has a profile or keys
 * of its own, it is another account's, which only apply can tell.
 */
export function readsOwnAccount(dataSource: Element, stack: SynthesizedStack): boolean {
  const provider = dataSource.body.provider;
  if (provider === undefined || provider === 'aws') return true;
  const alias = typeof provider === 'string' ? stack.get(`provider.${provider}`) : undefined;
  if (alias === undefined) return false;
  const own = stack.get('provider.aws');
  return CREDENTIAL_SETTINGS.every(
    (setting) => JSON.stringify(alias.body[setting]) === JSON.stringify(own?.body[setting]),
  );
}

/**
 * The stack's data sources of `type` that read this stack's account ({@link readsOwnAccount}): those through a
 * provider that can act in another account are left out.
 */
export const ownAccountSources = (type: string, stack: SynthesizedStack): Element[] =>
  stack.ofType(type).filter((source) => readsOwnAccount(source, stack));

/** Whether `value` is exactly a reference to this stack's account: `${data.aws_caller_identity.<name>.account_id}`. */
export function isOwnAccountId(value: string, stack: SynthesizedStack): boolean {
  const reference = parseReference(value);
  const source = reference === undefined ? undefined : stack.get(reference.address);
  return (
    reference?.attribute === 'account_id' &&
    source?.type === 'data.aws_caller_identity' &&
    readsOwnAccount(source, stack)
  );
}

/** The element types whose `arn` is a principal of this stack's account. */
const OWN_PRINCIPAL_TYPES = [
  'aws_iam_role',
  'aws_iam_user',
  'data.aws_iam_role',
  'data.aws_iam_user',
  'data.aws_caller_identity',
];

/**
 * Whether an `AWS` principal (or an ARN or account in a condition) is this
 * stack's account: its account ID reference, an ARN whose account field is
 * that reference, or the `arn` of a role or user the stack declares.
 */
export function isOwnAccountPrincipal(written: string, stack: SynthesizedStack): boolean {
  const followed = followLocals(written, stack);
  const identifier = typeof followed === 'string' ? followed : written;
  if (isOwnAccountId(identifier, stack)) return true;
  const reference = parseReference(identifier);
  if (reference !== undefined) {
    const principal = stack.get(reference.address);
    return (
      reference.attribute === 'arn' &&
      principal !== undefined &&
      OWN_PRINCIPAL_TYPES.includes(principal.type) &&
      (!principal.type.startsWith('data.') || readsOwnAccount(principal, stack))
    );
  }
  const arn = parseArn(identifier);
  return arn !== undefined && isOwnAccountId(arn.account, stack);
}

/**
 * How an identifier outside the account reads in a message: the identifier itself, which is an account or ARN, never a
 * secret.
 */
export function describePrincipal(type: string, identifier: string): string {
  if (identifier === '*') return type === '*' ? 'everyone ("*")' : `everyone (${type} "*")`;
  return `${type} ${JSON.stringify(identifier)}`;
}
