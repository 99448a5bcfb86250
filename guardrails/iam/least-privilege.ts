/**
 * What an identity policy allows beyond a list of needs: each Allow statement's
 * actions, expanded against AWS's catalog ({@link expandActions}), on each of
 * its resources, must be one of a need's actions on a resource within the
 * need's. Whatever is left is beyond need: more actions (`kms:*` where
 * `kms:Decrypt` was needed), more resources (`*`, another pipeline's folder),
 * or a value that cannot be read before apply, which cannot be proven within.
 */
import { NormalizedStatement } from '../core/policy-document';
import { expandActions } from './catalog';
import { resourceWithin } from './matching';

/** What a principal needs on one resource, written in any of its spellings. */
export interface Need {
  readonly actions: readonly string[];
  /** The resource, and other ways the same resource may be written in a policy. */
  readonly resources: readonly string[];
}

/** One statement's grants beyond every need. */
export interface Excess {
  readonly statement: NormalizedStatement;
  /** What the statement allows beyond need, in words: `kms:* (kms:CancelKeyDeletion, ...) on *`. */
  readonly grants: readonly string[];
}

/** How many actions of a pattern a message names before it counts the rest. */
const NAMED_ACTIONS = 3;

/** The statements' grants beyond `needs`, action by action (expanded against the catalog) and resource by resource. */
export function grantsBeyond(statements: readonly NormalizedStatement[], needs: readonly Need[]): Excess[] {
  const neededActions = needs.map((need) => ({
    actions: new Set(need.actions.flatMap((pattern) => expandActions(pattern).map((action) => action.name))),
    resources: need.resources,
  }));
  const excess: Excess[] = [];
  for (const statement of statements) {
    if (statement.effect !== 'Allow') continue;
    const grants: string[] = [];
    if (statement.notActions.length > 0)
      grants.push(`every action but ${statement.notActions.join(', ')} (NotAction), on ${describe(statement)}`);
    if (statement.notResources.length > 0)
      grants.push(`${statement.actions.join(', ')} on every resource but ${statement.notResources.join(', ')}`);
    for (const resource of statement.resources) {
      // Whether a need's resources cover this one, asked once a need, and only of needs that have the action.
      const covered = new Map<(typeof neededActions)[number], boolean>();
      const covers = (need: (typeof neededActions)[number]) => {
        let answer = covered.get(need);
        if (answer === undefined)
          covered.set(need, (answer = need.resources.some((needed) => resourceWithin(resource, needed))));
        return answer;
      };
      for (const pattern of statement.actions) {
        const actions = expandActions(pattern);
        const beyond = actions.filter(
          (action) => !neededActions.some((need) => need.actions.has(action.name) && covers(need)),
        );
        if (actions.length === 0) grants.push(`${pattern}, which no action of AWS's catalog matches, on ${resource}`);
        else if (beyond.length > 0) grants.push(`${describeActions(pattern, beyond)} on ${describeResource(resource)}`);
      }
    }
    if (grants.length > 0) excess.push({ statement, grants });
  }
  return excess;
}

function describeActions(pattern: string, beyond: readonly { name: string }[]): string {
  if (beyond.length === 1 && beyond[0].name.toLowerCase() === pattern.toLowerCase()) return beyond[0].name;
  const named = beyond.slice(0, NAMED_ACTIONS).map((action) => action.name);
  const more = beyond.length > NAMED_ACTIONS ? `, ... (${beyond.length} actions beyond need)` : '';
  return `${pattern} (${named.join(', ')}${more})`;
}

/** A resource for a message; one that still holds a variable or local after they were followed cannot be read. */
const describeResource = (resource: string) =>
  /\$\{(?:var|local)\./.test(resource) ? `${resource} (a variable or local, not read before plan)` : resource;

const describe = (statement: NormalizedStatement) =>
  statement.resources.length > 0 ? statement.resources.join(', ') : 'nothing';
