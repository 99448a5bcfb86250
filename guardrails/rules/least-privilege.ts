/**
 * Least privilege, exactly: a service role allows what its services need
 * (permissions.ts's need model, the same one permission completeness checks
 * against) and nothing more. Scanners look for a few shapes of too much
 * (`Action: "*"`, `iam:*`); this rule needs no list of shapes, because every
 * grant is expanded against AWS's action catalog and compared with the needs:
 * `kms:*`, `iam:Put*`, `*:*`, StartBuild on another project, writes to another
 * pipeline's artifacts and every secret's value are all the same finding.
 */
import { grantsBeyond, Need } from '../iam/least-privilege';
import { CATALOG_VERSION } from '../iam/catalog';
import { Rule } from '../core/rule';
import { Element, SynthesizedStack } from '../core/terraform-json';
import { codeBuildNeeds, pipelineNeeds, rolePolicies, ServiceNeeds } from './permissions';

/** What each service that uses `role` in the stack does with it: its CodeBuild projects and pipelines. */
export function servicesUsing(role: Element, stack: SynthesizedStack): ServiceNeeds[] {
  const uses = (needs: ServiceNeeds | undefined): needs is ServiceNeeds => needs?.role.address === role.address;
  return [
    ...stack.ofType('aws_codebuild_project').map((project) => codeBuildNeeds(project, stack)),
    ...stack.ofType('aws_codepipeline').map((pipeline) => pipelineNeeds(pipeline, stack)),
  ].filter(uses);
}

/** What the role's identity policies allow beyond its services' needs, one line per statement. */
export function privilegeBeyondNeed(role: Element, stack: SynthesizedStack): string[] {
  const services = servicesUsing(role, stack);
  if (services.length === 0) return [];
  const needs: Need[] = services.flatMap((service) =>
    service.needs.map((need) => ({
      actions: need.actions,
      resources: [need.resource, ...(need.sameResourceAs ?? []), ...(need.alsoWithin ?? [])],
    })),
  );
  const { statements, unread } = rolePolicies(role, stack);
  const users = [...new Set(services.map((service) => service.service))].join(' and ');
  return [
    ...unread.map(
      (policy) => `role ${role.path}: ${policy} cannot be read before apply, so its least privilege cannot be proven`,
    ),
    ...grantsBeyond(statements, needs).map(
      ({ statement, grants }) =>
        `role ${role.path}${statement.sid === undefined ? '' : ` (statement ${statement.sid})`} allows beyond ` +
        `what ${users} needs: ${grants.join('; ')}`,
    ),
  ];
}

/**
 * CIP_IAM_13: a service role of a CodeBuild project or a pipeline allows
 * nothing beyond what the services that use it need. Each Allow statement of
 * each identity policy of the role (inline, attached, managed in the stack) is
 * expanded against the Service Authorization Reference's actions and compared,
 * action by action and resource by resource, with the needs permission
 * completeness (CIP_PERM_1, CIP_PERM_2) derives from the synthesized
 * configuration. A policy that cannot be read is a finding, not a pass.
 */
export const LEAST_PRIVILEGE_RULE: Rule = {
  id: 'CIP_IAM_13',
  name: 'Service roles allow only what their CodeBuild projects and pipelines need',
  explanation:
    'A service role is the credentials of every build and pipeline run: whatever the build ' +
    "script or a compromised dependency can reach. AWS's guidance is to grant only the " +
    'permissions required for a task ("Apply least-privilege permissions", IAM User Guide, ' +
    'Security best practices). Each grant is expanded against the Service Authorization ' +
    `Reference's actions (catalog ${CATALOG_VERSION}) and compared with what the project or ` +
    'pipeline does, as permission completeness derives it.',
  targets: ['aws_iam_role'],
  fix:
    "grant through the constructs' grant* methods, which grant exactly what the service needs; or, where a build " +
    'truly needs more, suppress CIP_IAM_13 on the role with the reason',
  check: privilegeBeyondNeed,
};
