/**
 * What the infrastructure pipeline's apply may do, which is also the permissions boundary of every role it applies
 * (IAM User Guide, "Permissions boundaries for IAM entities": effective permissions are the intersection of the
 * identity policies and the boundary). The constructs write these statements into the apply role's policy and the
 * boundary policy, and the guardrails derive an applying build's needs from them. A leaf module.
 */

/** The suffixes of the roles this project's constructs create: a build project's and a pipeline's. */
export const ROLE_NAME_SUFFIXES = { build: '-codebuild', pipeline: '-codepipeline' } as const;

/**
 * The role actions IAM authorizes against the boundary the role has or is given (`iam:PermissionsBoundary`, in the
 * Service Authorization Reference's IAM table; a test reads the catalog): allowed only for this boundary. Removing a
 * boundary (`iam:DeleteRolePermissionsBoundary`) is never allowed.
 */
export const BOUNDED_ROLE_ACTIONS: readonly string[] = [
  'iam:AttachRolePolicy',
  'iam:CreateRole',
  'iam:DeleteRole',
  'iam:DeleteRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:PutRolePolicy',
  'iam:UpdateAssumeRolePolicy',
  'iam:UpdateRole',
  'iam:UpdateRoleDescription',
];

/** Role actions IAM does not authorize against a boundary: allowed on the bounded names alone. */
export const ROLE_TAG_ACTIONS: readonly string[] = ['iam:TagRole', 'iam:UntagRole'];

/** The services the pipelines' roles are passed to: CodeBuild runs a build's, CodePipeline a pipeline's. */
export const PASSED_TO_SERVICES: readonly string[] = ['codebuild.amazonaws.com', 'codepipeline.amazonaws.com'];

/**
 * The service-linked roles an apply may create: CodeStar Notifications creates its own with an account's first
 * notification rule (Developer Tools console User Guide, "Using service-linked roles for AWS CodeStar Notifications").
 */
export const SERVICE_LINKED_ROLE_SERVICES: readonly string[] = ['codestar-notifications.amazonaws.com'];

/**
 * What the apply role itself is denied, whatever its own policies say, though the services' other roles need some of
 * it: running work of other projects and pipelines (a build with a buildspec override runs as that project's role; an
 * approval or a re-run drives another team's pipeline; CodeBuild API Reference, "StartBuild"; CodePipeline API
 * Reference). Terraform calls none of these to manage the resources.
 */
export const APPLY_ROLE_DENIED_ACTIONS: readonly string[] = [
  'codebuild:RetryBuild',
  'codebuild:RetryBuildBatch',
  'codebuild:StartBuild',
  'codebuild:StartBuildBatch',
  'codebuild:StartCommandExecution',
  'codebuild:StartSandbox',
  'codebuild:StartSandboxConnection',
  'codepipeline:AcknowledgeJob',
  'codepipeline:AcknowledgeThirdPartyJob',
  'codepipeline:EnableStageTransition',
  'codepipeline:OverrideStageCondition',
  'codepipeline:PollForJobs',
  'codepipeline:PollForThirdPartyJobs',
  'codepipeline:PutActionRevision',
  'codepipeline:PutApprovalResult',
  'codepipeline:PutJobFailureResult',
  'codepipeline:PutJobSuccessResult',
  'codepipeline:PutThirdPartyJobFailureResult',
  'codepipeline:PutThirdPartyJobSuccessResult',
  'codepipeline:RetryStageExecution',
  'codepipeline:RollbackStage',
  'codepipeline:StartPipelineExecution',
];

/** Where the statements apply. */
export interface ApplyScope {
  /** The boundary's own ARN, which every role the statements let be created or changed must have. */
  readonly boundaryArn: string;
  /** `aws`, `aws-cn` or `aws-us-gov`, or a reference to it. */
  readonly partition: string;
  /** The account the roles are in, or a reference to it. */
  readonly accountId: string;
  /** The services whose every action is allowed, IAM aside. */
  readonly services: readonly string[];
  /** The apply role's name, which {@link APPLY_ROLE_DENIED_ACTIONS} are denied to. */
  readonly applyRoleName: string;
  /**
   * The only secrets whose values the apply role may read, by ARN: its build's own variables' (the GitHub provider's
   * token). An apply reads no other: the stacks refer to secrets, never to their values.
   */
  readonly applyReadableSecrets: readonly string[];
}

/** One statement of an IAM policy document, as JSON. */
export interface ApplyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: readonly string[];
  readonly Resource?: readonly string[];
  readonly NotResource?: readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/**
 * Every action of the services the stacks manage; of IAM, reads, and changes to roles of the bounded names that carry
 * the boundary; tagging, and passing to CodeBuild and CodePipeline, roles of those names; and the service-linked role
 * CodeStar Notifications needs. The apply role is denied running other projects' and pipelines' work, and every
 * secret's value but its own build's.
 */
export function applyStatements(scope: ApplyScope): ApplyStatement[] {
  const applyRoleOnly = {
    ArnEquals: { 'aws:PrincipalArn': `arn:${scope.partition}:iam::${scope.accountId}:role/${scope.applyRoleName}` },
  };
  const roles = Object.values(ROLE_NAME_SUFFIXES).map(
    (suffix) => `arn:${scope.partition}:iam::${scope.accountId}:role/*${suffix}`,
  );
  return [
    {
      Sid: 'ManagedServices',
      Effect: 'Allow',
      Action: scope.services.filter((service) => service !== 'iam').map((service) => `${service}:*`),
      Resource: ['*'],
    },
    { Sid: 'ReadIam', Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: ['*'] },
    {
      Sid: 'ManageBoundedRoles',
      Effect: 'Allow',
      Action: BOUNDED_ROLE_ACTIONS,
      Resource: roles,
      Condition: { StringEquals: { 'iam:PermissionsBoundary': scope.boundaryArn } },
    },
    { Sid: 'TagBoundedRoles', Effect: 'Allow', Action: ROLE_TAG_ACTIONS, Resource: roles },
    {
      Sid: 'PassRolesToPipelines',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: roles,
      Condition: { StringEquals: { 'iam:PassedToService': PASSED_TO_SERVICES } },
    },
    {
      Sid: 'CreateServiceLinkedRoles',
      Effect: 'Allow',
      Action: ['iam:CreateServiceLinkedRole'],
      Resource: [`arn:${scope.partition}:iam::${scope.accountId}:role/aws-service-role/*`],
      Condition: { StringEquals: { 'iam:AWSServiceName': SERVICE_LINKED_ROLE_SERVICES } },
    },
    {
      Sid: 'DenyApplyRunningWork',
      Effect: 'Deny',
      Action: APPLY_ROLE_DENIED_ACTIONS,
      Resource: ['*'],
      Condition: applyRoleOnly,
    },
    {
      Sid: 'DenyApplyReadingSecrets',
      Effect: 'Deny',
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:BatchGetSecretValue'],
      ...(scope.applyReadableSecrets.length === 0 ? { Resource: ['*'] } : { NotResource: scope.applyReadableSecrets }),
      Condition: applyRoleOnly,
    },
  ];
}
