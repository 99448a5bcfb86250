/**
 * Permission completeness: scanners catch too much permission, these rules catch
 * too little. Each service role must allow what its service does for the
 * configuration at hand, which is what makes the first build succeed and not
 * just the first apply.
 *
 * The needs are read from the synthesized service configuration (the project's
 * log group, secrets and key; the pipeline's artifact store, build actions and
 * connection) and expressed with the same named action lists the constructs
 * grant with, so a grant and its check cannot drift apart.
 *
 * The same holds for services that act through resource policies: CodeStar
 * Notifications must be let publish to the topics its rules target, and use
 * their keys (CIP_PERM_3).
 */
import {
  BUCKET_LIST_ACTIONS,
  BUCKET_READ_ACTIONS,
  CODESTAR_NOTIFICATIONS_PRINCIPAL,
  CONNECTION_TOKEN_ACTIONS,
  connectionActionsFor,
  ECR_AUTH_ACTIONS,
  ECR_PUSH_ACTIONS,
  KEY_ENCRYPT_DECRYPT_ACTIONS,
  LOG_WRITE_ACTIONS,
  NOTIFICATION_KEY_ACTIONS,
  NOTIFICATION_PUBLISH_ACTIONS,
  OBJECT_READ_WRITE_ACTIONS,
  REPORT_ACTIONS,
  SECRET_DECRYPT_ACTIONS,
  SECRET_READ_ACTIONS,
  START_BUILD_ACTIONS,
  STATE_KEY_READ_ACTIONS,
  STATE_LOCK_ACTIONS,
  STATE_WRITE_ACTIONS,
  STATE_READ_ACTIONS,
  USE_CONNECTION_ACTIONS,
} from '../../shared/iam-actions';
import { pipelineArtifactPrefix } from '../../shared/artifact-store';
import { PLAN_BUILD_VARIABLES } from '../../shared/plan-build';
import { applyStatements } from '../../shared/apply-permissions';
import { ownAccountSources } from '../core/arn';
import { NormalizedStatement, policiesAt } from '../core/policy-document';
import { actionMatches, resourceMatches } from '../iam/matching';
import { Rule } from '../core/rule';
import { block, blocks, Element, isExpression, parseReference, SynthesizedStack } from '../core/terraform-json';

/** Actions a service role must be allowed on one resource, and why. */
export interface PermissionNeed {
  readonly actions: readonly string[];
  readonly resource: string;
  /**
   * Other ways the same resource may be written in a policy; the need is met when each action is allowed on any
   * spelling.
   */
  readonly sameResourceAs?: readonly string[];
  /** What the service does with them, for the message. */
  readonly purpose: string;
  /**
   * Resources a grant of these actions may also name without going beyond the need, though they do not meet it: a
   * documented spelling such as a log group's ARN without `:*`. Least privilege reads them; completeness does not.
   */
  readonly alsoWithin?: readonly string[];
  /**
   * Whether completeness leaves the need out: in the service's documented role policy, so least privilege allows it,
   * but not something every run fails without.
   */
  readonly optional?: boolean;
}

/** What a service does with its role: the principal it assumes the role as, and the permissions it needs. */
export interface ServiceNeeds {
  readonly role: Element;
  readonly service: string;
  readonly needs: readonly PermissionNeed[];
}

/** `${type.name.attribute}` for an element of the stack. */
const ref = (element: Element, attribute: string) => `\${${element.address}.${attribute}}`;

/**
 * The ARN of the secret a `SECRETS_MANAGER` variable reads: its value without the `:json-key:version-stage:version-id`
 * suffix.
 */
export function secretOfVariable(value: string): string {
  const leading = /^\$\{[^}]+\}/.exec(value);
  if (leading !== null) return leading[0];
  return value.startsWith('arn:') ? value.split(':').slice(0, 7).join(':') : value;
}

/** The stack's pipelines whose Build actions run `project`. */
function pipelinesRunning(project: Element, stack: SynthesizedStack): Element[] {
  return stack
    .ofType('aws_codepipeline')
    .filter((pipeline) =>
      buildActions(pipeline).some(
        (action) => stack.resolve(block(action.configuration).ProjectName)?.address === project.address,
      ),
    );
}

function pipelineActions(pipeline: Element): Record<string, any>[] {
  return blocks(pipeline.body.stage).flatMap((stage) => blocks(stage.action));
}

