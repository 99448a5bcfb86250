/**
 * How IAM matches a policy's actions and resources against a request, the one
 * place the rules do it (permission completeness, least privilege and the
 * pull-request invariants all ask here).
 *
 * - An action matches ignoring case, with `*` for any run of characters and `?`
 *   for one ("IAM JSON policy elements: Action", IAM User Guide).
 * - A resource ARN matches part by part: its six colon-separated parts
 *   (`arn:partition:service:region:account:resource`) are each matched on their
 *   own, case-sensitively, with `*` and `?` inside one part, the resource part
 *   keeping its own colons ("IAM JSON policy elements: Resource": wildcards
 *   "within any ARN segment"; the ArnLike operator: "each of the six
 *   colon-delimited components of the ARN is checked separately"). A `*` in the
 *   account never reaches into the resource.
 * - A pattern that is not a whole ARN (`*`, a reference Terraform resolves at
 *   apply) is matched as one text.
 */
import { parseArn } from '../core/arn';
import { globMatches } from '../core/glob';

/** Whether an action pattern matches an action, as IAM matches them. */
export const actionMatches = (pattern: string, action: string): boolean =>
  globMatches(pattern, action, { ignoreCase: true });

/** Whether a resource pattern matches a resource, as IAM matches them: ARNs part by part. */
export function resourceMatches(pattern: string, resource: string): boolean {
  if (pattern === resource) return true;
  const [patternArn, resourceArn] = [parseArn(pattern), parseArn(resource)];
  if (patternArn === undefined || resourceArn === undefined) return globMatches(pattern, resource);
  return (['partition', 'service', 'region', 'account', 'resource'] as const).every((part) =>
    globMatches(patternArn[part], resourceArn[part]),
  );
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
