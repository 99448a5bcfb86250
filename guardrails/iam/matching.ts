/**
 * How IAM matches a policy's actions and resources against a request, the one
 * place the rules do it (permission completeness, least privilege and the
 * pull-request invariants all ask here).
 *
 * - An action matches ignoring case, with `*` for any run of characters and `?`
 *   for one ("IAM JSON policy elements: Action", IAM User Guide).
 * - A resource ARN matches segment by segment ("IAM JSON policy elements:
 *   Resource", IAM User Guide): `*` and `?` stand within one of the
 *   colon-separated segments, except that a `*` that is the last character of
 *   a segment "can expand to match beyond the colon boundaries"; the resource
 *   segment keeps its own colons. The partition, service, region and account
 *   match ignoring case; the resource does not ("the IAM user name is case
 *   sensitive").
 * - An ARN pattern of fewer than six segments reads as if its missing segments
 *   were `*` (`arn:aws:iam::*` is every IAM resource of every account), as
 *   @cloud-copilot/iam-simulate evaluates identity policies.
 * - A pattern that is not an ARN (`*`, a reference Terraform resolves at apply)
 *   is matched as one text. One whose first segment `arn` matches ignoring case
 *   is read as an ARN, and one with any other wildcard there as every ARN: IAM
 *   refuses such a policy, but a grant is never taken for smaller than it
 *   could be.
 */
import { parseArn, splitOutsideInterpolations } from '../core/arn';
import { globMatches } from '../core/glob';
import { memoized } from '../core/memo';

/** Whether an action pattern matches an action, as IAM matches them. */
export const actionMatches = (pattern: string, action: string): boolean =>
  globMatches(pattern, action, { ignoreCase: true });

const escape = (text: string) => text.replace(/[.+^${}()|[\]\\]/g, '\\$&');

/** One of the first five segments: wildcards within it, and a last `*` that may run on past its colon. */
const segmentSource = (segment: string) => {
  const trailing = segment.endsWith('*');
  const source = escape(trailing ? segment.slice(0, -1) : segment)
    .replace(/\*/g, '[^:]*')
    .replace(/\?/g, '[^:]');
  return trailing ? `${source}.*` : source;
};

const EVERY_ARN = /^/;

/**
 * An ARN pattern (its first segment one that `arn` matches, ignoring case) as a regular expression over an ARN whose
 * first five segments are lowercase, or null for a pattern that is no ARN.
 */
const arnPattern = memoized((pattern: string): RegExp | null => {
  const segments = splitOutsideInterpolations(pattern, ':');
  if (!globMatches(segments[0], 'arn', { ignoreCase: true }))
    // A wildcard where `arn` should be: a malformed pattern, which IAM refuses; taken as every resource.
    return /[*?]/.test(segments[0]) ? EVERY_ARN : null;
  while (segments.length < 6) segments.push('*');
  const prefix = segments.slice(0, 5).map((segment) => segmentSource(segment.toLowerCase()));
  const resource = escape(segments.slice(5).join(':')).replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${prefix.join(':')}:${resource}$`, 's');
});

/** An ARN with its partition, service, region and account lowercased, as patterns are compared with it; or null. */
const comparableArn = memoized((value: string): string | null => {
  const arn = parseArn(value);
  if (arn === undefined) return null;
  const prefix = [arn.partition, arn.service, arn.region, arn.account].map((segment) => segment.toLowerCase());
  return `arn:${prefix.join(':')}:${arn.resource}`;
});

/** Whether a resource pattern matches a resource, as IAM matches them. */
export function resourceMatches(pattern: string, resource: string): boolean {
  if (pattern === resource) return true;
  const target = comparableArn(resource);
  if (target === null) return globMatches(pattern, resource);
  // A whole ARN without wildcards, the most common pattern, is the resource or another.
  if (!/[*?]/.test(pattern)) {
    const literal = comparableArn(pattern);
    if (literal !== null) return literal === target;
  }
  const regex = arnPattern(pattern);
  return regex === null ? globMatches(pattern, resource) : regex.test(target);
}

/**
 * Whether every resource `granted` matches is one `needed` matches: `bucket/app/x*` is within `bucket/app/*`, and
 * `bucket/*` is not. The needed pattern is matched against the granted one as text, its wildcards taken as the
 * characters they are; a `?` in `needed` could stand for a `*` of `granted`, so such a pair is within only when equal.
 */
export function resourceWithin(granted: string, needed: string): boolean {
  if (granted === needed) return true;
  if (/[*?]/.test(granted) && needed.includes('?')) return false;
  return resourceMatches(needed, granted);
}