function buildActions(pipeline: Element): Record<string, any>[] {
  return pipelineActions(pipeline).filter((action) => action.category === 'Build' && action.provider === 'CodeBuild');
}

/**
 * The ways a stack may write its partition: read from `data.aws_partition` (as `AwsContext` writes ARNs), or literally.
 */
const partitionsOf = (stack: SynthesizedStack) => [
  ...stack.ofType('data.aws_partition').map((partition) => ref(partition, 'partition')),
  'aws',
  'aws-cn',
  'aws-us-gov',
];

/** The ARNs an existing bucket, known only by name, may be written as. */
export function existingBucketArns(bucketName: string, stack: SynthesizedStack): string[] {
  return partitionsOf(stack).map((partition) => `arn:${partition}:s3:::${bucketName}`);
}

/**
 * The ARN of `element` and the ways it may be written: a reference to its
 * `arn`, or built from its literal name in the partition, region and account
 * the stack reads from data sources, as the constructs build ARNs that must be
 * known at plan time. `resource` turns the name into the ARN's resource part.
 */
function arnSpellings(
  element: Element,
  stack: SynthesizedStack,
  service: string,
  resource: (name: string) => string,
): { resource: string; sameResourceAs: string[] } {
  const name = element.body.name;
  if (typeof name !== 'string' || isExpression(name)) return { resource: ref(element, 'arn'), sameResourceAs: [] };
  const regions = stack
    .ofType('data.aws_region')
    .flatMap((region) => ['id', 'name', 'region'].map((attribute) => ref(region, attribute)));
  const accounts = ownAccountSources('data.aws_caller_identity', stack).map((account) => ref(account, 'account_id'));
  const built = partitionsOf(stack).flatMap((partition) =>
    regions.flatMap((region) =>
      accounts.map((account) => `arn:${partition}:${service}:${region}:${account}:${resource(name)}`),
    ),
  );
  return { resource: ref(element, 'arn'), sameResourceAs: built };
}

/**
 * What a pipeline's artifact stores need: the objects of the pipeline's folder
 * in the bucket, named after the pipeline (the whole bucket when the name is
 * not known before apply), and the key that encrypts them.
 */
function artifactStoreNeeds(pipeline: Element, stack: SynthesizedStack): PermissionNeed[] {
  const name = pipeline.body.name;
  const objects = typeof name === 'string' && !isExpression(name) ? `/${pipelineArtifactPrefix(name)}/*` : '/*';
  return blocks(pipeline.body.artifact_store).flatMap((store) => {
    const needs: PermissionNeed[] = [];
    const bucket = stack.resolve(store.location, 'aws_s3_bucket');
    const purpose = 'read and write pipeline artifacts';
    const bucketArns =
      bucket !== undefined
        ? [ref(bucket, 'arn')]
        : typeof store.location === 'string' && !isExpression(store.location)
          ? existingBucketArns(store.location, stack)
          : [];
    if (bucketArns.length > 0) {
      const [resource, ...sameResourceAs] = bucketArns.map((arn) => `${arn}${objects}`);
      needs.push({ actions: OBJECT_READ_WRITE_ACTIONS, resource, sameResourceAs, purpose });
      needs.push({
        actions: [...BUCKET_READ_ACTIONS, ...BUCKET_LIST_ACTIONS],
        resource: bucketArns[0],
        sameResourceAs: bucketArns.slice(1),
        purpose: "read the artifact bucket's settings and list its artifacts",
        optional: true,
      });
    }
    const key = block(store.encryption_key).id;
    if (typeof key === 'string' && key !== '') {
      needs.push({
        actions: KEY_ENCRYPT_DECRYPT_ACTIONS,
        resource: key,
        purpose: 'encrypt and decrypt pipeline artifacts',
      });
    }
    return needs;
  });
}

/**
 * What a project that reads GitHub itself needs for its credentials (CodeBuild
 * User Guide, "GitHub App connections" and "Create and store a token in a
 * Secrets Manager secret"): the connection's token, or the token's secret.
 */
