// The benchmark's naive cdktf baseline (`npm run bench -- --peers`): what a team gets
// from `cdktf init --template=typescript` (cdktf.json, tsconfig.json) and the tutorial's
// way of writing stacks: providers imported from their packages' roots, plain L1
// resource classes, run by `npx cdktf synth` through `npx ts-node` (which type-checks).
// It writes the resources of our default configuration's two stacks (state-bootstrap
// and ci-sample-flask-app), with IAM policies as inline JSON.
import { Construct } from 'constructs';
import { App, Fn, S3Backend, TerraformStack } from 'cdktf';
import {
  cloudwatchLogGroup,
  codebuildProject,
  codebuildReportGroup,
  codebuildWebhook,
  codepipeline,
  codepipelineWebhook,
  codestarnotificationsNotificationRule,
  dataAwsCallerIdentity,
  dataAwsSecretsmanagerSecret,
  dataAwsSecretsmanagerSecretVersion,
  iamRole,
  iamRolePolicy,
  kmsAlias,
  kmsKey,
  provider as aws,
  s3Bucket,
  s3BucketLifecycleConfiguration,
  s3BucketOwnershipControls,
  s3BucketPolicy,
  s3BucketPublicAccessBlock,
  s3BucketServerSideEncryptionConfiguration,
  s3BucketVersioning,
  secretsmanagerSecret,
  snsTopic,
  snsTopicPolicy,
} from '@cdktf/provider-aws';
import {
  branchDefault,
  branchProtection,
  provider as github,
  repository,
  repositoryDependabotSecurityUpdates,
  repositoryFile,
  repositoryWebhook,
} from '@cdktf/provider-github';
import { password, provider as random } from '@cdktf/provider-random';

const REGION = 'eu-west-1';
const NAME = 'sample-flask-app';
const OWNER = 'example-org';
const STATE_BUCKET = 'example-org-terraform-state-eu-west-1';

function bucketHardening(
  scope: Construct,
  bucket: s3Bucket.S3Bucket,
  key: kmsKey.KmsKey,
  expirationDays?: number,
  noncurrentDays = 7,
) {
  new s3BucketVersioning.S3BucketVersioningA(scope, 'versioning', {
    bucket: bucket.id,
    versioningConfiguration: { status: 'Enabled' },
  });
  new s3BucketServerSideEncryptionConfiguration.S3BucketServerSideEncryptionConfigurationA(scope, 'encryption', {
    bucket: bucket.id,
    rule: [
      {
        applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.arn },
        bucketKeyEnabled: true,
      },
    ],
  });
  new s3BucketPublicAccessBlock.S3BucketPublicAccessBlock(scope, 'public-access-block', {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  new s3BucketOwnershipControls.S3BucketOwnershipControls(scope, 'ownership', {
    bucket: bucket.id,
    rule: { objectOwnership: 'BucketOwnerEnforced' },
  });
  new s3BucketLifecycleConfiguration.S3BucketLifecycleConfiguration(scope, 'lifecycle', {
    bucket: bucket.id,
    rule: [
      {
        id: 'expire-noncurrent-versions-and-abort-incomplete-uploads',
        status: 'Enabled',
        filter: [{}],
        expiration: expirationDays === undefined ? undefined : [{ days: expirationDays }],
        noncurrentVersionExpiration: [{ noncurrentDays }],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
      },
    ],
  });
  const denyInsecure = {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [bucket.arn, `${bucket.arn}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
  new s3BucketPolicy.S3BucketPolicy(scope, 'policy', {
    bucket: bucket.id,
    policy: JSON.stringify({ Version: '2012-10-17', Statement: [denyInsecure] }),
  });
}

function keyPolicy(account: string) {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AccountAdministers',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      {
        Sid: 'CloudWatchLogsEncryptsLogGroups',
        Effect: 'Allow',
        Principal: { Service: `logs.${REGION}.amazonaws.com` },
        Action: ['kms:Decrypt*', 'kms:Describe*', 'kms:Encrypt*', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
        Resource: '*',
        Condition: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${REGION}:${account}:log-group:*` },
        },
      },
      {
        Sid: 'CodeStarNotificationsPublishToEncryptedTopics',
        Effect: 'Allow',
        Principal: { Service: 'codestar-notifications.amazonaws.com' },
        Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        Resource: '*',
        Condition: { StringEquals: { 'kms:ViaService': `sns.${REGION}.amazonaws.com` } },
      },
    ],
  });
}

class StateBootstrapStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new aws.AwsProvider(this, 'aws', { region: REGION });
    const account = new dataAwsCallerIdentity.DataAwsCallerIdentity(this, 'account');
    const key = new kmsKey.KmsKey(this, 'key', {
      description: `Encrypts the Terraform state in s3://${STATE_BUCKET}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: keyPolicy(account.accountId),
      lifecycle: { preventDestroy: true },
    });
    new kmsAlias.KmsAlias(this, 'key-alias', { name: `alias/terraform-state/${STATE_BUCKET}`, targetKeyId: key.keyId });
    const bucket = new s3Bucket.S3Bucket(this, 'bucket', {
      bucket: STATE_BUCKET,
      forceDestroy: false,
      lifecycle: { preventDestroy: true },
    });
    bucketHardening(this, bucket, key, undefined, 365);
  }
}

class PipelineStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new aws.AwsProvider(this, 'aws', {
      region: REGION,
      defaultTags: [{ tags: { ManagedBy: 'cdktf', Pipeline: NAME, Stack: id } }],
    });
    new github.GithubProvider(this, 'github', { owner: OWNER });
    new random.RandomProvider(this, 'random');
    new S3Backend(this, {
      bucket: STATE_BUCKET,
      key: `ci-pipelines/${NAME}/terraform.tfstate`,
      region: REGION,
      encrypt: true,
      kmsKeyId: `alias/terraform-state/${STATE_BUCKET}`,
    });
    // cdktf 0.21's S3BackendConfig has no field for S3-native locking.
    this.addOverride('terraform.backend.s3.use_lockfile', true);
    const account = new dataAwsCallerIdentity.DataAwsCallerIdentity(this, 'account');
    const key = new kmsKey.KmsKey(this, 'key', {
      description: `Encrypts the ${NAME} pipeline's artifacts, logs, secrets and images`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: keyPolicy(account.accountId),
    });
    new kmsAlias.KmsAlias(this, 'key-alias', { name: `alias/ci/${NAME}`, targetKeyId: key.keyId });
    const bucket = new s3Bucket.S3Bucket(this, 'artifacts', { bucketPrefix: `${NAME}-artifacts-`, forceDestroy: true });
    bucketHardening(this, bucket, key, 30);
    const repo = this.repository();
    const dockerHub = new secretsmanagerSecret.SecretsmanagerSecret(this, 'dockerhub-credentials', {
      name: `ci/${NAME}/dockerhub`,
      description: 'Docker Hub credentials for CodeBuild (JSON with username and password)',
      kmsKeyId: key.arn,
      recoveryWindowInDays: 30,
    });
    const build = this.buildProject('build', NAME, key, dockerHub, true);
    const pullRequests = this.buildProject('pull-request-build', `${NAME}-pull-requests`, key, dockerHub, false, repo);
    const pipeline = this.pipeline(key, bucket, build.project, repo, dockerHub);
    this.notifications(key, [
      ['build-failed', build.project.arn, 'codebuild-project-build-state-failed'],
      ['pull-request-build-failed', pullRequests.project.arn, 'codebuild-project-build-state-failed'],
      ['pipeline-failed', pipeline.arn, 'codepipeline-pipeline-pipeline-execution-failed'],
    ]);
  }

  repository(): repository.Repository {
    const repo = new repository.Repository(this, 'repository', {
      name: NAME,
      description: `Built by the ${NAME} CI pipeline`,
      visibility: 'private',
      autoInit: true,
      hasWiki: false,
      deleteBranchOnMerge: true,
      archiveOnDestroy: true,
      vulnerabilityAlerts: true,
    });
    const branch = new branchDefault.BranchDefault(this, 'default-branch', {
      repository: repo.name,
      branch: 'main',
      rename: true,
    });
    new repositoryDependabotSecurityUpdates.RepositoryDependabotSecurityUpdates(this, 'dependabot-security-updates', {
      repository: repo.name,
      enabled: true,
    });
    const codeOwners = new repositoryFile.RepositoryFile(this, 'codeowners', {
      repository: repo.name,
      branch: branch.branch,
      file: '.github/CODEOWNERS',
      content:
        '/.github/CODEOWNERS @example-org/platform-team\n' +
        `/${NAME}/buildspec.yml @example-org/platform-team\n` +
        `/${NAME}/Dockerfile @example-org/platform-team\n`,
      commitMessage: 'Add CODEOWNERS for the files the CI build runs',
      overwriteOnCreate: false,
      lifecycle: { ignoreChanges: ['content', 'commit_message'] },
    });
    new branchProtection.BranchProtection(this, 'branch-protection', {
      repositoryId: repo.nodeId,
      pattern: branch.branch,
      enforceAdmins: true,
      allowsDeletions: false,
      allowsForcePushes: false,
      requireConversationResolution: true,
      requiredPullRequestReviews: [
        {
          dismissStaleReviews: true,
          requireCodeOwnerReviews: true,
          requireLastPushApproval: true,
          requiredApprovingReviewCount: 1,
        },
      ],
      requiredStatusChecks: [{ strict: true, contexts: [`codebuild/${NAME}`] }],
      dependsOn: [codeOwners],
    });
    return repo;
  }

  buildProject(
    id: string,
    name: string,
    key: kmsKey.KmsKey,
    dockerHub: secretsmanagerSecret.SecretsmanagerSecret,
    push: boolean,
    repo?: repository.Repository,
  ) {
    const logs = new cloudwatchLogGroup.CloudwatchLogGroup(this, `${id}-logs`, {
      name: `/aws/codebuild/${name}`,
      retentionInDays: 365,
      kmsKeyId: key.arn,
    });
    const reports = new codebuildReportGroup.CodebuildReportGroup(this, `${id}-unit-test-reports`, {
      name: `${name}-unit-tests`,
      type: 'TEST',
      deleteReports: true,
      exportConfig: { type: 'NO_EXPORT' },
    });
    const role = new iamRole.IamRole(this, `${id}-role`, {
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'codebuild.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    });
    const statements = [
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [`${logs.arn}:*`] },
      {
        Effect: 'Allow',
        Action: ['codebuild:CreateReport', 'codebuild:UpdateReport', 'codebuild:BatchPutTestCases'],
        Resource: [reports.arn],
      },
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*'], Resource: [key.arn] },
      ...(push ? [{ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [dockerHub.arn] }] : []),
    ];
    new iamRolePolicy.IamRolePolicy(this, `${id}-role-policy`, {
      role: role.id,
      policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
    });
    const variables = [
      { name: 'APP_DIR', value: NAME, type: 'PLAINTEXT' },
      { name: 'PUSH_IMAGE', value: String(push), type: 'PLAINTEXT' },
      {
        name: 'IMAGE_REPOSITORY_URI',
        value: push ? `docker.io/exampleorg/${NAME}` : `local/${NAME}`,
        type: 'PLAINTEXT',
      },
      { name: 'PUSH_LATEST_TAG', value: String(push), type: 'PLAINTEXT' },
      ...(push
        ? [
            { name: 'DOCKERHUB_USERNAME', value: `${dockerHub.arn}:username`, type: 'SECRETS_MANAGER' },
            { name: 'DOCKERHUB_PASSWORD', value: `${dockerHub.arn}:password`, type: 'SECRETS_MANAGER' },
          ]
        : []),
    ];
    const project = new codebuildProject.CodebuildProject(this, `${id}-project`, {
      name,
      description: push
        ? `Tests and builds ${NAME}; run by CodePipeline`
        : `Verifies pull requests into main: tests and image build, no push; reports "codebuild/${NAME}" to GitHub`,
      serviceRole: role.arn,
      encryptionKey: key.arn,
      buildTimeout: 30,
      queuedTimeout: 60,
      artifacts: { type: push ? 'CODEPIPELINE' : 'NO_ARTIFACTS' },
      cache: { type: 'LOCAL', modes: ['LOCAL_DOCKER_LAYER_CACHE', 'LOCAL_SOURCE_CACHE'] },
      environment: {
        computeType: 'BUILD_GENERAL1_SMALL',
        image: 'aws/codebuild/standard:7.0',
        type: 'LINUX_CONTAINER',
        privilegedMode: true,
        imagePullCredentialsType: 'CODEBUILD',
        environmentVariable: variables,
      },
      logsConfig: { cloudwatchLogs: { groupName: logs.name, status: 'ENABLED' }, s3Logs: { status: 'DISABLED' } },
      source:
        repo === undefined
          ? { type: 'CODEPIPELINE', buildspec: `${NAME}/buildspec.yml` }
          : this.pullRequestSource(repo),
    });
    if (repo !== undefined) {
      new codebuildWebhook.CodebuildWebhook(this, `${id}-webhook`, {
        projectName: project.name,
        buildType: 'BUILD',
        filterGroup: [
          {
            filter: [
              { type: 'EVENT', pattern: 'PULL_REQUEST_CREATED, PULL_REQUEST_UPDATED, PULL_REQUEST_REOPENED' },
              { type: 'BASE_REF', pattern: '^refs/heads/main$' },
            ],
          },
        ],
      });
    }
    return { project, role };
  }

  pullRequestSource(repo: repository.Repository): codebuildProject.CodebuildProjectSource {
    const token = new dataAwsSecretsmanagerSecret.DataAwsSecretsmanagerSecret(this, 'build-token', {
      name: 'github/codebuild-token',
    });
    return {
      type: 'GITHUB',
      location: `https://github.com/${OWNER}/${repo.name}.git`,
      gitCloneDepth: 1,
      buildspec: `${NAME}/buildspec.yml`,
      reportBuildStatus: true,
      buildStatusConfig: { context: `codebuild/${NAME}` },
      auth: { type: 'SECRETS_MANAGER', resource: token.arn },
    };
  }

  pipeline(
    key: kmsKey.KmsKey,
    bucket: s3Bucket.S3Bucket,
    build: codebuildProject.CodebuildProject,
    repo: repository.Repository,
    dockerHub: secretsmanagerSecret.SecretsmanagerSecret,
  ) {
    const role = new iamRole.IamRole(this, 'pipeline-role', {
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'codepipeline.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      }),
    });
    const statements = [
      {
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'],
        Resource: [`${bucket.arn}/${NAME}/*`],
      },
      { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [bucket.arn] },
      { Effect: 'Allow', Action: ['codebuild:BatchGetBuilds', 'codebuild:StartBuild'], Resource: [build.arn] },
      {
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*'],
        Resource: [key.arn, dockerHub.kmsKeyId],
      },
    ];
    new iamRolePolicy.IamRolePolicy(this, 'pipeline-role-policy', {
      role: role.id,
      policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
    });
    const token = new dataAwsSecretsmanagerSecretVersion.DataAwsSecretsmanagerSecretVersion(this, 'oauth-token', {
      secretId: 'github/codepipeline-oauth-token',
    });
    const pipeline = new codepipeline.Codepipeline(this, 'pipeline', {
      name: NAME,
      roleArn: role.arn,
      pipelineType: 'V1',
      executionMode: 'SUPERSEDED',
      artifactStore: [{ location: bucket.bucket, type: 'S3', encryptionKey: { id: key.arn, type: 'KMS' } }],
      stage: [
        {
          name: 'Source',
          action: [
            {
              name: 'GitHub',
              category: 'Source',
              owner: 'ThirdParty',
              provider: 'GitHub',
              version: '1',
              outputArtifacts: ['source_output'],
              configuration: {
                Owner: OWNER,
                Repo: repo.name,
                Branch: 'main',
                OAuthToken: token.secretString,
                PollForSourceChanges: 'false',
              },
            },
          ],
        },
        {
          name: 'Build',
          action: [
            {
              name: 'TestAndBuildImage',
              category: 'Build',
              owner: 'AWS',
              provider: 'CodeBuild',
              version: '1',
              inputArtifacts: ['source_output'],
              outputArtifacts: ['build_output'],
              configuration: { ProjectName: build.name },
            },
          ],
        },
      ],
      lifecycle: { ignoreChanges: ['stage[0].action[0].configuration["OAuthToken"]'] },
    });
    this.webhook(pipeline, repo);
    return pipeline;
  }

  webhook(pipeline: codepipeline.Codepipeline, repo: repository.Repository) {
    const secret = new password.Password(this, 'webhook-secret', { length: 40, special: false });
    const hook = new codepipelineWebhook.CodepipelineWebhook(this, 'pipeline-webhook', {
      name: `${NAME}-github`,
      authentication: 'GITHUB_HMAC',
      authenticationConfiguration: { secretToken: secret.result },
      filter: [{ jsonPath: '$.ref', matchEquals: 'refs/heads/{Branch}' }],
      targetAction: 'GitHub',
      targetPipeline: pipeline.name,
    });
    new repositoryWebhook.RepositoryWebhook(this, 'github-webhook', {
      repository: repo.name,
      events: ['push'],
      active: true,
      configuration: { url: hook.url, contentType: 'json', insecureSsl: false, secret: secret.result },
    });
  }

  notifications(key: kmsKey.KmsKey, rules: Array<[string, string, string]>) {
    const topic = new snsTopic.SnsTopic(this, 'failure-notifications', {
      name: `${NAME}-ci-failures`,
      kmsMasterKeyId: key.arn,
    });
    const policy = new snsTopicPolicy.SnsTopicPolicy(this, 'failure-notifications-policy', {
      arn: topic.arn,
      policy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'codestar-notifications.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: topic.arn,
          },
        ],
      }),
    });
    for (const [suffix, resource, event] of rules) {
      new codestarnotificationsNotificationRule.CodestarnotificationsNotificationRule(this, `rule-${suffix}`, {
        name: `${NAME}-${suffix}`,
        detailType: 'BASIC',
        eventTypeIds: [event],
        resource,
        target: [{ address: topic.arn, type: 'SNS' }],
        dependsOn: [policy],
      });
    }
  }
}

const app = new App();
new StateBootstrapStack(app, 'state-bootstrap');
new PipelineStack(app, `ci-${NAME}`);
app.synth();
