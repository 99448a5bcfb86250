/**
 * ARNs and account IDs as the rules see them. A stack writes its own account
 * as a reference to `data.aws_caller_identity` (see `AwsContext`), so "this
 * account" is recognised by that reference, never by a literal ID, which the
 * rules cannot tell apart from another account's.
 */
import { followLocals, parseReference, SynthesizedStack } from './terraform-json';

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
function splitOutsideInterpolations(text: string, separator: string): string[] {
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

/** Whether the literal part of `text` holds an IAM wildcard (`*` or `?`). */
export const hasWildcard = (text: string): boolean => /[*?]/.test(literalPart(text));

/** Whether `value` is exactly a reference to this stack's account: `${data.aws_caller_identity.<name>.account_id}`. */
export function isOwnAccountId(value: string, stack: SynthesizedStack): boolean {
  const reference = parseReference(value);
  return (
    reference !== undefined &&
    reference.attribute === 'account_id' &&
    stack.get(reference.address)?.type === 'data.aws_caller_identity'
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
  if (reference !== undefined)
    return reference.attribute === 'arn' && OWN_PRINCIPAL_TYPES.includes(stack.get(reference.address)?.type ?? '');
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