function sourceAuthNeeds(source: Record<string, any>): PermissionNeed[] {
  const auth = block(source.auth);
  if (typeof auth.resource !== 'string') return [];
  if (auth.type === 'SECRETS_MANAGER')
    return [{ actions: SECRET_READ_ACTIONS, resource: auth.resource, purpose: 'read the GitHub token of its source' }];
  if (auth.type !== 'CODECONNECTIONS') return [];
  return [
    {
      actions: connectionActionsFor(auth.resource, CONNECTION_TOKEN_ACTIONS),
      resource: auth.resource,
      purpose: 'read its source through the GitHub connection',
    },
  ];
}

/**
 * What a project a pipeline runs needs to clone a source action's `CODEBUILD_CLONE_REF` output (CodePipeline User
 * Guide, "CodeStarSourceConnection for Bitbucket Cloud, GitHub, …": the CodeBuild service role needs `UseConnection`
 * on the connection): the connection of each such source the project's actions read.
 */
function cloneReferenceNeeds(project: Element, stack: SynthesizedStack): PermissionNeed[] {
  return pipelinesRunning(project, stack).flatMap((pipeline) => {
    const actions = pipelineActions(pipeline);
    const inputs = new Set(
      buildActions(pipeline)
        .filter((action) => stack.resolve(block(action.configuration).ProjectName)?.address === project.address)
        .flatMap((action) => (Array.isArray(action.input_artifacts) ? action.input_artifacts : [])),
    );
    return actions.flatMap((action) => {
      const configuration = block(action.configuration);
      const clones =
        action.provider === 'CodeStarSourceConnection' &&
        configuration.OutputArtifactFormat === 'CODEBUILD_CLONE_REF' &&
        typeof configuration.ConnectionArn === 'string' &&
        (Array.isArray(action.output_artifacts) ? action.output_artifacts : []).some((artifact: unknown) =>
          inputs.has(artifact),
        );
      return clones
        ? [
            {
              actions: connectionActionsFor(configuration.ConnectionArn, USE_CONNECTION_ACTIONS),
              resource: configuration.ConnectionArn,
              purpose: `clone the source of the ${action.name} action`,
            },
          ]
        : [];
    });
  });
}

/** What a CodeBuild project's role must allow. */
export function codeBuildNeeds(project: Element, stack: SynthesizedStack): ServiceNeeds | undefined {
  const role = stack.resolve(project.body.service_role, 'aws_iam_role');
  if (role === undefined) return undefined;
  const body = project.body;
  const variables = blocks(block(body.environment).environment_variable);
  const needs: PermissionNeed[] = [
    ...buildLogNeeds(body, stack),
    ...pipelinesRunning(project, stack).flatMap((pipeline) => artifactStoreNeeds(pipeline, stack)),
    ...cloneReferenceNeeds(project, stack),
    ...(typeof body.encryption_key === 'string' && body.encryption_key !== ''
      ? [{ actions: KEY_ENCRYPT_DECRYPT_ACTIONS, resource: body.encryption_key, purpose: 'encrypt build output' }]
      : []),
    ...secretVariableNeeds(variables, stack),
    ...reportGroupNeeds(body.name, stack),
    ...sourceAuthNeeds(block(body.source)),
    ...imagePushNeeds(variables, stack),
    ...terraformPlanNeeds(variables, stack),
    ...terraformApplyNeeds(variables, stack),
  ];
  return { role, service: 'codebuild.amazonaws.com', needs };
}

/**
 * What a build that plans Terraform needs, as its plain variables name it ({@link PLAN_BUILD_VARIABLES}): the S3
 * backend's (Terraform, "Backend Type: s3": list the bucket, read the state and decrypt it, and, when it locks, take
 * and release the lock file `<key>.tflock` under the state's key), and the secrets its plans read.
 */
