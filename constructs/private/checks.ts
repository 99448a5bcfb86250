/**
 * Rules about single values that no one construct owns: the generic ones (one of a list, a boolean, an integer in a
 * range), AWS regions and ARNs, and repository paths. Each construct's own rules (names, limits) live in its file,
 * next to it. Each check returns `undefined` when the value is allowed, or a sentence that says what is allowed.
 * Limits come from the owning service's documentation, cited next to each rule.
 */
import { partition } from '@aws-sdk/core/client';
import sdkPackage from '@aws-sdk/core/package.json';
import { Check } from './validation';

/** A check that a string matches `pattern`. */
export const matches =
  (pattern: RegExp, allowed: string): Check<string> =>
  (value) =>
    typeof value === 'string' && pattern.test(value) ? undefined : allowed;

/** One of a fixed list of values. */
export const checkOneOf =
  <T extends string>(values: readonly T[]): Check<string> =>
  (value) =>
    (values as readonly string[]).includes(value) ? undefined : `must be one of ${values.join(', ')}`;

/** `true` or `false`. */
export const checkBoolean: Check<boolean> = (value) =>
  typeof value === 'boolean' ? undefined : 'must be true or false';

/** An integer within [min, max]. */
export const checkIntegerBetween =
  (min: number, max: number): Check<number> =>
  (value) =>
    Number.isInteger(value) && value >= min && value <= max
      ? undefined
      : max === Number.MAX_SAFE_INTEGER
        ? `must be an integer >= ${min}`
        : `must be an integer from ${min} to ${max}`;

/**
 * A relative path as one spelling: `./app/`, `app/` and `app//` are `app`, `./` is `.`. Git, CodeBuild's webhook
 * filters, CodePipeline's trigger globs and CODEOWNERS match paths written without `./` or a trailing `/`, so every
 * use of `appPath` goes through this.
 */
export function canonicalRelativePath(path: string): string {
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.');
  return segments.length === 0 ? '.' : segments.join('/');
}

/** `props` with its `appPath`, when it has one, in its one spelling ({@link canonicalRelativePath}). */
export const withCanonicalAppPath = <T extends { readonly appPath?: string }>(props: T): T =>
  props.appPath === undefined ? props : { ...props, appPath: canonicalRelativePath(props.appPath) };

/**
 * The first character of `value` a reader cannot see, as `U+200B at character 5`: a format character (zero-width,
 * bidirectional control, byte-order mark), a control character, a line or paragraph separator, or a space other than
 * U+0020 (Unicode general categories Cf, Cc, Zl, Zp and Zs). Undefined when there is none.
 */
export function invisibleCharacter(value: string): string | undefined {
  const match = /(?! )[\p{Cf}\p{Cc}\p{Zl}\p{Zp}\p{Zs}]/u.exec(value);
  if (match === null) return undefined;
  const code = match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return `U+${code} at character ${[...value.slice(0, match.index)].length + 1}`;
}

/**
 * `check`, after refusing a value that holds a character a reader cannot see: in a name that must match exactly (a
 * branch, a status context, an address), it makes one that looks right and never matches.
 */
export const visible =
  (check: Check<string>): Check<string> =>
  (value) => {
    const invisible = typeof value === 'string' ? invisibleCharacter(value) : undefined;
    return invisible === undefined
      ? check(value)
      : `must not hold a character nobody can see (${invisible}): it would never match what it names`;
  };

/** A path inside the source repository, relative to its root (`.` for the root itself). */
export const checkRelativePath: Check<string> = (value) =>
  typeof value === 'string' &&
  value.length > 0 &&
  !value.startsWith('/') &&
  !value.split('/').includes('..') &&
  /^[A-Za-z0-9._/-]+$/.test(value)
    ? undefined
    : 'must be a path relative to the repository root ("." for the root), made of letters, digits, ".", "_", "-" ' +
      'and "/", without ".." or a leading "/"';

/**
 * A region AWS lists, in the AWS SDKs' own table of partitions and regions (`partitions.json`, read through
 * `@aws-sdk/core`). It is the table the AWS provider validates its `region` against ("invalid AWS Region" at plan,
 * unless `skip_region_validation`), so a region code of the right shape that AWS never launched (`eu-west-9`) is
 * refused here, at synth, rather than there. A region launched after the pinned release needs a newer one.
 */
export const checkAwsRegion: Check<string> = (value) =>
  typeof value === 'string' && isListedRegion(value)
    ? undefined
    : 'must be the code of a region AWS has launched, such as "us-east-1" or "eu-central-1" (the list: ' +
      'https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html; this check knows the ' +
      `regions of @aws-sdk/core ${sdkPackage.version})`;

/**
 * The partition a region belongs to, as ARNs in it are written (AWS General Reference, "Amazon Resource Names"): `aws`,
 * `aws-cn`, `aws-us-gov`, and the isolated and sovereign partitions, from the same table as {@link checkAwsRegion}.
 */
export function partitionOf(region: string): string {
  return partition(region).name;
}

// `partition()` answers every string: a listed region with its own entry (which carries its `description`), any other
// with the partition whose pattern it matches, or `aws`. Each partition also lists a `<partition>-global` pseudo-region
// for its global endpoints, where no regional service (CodeBuild, CodePipeline) runs.
function isListedRegion(region: string): boolean {
  const found = partition(region);
  return 'description' in found && region !== `${found.name}-global`;
}

/**
 * An ARN (`arn:partition:service:region:account:resource`) in the partition of `region`: no ARN is usable across
 * partitions.
 */
export const checkArnInPartitionOf =
  (region: string): Check<string> =>
  (arn) => {
    const arnPartition = typeof arn === 'string' ? arn.split(':')[1] : undefined;
    return arnPartition === partitionOf(region)
      ? undefined
      : `must be in the partition "${partitionOf(region)}" of the region "${region}", not "${arnPartition ?? ''}"`;
  };

/**
 * A regional ARN usable where `region` is: in that region and its partition.
 * KMS keys and secrets serve only their own region.
 */
export const checkArnUsableIn =
  (region: string, where: string): Check<string> =>
  (arn) => {
    const arnRegion = typeof arn === 'string' ? arn.split(':')[3] : undefined;
    if (arnRegion !== region)
      return (
        `must be in the region "${region}" of ${where} (keys and secrets serve only their own region), not ` +
        `"${arnRegion ?? ''}"`
      );
    return checkArnInPartitionOf(region)(arn);
  };

/** Whether a value is computed by Terraform (a reference or other expression), so only Terraform can check it. */
export const isTerraformExpression = (value: string) => value.includes('${');

/** `text` as a regular expression that matches only itself. */
export const literalPattern = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, (character) => `\\${character}`);

/**
 * A required status check's context (GitHub REST API, "Create a commit status": `context`, a label); leading or
 * trailing spaces would never match.
 */
export const checkStatusCheckContext = visible(
  matches(
    // eslint-disable-next-line no-control-regex -- control characters are what the pattern refuses.
    /^\S(?:[^\x00-\x1f\x7f]{0,253}\S)?$/,
    'must be a status check context: 1-255 printable characters, not starting or ending with a space',
  ),
);
