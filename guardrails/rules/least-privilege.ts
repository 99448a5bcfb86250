/**
 * Least privilege, exactly: a service role allows what its services need
 * (permissions.ts's need model, the same one permission completeness checks
 * against) and nothing more. Scanners look for a few shapes of too much
 * (`Action: "*"`, `iam:*`); this rule needs no list of shapes, because every
 * grant is expanded against AWS's action catalog and compared with the needs:
 * `kms:*`, `iam:Put*`, `*:*`, StartBuild on another project, writes to another
 * pipeline's artifacts and every secret's value are all the same finding.
 */
import {
  ASSUME_ROLE_ACTIONS,
  CODESTAR_NOTIFICATIONS_PRINCIPAL,
  LOGS_KEY_ACTIONS,
  NOTIFICATION_KEY_ACTIONS,
  NOTIFICATION_PUBLISH_ACTIONS,
} from '../../shared/iam-actions';
import { shapeOf } from '../core/arn';
import { globMatches } from '../core/glob';
import { policiesAt } from '../core/policy-document';
import { Rule } from '../core/rule';
import { locate } from '../core/statement-rule';
import { blocks, Element, SynthesizedStack } from '../core/terraform-json';
import { CATALOG_VERSION } from '../iam/catalog';
import { grantsBeyond, Need } from '../iam/least-privilege';
import { codeBuildNeeds, keyNamed, pipelineNeeds, rolePolicies, ServiceNeeds } from './permissions';

/** Each stack's services and their needs, read once for the rules that ask of every role. */
const needsByStack = new WeakMap<SynthesizedStack, readonly ServiceNeeds[]>();