function terraformPlanNeeds(variables: Record<string, any>[], stack: SynthesizedStack): PermissionNeed[] {
  const plain = new Map(
    variables
      .filter((variable) => variable.type !== 'SECRETS_MANAGER')
      .map((variable) => [String(variable.name), String(variable.value)] as const),
  );
  const bucket = plain.get(PLAN_BUILD_VARIABLES.stateBucket);
  const prefix = plain.get(PLAN_BUILD_VARIABLES.stateKeyPrefix);
  const key = plain.get(PLAN_BUILD_VARIABLES.stateKmsKey);
  const secrets = (plain.get(PLAN_BUILD_VARIABLES.planSecrets) ?? '').split(',').filter(Boolean);
  const needs: PermissionNeed[] = secrets.map((secret) => ({
    actions: SECRET_READ_ACTIONS,
    resource: secret,
    purpose: 'read a secret a planned stack reads',
  }));
  const writes = plain.get(PLAN_BUILD_VARIABLES.stateWrite) === 'true';
  const locks = writes || plain.get(PLAN_BUILD_VARIABLES.stateLock) === 'true';
  if (key !== undefined)
    needs.push({
      actions: locks ? KEY_ENCRYPT_DECRYPT_ACTIONS : STATE_KEY_READ_ACTIONS,
      resource: key,
      purpose: locks
        ? "encrypt the lock and the state, and decrypt the state, with the state's key"
        : 'decrypt the state',
    });
  if (bucket === undefined || prefix === undefined) return needs;
  const spellings = (path: string) => {
    const [resource, ...sameResourceAs] = partitionsOf(stack).map((partition) => `arn:${partition}:s3:::${path}`);
    return { resource, sameResourceAs };
  };
  return [
    ...needs,
    { actions: BUCKET_LIST_ACTIONS, ...spellings(bucket), purpose: "list the state's keys" },
    {
      actions: writes ? STATE_WRITE_ACTIONS : STATE_READ_ACTIONS,
      ...spellings(`${bucket}/${prefix}/*`),
      purpose: writes ? 'read and write the state' : 'read the state',
    },
    ...(locks
      ? [{ actions: STATE_LOCK_ACTIONS, ...spellings(`${bucket}/${prefix}/*.tflock`), purpose: 'lock the state' }]
      : []),
  ];
}

/**
 * What a build that applies Terraform needs beyond the state ({@link PLAN_BUILD_VARIABLES}'s `TF_STATE_WRITE` and
 * `TF_APPLY_SERVICES`): the statements the apply role is granted and the boundary holds it to, in any partition and
 * account (their conditions aside, which the needs do not model).
 */
function terraformApplyNeeds(variables: Record<string, any>[], stack: SynthesizedStack): PermissionNeed[] {
  const plain = new Map(variables.map((variable) => [String(variable.name), String(variable.value)] as const));
  if (plain.get(PLAN_BUILD_VARIABLES.stateWrite) !== 'true') return [];
  const services = (plain.get(PLAN_BUILD_VARIABLES.applyServices) ?? '').split(',').filter(Boolean);
  // The roles' ARNs as the stack may write them: its partition and account, read from data sources or literal.
  const accounts = ownAccountSources('data.aws_caller_identity', stack).map((account) => ref(account, 'account_id'));
  const [spelled, ...otherSpellings] = partitionsOf(stack)
    .flatMap((partition) => [...accounts, '*'].map((accountId) => ({ partition, accountId })))
    .map((where) =>
      applyStatements({ boundaryArn: '*', applyRoleName: '*', applyReadableSecrets: [], services, ...where }),
    );
  return spelled.flatMap((statement, index) =>
    (statement.Effect === 'Allow' ? (statement.Resource ?? []) : []).map((resource, resourceIndex) => ({
      actions: statement.Action,
      resource,
      sameResourceAs: otherSpellings.map((statements) => statements[index].Resource![resourceIndex]),
      purpose: `apply the stacks (${statement.Sid})`,
    })),
  );
}

/** Writing to the project's log group, unless its CloudWatch logs are off. */
function buildLogNeeds(body: Record<string, any>, stack: SynthesizedStack): PermissionNeed[] {
  const cloudwatch = block(block(body.logs_config).cloudwatch_logs);
  const logGroup = stack.resolve(cloudwatch.group_name, 'aws_cloudwatch_log_group');
  if (cloudwatch.status === 'DISABLED' || logGroup === undefined) return [];
  const arns = arnSpellings(logGroup, stack, 'logs', (name) => `log-group:${name}`);
  return [
    {
      actions: LOG_WRITE_ACTIONS,
      resource: `${arns.resource}:*`,
      sameResourceAs: arns.sameResourceAs.map((arn) => `${arn}:*`),
      // CodeBuild's own service role policy names the group as well as its streams ("Create a CodeBuild service role").
      alsoWithin: [arns.resource, ...arns.sameResourceAs],
      purpose: 'write build logs',
    },
  ];
}

/** The secrets that `SECRETS_MANAGER` environment variables name. */
export const secretsOfVariables = (variables: readonly Record<string, any>[]): string[] =>
  variables
    .filter((variable) => variable.type === 'SECRETS_MANAGER')
    .map((variable) => secretOfVariable(String(variable.value)));

/** Reading each secret a `SECRETS_MANAGER` environment variable names, and decrypting it with its key. */
function secretVariableNeeds(variables: Record<string, any>[], stack: SynthesizedStack): PermissionNeed[] {
  const secrets = new Set(secretsOfVariables(variables));
  return [...secrets].flatMap((secret): PermissionNeed[] => {
    const key = stack.resolve(secret, 'aws_secretsmanager_secret')?.body.kms_key_id;
    return [
      { actions: SECRET_READ_ACTIONS, resource: secret, purpose: 'read a SECRETS_MANAGER environment variable' },
      ...(typeof key === 'string' && key !== ''
        ? [{ actions: SECRET_DECRYPT_ACTIONS, resource: key, purpose: 'decrypt a secret it reads' }]
        : []),
    ];
  });
}

/**
 * Publishing to the project's report groups. CodeBuild names the report group of a buildspec report
 * `<project>-<report key>`; a group is the project's unless another project's longer name prefixes it too
 * (`app-pull-requests-unit-tests` is `app-pull-requests`'s).
 */
function reportGroupNeeds(projectName: unknown, stack: SynthesizedStack): PermissionNeed[] {
  if (typeof projectName !== 'string' || isExpression(projectName)) return [];
  const projectNames = stack.ofType('aws_codebuild_project').map((candidate) => String(candidate.body.name));
  const owns = (group: Element) => {
    const name = String(group.body.name);
    const owners = projectNames.filter((candidate) => name.startsWith(`${candidate}-`));
    return (
      owners.length > 0 &&
      owners.every((owner) => owner.length <= projectName.length) &&
      name.startsWith(`${projectName}-`)
    );
  };
  return stack
    .ofType('aws_codebuild_report_group')
    .filter(owns)
    .map((group) => ({
      actions: REPORT_ACTIONS,
      ...arnSpellings(group, stack, 'codebuild', (name) => `report-group/${name}`),
      purpose: `publish test reports to ${group.body.name}`,
    }));
}

/** Logging in to ECR and pushing to each repository a plain environment variable refers to. */
function imagePushNeeds(variables: Record<string, any>[], stack: SynthesizedStack): PermissionNeed[] {
  const plainValues = variables
    .filter((variable) => variable.type !== 'SECRETS_MANAGER')
    .map((variable) => String(variable.value));
  const pushedTo = stack
    .ofType('aws_ecr_repository')
    .filter((repository) => plainValues.some((value) => value.includes(`\${${repository.address}.`)));
  if (pushedTo.length === 0) return [];
  return [
    { actions: ECR_AUTH_ACTIONS, resource: '*', purpose: 'log in to ECR' },
    ...pushedTo.map((repository) => ({
      actions: ECR_PUSH_ACTIONS,
      ...arnSpellings(repository, stack, 'ecr', (name) => `repository/${name}`),
      purpose: 'push images',
    })),
  ];
}

/** What a pipeline's role must allow. */
export function pipelineNeeds(pipeline: Element, stack: SynthesizedStack): ServiceNeeds | undefined {
  const role = stack.resolve(pipeline.body.role_arn, 'aws_iam_role');
  if (role === undefined) return undefined;
  const needs: PermissionNeed[] = [...artifactStoreNeeds(pipeline, stack)];
  for (const action of buildActions(pipeline)) {
    const project = stack.resolve(block(action.configuration).ProjectName, 'aws_codebuild_project');
    if (project !== undefined) {
      needs.push({
        actions: START_BUILD_ACTIONS,
        ...arnSpellings(project, stack, 'codebuild', (name) => `project/${name}`),
        purpose: `run the ${action.name} action`,
      });
    }
  }
  for (const action of pipelineActions(pipeline).filter(
    (candidate) => candidate.provider === 'CodeStarSourceConnection',
  )) {
    const connection = block(action.configuration).ConnectionArn;
    if (typeof connection === 'string')
      needs.push({
        actions: connectionActionsFor(connection, USE_CONNECTION_ACTIONS),
        resource: connection,
        purpose: `fetch source in the ${action.name} action`,
      });
  }
  return { role, service: 'codepipeline.amazonaws.com', needs };
}