/** What each service that uses `role` in the stack does with it: its CodeBuild projects and pipelines. */
export function servicesUsing(role: Element, stack: SynthesizedStack): ServiceNeeds[] {
  let all = needsByStack.get(stack);
  if (all === undefined) {
    all = [
      ...stack.ofType('aws_codebuild_project').map((project) => codeBuildNeeds(project, stack)),
      ...stack.ofType('aws_codepipeline').map((pipeline) => pipelineNeeds(pipeline, stack)),
    ].filter((needs): needs is ServiceNeeds => needs !== undefined);
    needsByStack.set(stack, all);
  }
  return all.filter((needs) => needs.role.address === role.address);
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

// --- Principals of trust and resource policies (CIP_IAM_17) ---------------------------------------------------------

/** What one service needs of a resource through its resource policy. */
interface ServiceGrant {
  /** The service principal, `*` standing for a region (`logs.*.amazonaws.com`). */
  readonly service: string;
  readonly actions: readonly string[];
  /** Why the stack needs it, for the message. */
  readonly because: string;
}

/** The topics of the stack that a notification rule targets. */
const notifiedTopics = (stack: SynthesizedStack) =>
  stack
    .ofType('aws_codestarnotifications_notification_rule')
    .flatMap((rule) => blocks(rule.body.target))
    .map((target) => stack.resolve(target.address, 'aws_sns_topic'))
    .filter((topic): topic is Element => topic !== undefined);

/**
 * What services need of a key, topic or bucket through its policy, as the stack uses it: CloudWatch Logs a key that
 * encrypts a log group, CodeStar Notifications a topic it notifies and that topic's key, S3 server access logging the
 * bucket it delivers to ("Enable server access logging": the logging service principal, S3 User Guide).
 */
function serviceGrants(resource: Element, stack: SynthesizedStack): ServiceGrant[] {
  if (resource.type === 'aws_kms_key') {
    const grants: ServiceGrant[] = [];
    if (stack.ofType('aws_cloudwatch_log_group').some((group) => keyNamed(group.body.kms_key_id, stack) === resource))
      grants.push({ service: 'logs.*.amazonaws.com', actions: LOGS_KEY_ACTIONS, because: 'a log group' });
    if (notifiedTopics(stack).some((topic) => keyNamed(topic.body.kms_master_key_id, stack) === resource))
      grants.push({
        service: CODESTAR_NOTIFICATIONS_PRINCIPAL,
        actions: NOTIFICATION_KEY_ACTIONS,
        because: 'a notified topic',
      });
    return grants;
  }
  if (resource.type === 'aws_sns_topic')
    return notifiedTopics(stack).includes(resource)
      ? [{ service: CODESTAR_NOTIFICATIONS_PRINCIPAL, actions: NOTIFICATION_PUBLISH_ACTIONS, because: 'a rule' }]
      : [];
  if (resource.type === 'aws_s3_bucket')
    return stack
      .ofType('aws_s3_bucket_logging')
      .some((logging) => stack.resolve(logging.body.target_bucket) === resource)
      ? [{ service: 'logging.s3.amazonaws.com', actions: ['s3:PutObject'], because: 'access logging' }]
      : [];
  return [];
}

/** The attribute by which a policy resource names the key, topic or bucket whose policy it is. */
const POLICY_OF: Readonly<Record<string, string>> = {
  aws_kms_key_policy: 'key_id',
  aws_sns_topic_policy: 'arn',
  aws_s3_bucket_policy: 'bucket',
};

/** The key, topic or bucket whose policy `holder` attaches (itself, or the resource its policy resource names). */
function policyResource(holder: Element, stack: SynthesizedStack): Element | undefined {
  const attribute = POLICY_OF[holder.type];
  return attribute === undefined ? holder : stack.resolve(holder.body[attribute]);
}

/** What the statements of `holder`'s resource policies grant services beyond what the stack needs of the resource. */
export function servicesBeyondNeed(holder: Element, stack: SynthesizedStack): string[] {
  const resource = policyResource(holder, stack);
  if (resource === undefined) return [];
  const grants = serviceGrants(resource, stack);
  return policiesAt(holder, stack)
    .filter((policy) => policy.use === 'resource')
    .flatMap((policy) => (policy.statements ?? []).map((statement, index) => ({ policy, statement, index })))
    .filter(({ statement }) => statement.effect === 'Allow')
    .flatMap(({ policy, statement, index }) =>
      statement.principals
        .filter((principal) => principal.type === 'Service')
        .flatMap((principal) => principal.identifiers)
        .flatMap((service) => {
          const where = locate(policy, statement, index);
          const grant = grants.find((candidate) => globMatches(candidate.service, shapeOf(service)));
          if (grant === undefined)
            return [`${where} grants ${service}, which nothing in the stack needs on ${resource.path}`];
          const beyond = grantsBeyond([statement], [{ actions: grant.actions, resources: [...statement.resources] }]);
          return beyond.map(
            (excess) => `${where} grants ${service} beyond what ${grant.because} needs: ${excess.grants.join('; ')}`,
          );
        }),
    );
}

/**
 * What a role's trust policy allows beyond its uses: a service none of them is, and for the services that are, any
 * action but assuming the role (`sts:*` would also let them tag sessions and set source identities).
 */
export function trustBeyondNeed(role: Element, stack: SynthesizedStack): string[] {
  const services = new Set(servicesUsing(role, stack).map((needs) => needs.service));
  if (services.size === 0) return [];
  return policiesAt(role, stack)
    .filter((policy) => policy.use === 'trust')
    .flatMap((policy) => (policy.statements ?? []).map((statement, index) => ({ policy, statement, index })))
    .filter(({ statement }) => statement.effect === 'Allow')
    .flatMap(({ policy, statement, index }) => {
      const trusted = statement.principals
        .filter((principal) => principal.type === 'Service')
        .flatMap((principal) => principal.identifiers);
      const strangers = trusted
        .filter((service) => !services.has(service.toLowerCase()))
        .map(
          (service) =>
            `role ${role.path} trusts ${service}, but only ${[...services].join(' and ')} use it: ${service} could ` +
            'act with its permissions',
        );
      // A trust policy's statements name no resource: the role is the resource.
      const asGrant = { ...statement, resources: ['*'] };
      const beyond =
        trusted.length === 0 ? [] : grantsBeyond([asGrant], [{ actions: ASSUME_ROLE_ACTIONS, resources: ['*'] }]);
      return [
        ...strangers,
        ...beyond.map(
          (excess) =>
            `${locate(policy, statement, index)} lets ${trusted.join(', ')} do more than assume role ${role.path}: ` +
            excess.grants.join('; '),
        ),
      ];
    });
}

export const PRINCIPALS_RULE: Rule = {
  id: 'CIP_IAM_17',
  name: 'Trust and resource policies name exactly the services that need them',
  explanation:
    'A service named in a trust policy can act with the role, and one named in a key, topic or bucket policy can use ' +
    'the resource for whatever resources of that service ask it to. Each one the stack does not use is access ' +
    'nobody reviews, and each action beyond what the service needs is more of it ("Apply least-privilege ' +
    'permissions", IAM User Guide). The services a stack needs are read from it: CodeBuild and CodePipeline for the ' +
    "roles their projects and pipelines use, CloudWatch Logs for a log group's key, CodeStar Notifications for a " +
    "notified topic and its key, S3's logging service for an access-log bucket.",
  targets: [
    'aws_iam_role',
    'aws_kms_key',
    'aws_kms_key_policy',
    'aws_sns_topic',
    'aws_sns_topic_policy',
    'aws_s3_bucket',
    'aws_s3_bucket_policy',
  ],
  fix:
    'remove the service, or the actions it does not need; a service the stack uses outside these constructs needs a ' +
    'suppression of CIP_IAM_17 that says what uses it',
  check: (element, stack) =>
    element.type === 'aws_iam_role' ? trustBeyondNeed(element, stack) : servicesBeyondNeed(element, stack),
};