/** The elements of `type` whose `attribute` names `role`: by reference, or by its literal name, as IAM reads it. */
function attachedToRole(role: Element, stack: SynthesizedStack, type: string, attribute: string): Element[] {
  const names = (value: unknown) =>
    parseReference(value)?.address === role.address || (typeof value === 'string' && value === role.body.name);
  return stack.ofType(type).filter((element) => {
    const value = element.body[attribute];
    return Array.isArray(value) ? value.some(names) : names(value);
  });
}

/**
 * Every identity policy of `role` (inline, attached by reference or by its name as IAM reads it, and managed policies
 * of the stack), with those the checks cannot read named.
 */
export function rolePolicies(
  role: Element,
  stack: SynthesizedStack,
): { statements: NormalizedStatement[]; unread: string[] } {
  const statements: NormalizedStatement[] = [];
  const unread: string[] = [];
  const attachments = [
    ...attachedToRole(role, stack, 'aws_iam_role_policy_attachment', 'role'),
    ...attachedToRole(role, stack, 'aws_iam_policy_attachment', 'roles'),
  ];
  const holders = [...attachedToRole(role, stack, 'aws_iam_role_policy', 'role'), role];
  for (const attachment of attachments) {
    const policy = stack.resolve(attachment.body.policy_arn, 'aws_iam_policy');
    if (policy === undefined) unread.push(`the managed policy ${String(attachment.body.policy_arn)}`);
    else holders.push(policy);
  }
  for (const policy of holders.flatMap((holder) => policiesAt(holder, stack))) {
    if (policy.use !== 'identity') continue;
    if (policy.statements === undefined) unread.push(`the ${policy.attribute} of ${policy.consumer.address}`);
    else statements.push(...policy.statements);
  }
  return { statements, unread };
}

/** The statements of every identity policy attached to `role` in the stack that can be read. */
export function roleStatements(role: Element, stack: SynthesizedStack): NormalizedStatement[] {
  return rolePolicies(role, stack).statements;
}

/** Whether the statements allow `action` on `resource`: an Allow matches and no unconditional Deny does. */
export function isAllowed(statements: readonly NormalizedStatement[], action: string, resource: string): boolean {
  return isAllowedOnAny(statements, action, [resource]);
}

/**
 * Whether the statements allow `action` on at least one of `resources` (the
 * ways one resource may be written), as {@link isAllowed} judges each. The
 * statements that name the action are found once for all the spellings.
 */
export function isAllowedOnAny(
  statements: readonly NormalizedStatement[],
  action: string,
  resources: readonly string[],
): boolean {
  const naming = statements.filter((statement) => statement.actions.some((pattern) => actionMatches(pattern, action)));
  const allows = naming.filter((statement) => statement.effect === 'Allow');
  if (allows.length === 0) return false;
  const denies = naming.filter((statement) => statement.effect === 'Deny' && statement.conditions.length === 0);
  const covers = (statement: NormalizedStatement, resource: string) =>
    statement.resources.some((pattern) => resourceMatches(pattern, resource));
  return resources.some(
    (resource) =>
      allows.some((statement) => covers(statement, resource)) &&
      !denies.some((statement) => covers(statement, resource)),
  );
}

/** What `needs.role` lacks: an untrusted service, and each need with the actions it is not allowed. */
export function missingPermissions({ role, service, needs }: ServiceNeeds, stack: SynthesizedStack): string[] {
  const problems: string[] = [];
  const trusted = policiesAt(role, stack)
    .filter((policy) => policy.use === 'trust')
    .flatMap((policy) => policy.statements ?? [])
    .some(
      (statement) =>
        statement.effect === 'Allow' &&
        statement.actions.some((action) => actionMatches(action, 'sts:AssumeRole')) &&
        statement.principals.some(
          (principal) => principal.type === 'Service' && principal.identifiers.includes(service),
        ),
    );
  if (!trusted) problems.push(`role ${role.path} does not trust ${service}`);
  const statements = roleStatements(role, stack);
  for (const need of needs.filter((candidate) => candidate.optional !== true)) {
    const spellings = [need.resource, ...(need.sameResourceAs ?? [])];
    const denied = need.actions.filter((action) => !isAllowedOnAny(statements, action, spellings));
    if (denied.length > 0)
      problems.push(`role ${role.path} may not ${need.purpose}: ${denied.join(', ')} on ${need.resource}`);
  }
  return problems;
}

/** A rule that the role of each `target` element allows what `needsOf` says its service does. */
function permissionRule(
  id: string,
  name: string,
  explanation: string,
  target: string,
  needsOf: typeof codeBuildNeeds,
  example: string,
): Rule {
  return {
    id,
    name,
    explanation,
    targets: [target],
    fix: `grant through the resource's grant* method (e.g. \`${example}\`), which uses the same action lists`,
    check: (element, stack) => {
      const needs = needsOf(element, stack);
      return needs === undefined ? [] : missingPermissions(needs, stack);
    },
  };
}

// --- Notification topics (CIP_PERM_3) ------------------------------------------

/**
 * Whether `statement` applies to requests the CodeStar Notifications service makes: it names the service, or everyone.
 */
const appliesToNotifications = (statement: NormalizedStatement) =>
  statement.principals.some(
    (principal) =>
      principal.identifiers.includes('*') ||
      (principal.type === 'Service' && principal.identifiers.includes(CODESTAR_NOTIFICATIONS_PRINCIPAL)),
  );

/**
 * The statements of every resource policy of `element` (its own attribute and the `attachment` resources whose
 * `attribute` refers to it) that apply to CodeStar Notifications.
 */
function notificationStatements(
  element: Element,
  stack: SynthesizedStack,
  attachment: string,
  attribute: string,
): NormalizedStatement[] {
  return [element, ...stack.attachedTo(element, attachment, attribute)]
    .flatMap((holder) => policiesAt(holder, stack))
    .filter((policy) => policy.use === 'resource')
    .flatMap((policy) => policy.statements ?? [])
    .filter(appliesToNotifications);
}

/** Whether `value` names an AWS managed key: `alias/aws/...`, by name or alias ARN. */
export const isAwsManagedKeyAlias = (value: string): boolean =>
  /^(?:arn:[^:]+:kms:[^:]*:[^:]*:)?alias\/aws\//.test(value);

/** The key a `kms_key_id` or `kms_master_key_id` names: the key itself, or the key of an alias of the stack. */
export function keyNamed(value: unknown, stack: SynthesizedStack): Element | undefined {
  const alias = stack.resolve(value, 'aws_kms_alias');
  return stack.resolve(alias === undefined ? value : alias.body.target_key_id, 'aws_kms_key');
}

/** What the topic's key lacks for CodeStar Notifications: nothing when the key is not in the stack. */
function notificationKeyProblems(topic: Element, stack: SynthesizedStack): string[] {
  const keyId = topic.body.kms_master_key_id;
  if (typeof keyId !== 'string' || keyId === '') return [];
  if (isAwsManagedKeyAlias(keyId)) {
    return [
      `topic ${topic.path} is encrypted with the AWS managed key ${keyId}, whose key policy cannot be changed to ` +
        `let ${CODESTAR_NOTIFICATIONS_PRINCIPAL} use it, so no notification is delivered`,
    ];
  }
  const key = keyNamed(keyId, stack);
  if (key === undefined) return [];
  const statements = notificationStatements(key, stack, 'aws_kms_key_policy', 'key_id');
  const denied = NOTIFICATION_KEY_ACTIONS.filter(
    (action) => !isAllowedOnAny(statements, action, ['*', ref(key, 'arn')]),
  );
  return denied.length === 0
    ? []
    : [
        `key ${key.path} of topic ${topic.path} does not let ${CODESTAR_NOTIFICATIONS_PRINCIPAL} ` +
          `${denied.join(', ')}, so no notification is delivered`,
      ];
}

/** What a notification rule's SNS targets in the stack lack for CodeStar Notifications to deliver to them. */
export function notificationTargetProblems(rule: Element, stack: SynthesizedStack): string[] {
  // The AWS provider's target `type` defaults to SNS.
  const topics = blocks(rule.body.target)
    .filter((target) => (target.type ?? 'SNS') === 'SNS')
    .map((target) => stack.resolve(target.address, 'aws_sns_topic'))
    .filter((topic): topic is Element => topic !== undefined);
  return [...new Set(topics)].flatMap((topic) => {
    const statements = notificationStatements(topic, stack, 'aws_sns_topic_policy', 'arn');
    const spellings = [
      ref(topic, 'arn'),
      ref(topic, 'id'),
      ...arnSpellings(topic, stack, 'sns', (name) => name).sameResourceAs,
    ];
    const denied = NOTIFICATION_PUBLISH_ACTIONS.filter((action) => !isAllowedOnAny(statements, action, spellings));
    return [
      ...(denied.length === 0
        ? []
        : [
            `topic ${topic.path} does not let ${CODESTAR_NOTIFICATIONS_PRINCIPAL} ${denied.join(', ')} to it, so no ` +
              `notification is delivered`,
          ]),
      ...notificationKeyProblems(topic, stack),
    ];
  });
}

/**
 * CIP_PERM_3: the SNS topics a CodeStar Notifications rule targets can receive
 * its notifications. For each target of type SNS that is a topic of the stack:
 * (a) a topic policy (the topic's `policy` or an `aws_sns_topic_policy`) allows
 * the service principal `codestar-notifications.amazonaws.com` `sns:Publish` on
 * the topic; (b) the topic is not encrypted with an AWS managed key
 * (`alias/aws/...`), whose key policy cannot be changed to let the service use
 * it; (c) when its key is an `aws_kms_key` of the stack, the key policy allows
 * the service `kms:GenerateDataKey*` and `kms:Decrypt`. Without any of these,
 * the rule applies cleanly and its target turns "Unreachable" at the first failure.
 *
 * A key outside the stack (an existing key's ARN) and a topic outside it cannot
 * be read here: they pass without a finding, and their policies are their
 * owner's to get right (see `EncryptionKey.fromKeyArn`).
 *
 * Sources: "Configure Amazon SNS topics for notifications" (topic and key policy
 * statements) and "Troubleshooting" ("Unreachable" targets), Developer Tools
 * console User Guide, https://docs.aws.amazon.com/dtconsole/latest/userguide/set-up-sns.html
 * and .../troubleshooting.html; AWS managed keys' policies cannot be changed:
 * "AWS managed keys", AWS KMS Developer Guide, and Amazon SNS Developer Guide,
 * "Key management" (event sources from AWS services need a customer managed key),
 * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html.
 */
export const NOTIFICATION_TARGET_RULE: Rule = {
  id: 'CIP_PERM_3',
  name: 'SNS topics of notification rules let CodeStar Notifications publish, and their keys let it encrypt',
  explanation:
    'If the topic policy does not let codestar-notifications.amazonaws.com publish, or the ' +
    "topic's key does not let it encrypt, the notification rule applies cleanly but its target " +
    'turns Unreachable and pipeline failures reach nobody. A topic under the AWS managed key ' +
    'alias/aws/sns can never receive them, since that key\'s policy cannot be changed ("Configure ' +
    'Amazon SNS topics for notifications", Developer Tools console User Guide).',
  targets: ['aws_codestarnotifications_notification_rule'],
  fix:
    'use FailureNotifications, which writes the topic policy, with an EncryptionKey created with ' +
    'allowCodeStarNotifications: true (a customer managed key, never alias/aws/sns)',
  check: notificationTargetProblems,
};

export const PERMISSION_RULES: readonly Rule[] = [
  permissionRule(
    'CIP_PERM_1',
    'CodeBuild service roles allow everything their builds do',
    'A CodeBuild role that lacks a permission its build needs (its log group, a SECRETS_MANAGER ' +
      'variable, the project key, an ECR push) passes apply and every scanner but fails the first ' +
      'build, and is then often mended in haste with a wildcard. CodeBuild uses the service role ' +
      'for everything it does for the build ("Allow CodeBuild to interact with other AWS services", ' +
      'AWS CodeBuild User Guide).',
    'aws_codebuild_project',
    codeBuildNeeds,
    'imageRepository.grantPush(buildProject.role)',
  ),
  permissionRule(
    'CIP_PERM_2',
    'CodePipeline service roles allow everything their pipelines do',
    'A CodePipeline role that cannot use its artifact bucket and key, start its CodeBuild ' +
      'projects or use its CodeStar connection applies cleanly but fails the first run, which ' +
      'scanners that look only for too much permission never see. CodePipeline performs each action ' +
      'with this role unless the action names its own ("Manage the CodePipeline service role", AWS ' +
      'CodePipeline User Guide).',
    'aws_codepipeline',
    pipelineNeeds,
    'buildProject.grantStartBuild(pipelineRole)',
  ),
  NOTIFICATION_TARGET_RULE,
];
