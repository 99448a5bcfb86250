// The benchmark's AWS CDK peer (`npm run bench -- --peers`): the stacks our app
// synthesizes, written with aws-cdk-lib's L2 constructs as an AWS CDK team would,
// run directly with `node app.js` (plain CommonJS, no transpiler on the path).
//
//   CDK_OUTDIR=out node app.js                 our default configuration: the state
//                                              bootstrap stack and the sample-flask-app pipeline
//   PIPELINES=100 CDK_OUTDIR=out node app.js   a fleet like scripts/fleet.ts's: app-001 to
//                                              app-100 rotating its three shapes, and the state stack
//
// aws-cdk-lib's App reads the output directory from CDK_OUTDIR. Validation: aws-cdk-lib
// runs its built-in CloudFormation template validation at synth by default
// (`AppProps.builtinCloudFormationValidation`, "@default true"); CDK_VALIDATION=false turns it
// off. Both are documented in aws-cdk-lib/core/lib/app.d.ts (AppProps.builtinCloudFormationValidation:
// "Set `CDK_VALIDATION=false` in your environment"), and read in
// aws-cdk-lib/core/lib/private/synthesis-validation.js (`defaultValidationEnabled`:
// `app._builtinCloudFormationValidation && process.env.CDK_VALIDATION !== "false"`).
//
// Not here, because AWS CDK has no equivalent: the GitHub resources of our stacks (the
// repository, its default branch, branch protection, CODEOWNERS file, Dependabot security
// updates and the pipeline's repository webhook) and the random webhook secret. They are
// Terraform providers' resources; an AWS CDK team manages them outside CloudFormation.
'use strict';
const cdk = require('aws-cdk-lib');
const codebuild = require('aws-cdk-lib/aws-codebuild');
const codepipeline = require('aws-cdk-lib/aws-codepipeline');
const actions = require('aws-cdk-lib/aws-codepipeline-actions');
const ecr = require('aws-cdk-lib/aws-ecr');
const iam = require('aws-cdk-lib/aws-iam');
const kms = require('aws-cdk-lib/aws-kms');
const logs = require('aws-cdk-lib/aws-logs');
const s3 = require('aws-cdk-lib/aws-s3');
const secretsmanager = require('aws-cdk-lib/aws-secretsmanager');
const sns = require('aws-cdk-lib/aws-sns');

const REGION = 'eu-west-1';
const STATE_BUCKET = 'example-org-terraform-state-eu-west-1';
const OWNER = 'example-org';
const BRANCH = 'main';
const APP_PATH = 'sample-flask-app';
const CONNECTION_ARN = 'arn:aws:codeconnections:eu-west-1:123456789012:connection/0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6';

/** The pipelines to synthesize: our default configuration's one, or a fleet like scripts/fleet.ts's. */
function pipelines() {
  const text = process.env.PIPELINES;
  if (text === undefined || text === '')
    return [{ name: 'sample-flask-app', trigger: 'webhook', registry: 'dockerhub', dockerHubCredentials: true }];
  const size = Number(text);
  if (!Number.isInteger(size) || size < 1) throw new Error(`PIPELINES: got "${text}"; expected an integer >= 1`);
  return Array.from({ length: size }, (_, index) => {
    const name = `app-${String(index + 1).padStart(3, '0')}`;
    if (index % 3 === 0) return { name, trigger: 'webhook', registry: 'dockerhub', dockerHubCredentials: true };
    if (index % 3 === 1) return { name, trigger: 'connection', registry: 'ecr', dockerHubCredentials: false };
    return { name, trigger: 'webhook', registry: 'ecr', dockerHubCredentials: true };
  });
}

/**
 * A customer-managed key with rotation, an alias, and the statements CloudWatch Logs and CodeStar Notifications need.
 */
function encryptionKey(stack, name) {
  const key = new kms.Key(stack, 'Key', {
    description: `Encrypts the ${name} pipeline's artifacts, logs, secrets and images`,
    enableKeyRotation: true,
    pendingWindow: cdk.Duration.days(30),
    alias: `alias/ci/${name}`,
  });
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(`logs.${REGION}.amazonaws.com`)],
      actions: ['kms:Decrypt*', 'kms:Describe*', 'kms:Encrypt*', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
      resources: ['*'],
      conditions: {
        ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${REGION}:${stack.account}:log-group:*` },
      },
    }),
  );
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('codestar-notifications.amazonaws.com')],
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      resources: ['*'],
      conditions: { StringEquals: { 'kms:ViaService': `sns.${REGION}.amazonaws.com` } },
    }),
  );
  return key;
}

/**
 * A bucket as our SecureBucket makes one: encrypted under `key` (with a bucket key), versioned, public access
 * blocked, SSL enforced, ACLs off, incomplete uploads aborted; `props` adds the rest.
 */
function secureBucket(stack, id, key, props) {
  return new s3.Bucket(stack, id, {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    versioned: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    ...props,
  });
}

/** The artifact bucket: a secure bucket whose objects expire after 30 days, old versions after 7. */
function artifactBucket(stack, key) {
  return secureBucket(stack, 'Artifacts', key, {
    lifecycleRules: [
      {
        id: 'expire-noncurrent-versions-and-abort-incomplete-uploads',
        expiration: cdk.Duration.days(30),
        noncurrentVersionExpiration: cdk.Duration.days(7),
        abortIncompleteMultipartUploadAfter: cdk.Duration.days(7),
      },
    ],
    removalPolicy: cdk.RemovalPolicy.DESTROY,
    autoDeleteObjects: false,
  });
}

/** Where the build pushes its image: Docker Hub (credentials in a secret) or an ECR repository of its own. */
function imageRegistry(stack, pipeline, key) {
  const credentials = pipeline.dockerHubCredentials
    ? new secretsmanager.Secret(stack, 'DockerHubCredentials', {
        secretName: `ci/${pipeline.name}/dockerhub`,
        description: 'Docker Hub credentials for CodeBuild (JSON with username and password)',
        encryptionKey: key,
      })
    : undefined;
  if (pipeline.registry === 'dockerhub') return { uri: `docker.io/exampleorg/${pipeline.name}`, credentials };
  const repository = new ecr.Repository(stack, 'Images', {
    repositoryName: pipeline.name,
    encryption: ecr.RepositoryEncryption.KMS,
    encryptionKey: key,
    imageScanOnPush: true,
    imageTagMutability: ecr.TagMutability.IMMUTABLE,
    lifecycleRules: [{ description: 'Keep the last 30 images', maxImageCount: 30 }],
    removalPolicy: cdk.RemovalPolicy.DESTROY,
  });
  return { uri: repository.repositoryUri, credentials, repository };
}

/** The environment variables of a build: plain ones, and the Docker Hub credentials from Secrets Manager. */
function environmentVariables(pipeline, registry, push) {
  const plain = (value) => ({ type: codebuild.BuildEnvironmentVariableType.PLAINTEXT, value });
  const variables = {
    APP_DIR: plain(APP_PATH),
    PUSH_IMAGE: plain(String(push)),
    IMAGE_REPOSITORY_URI: plain(push ? registry.uri : `local/${pipeline.name}`),
    PUSH_LATEST_TAG: plain(String(push)),
  };
  if (push && registry.credentials !== undefined) {
    const secret = (field) => ({
      type: codebuild.BuildEnvironmentVariableType.SECRETS_MANAGER,
      value: `${registry.credentials.secretArn}:${field}`,
    });
    Object.assign(variables, { DOCKERHUB_USERNAME: secret('username'), DOCKERHUB_PASSWORD: secret('password') });
  }
  return variables;
}

/** What both builds share: image, compute, cache, timeouts, key, log group and test report group. */
function buildSettings(stack, id, pipeline, key, registry, push) {
  const projectName = push ? pipeline.name : `${pipeline.name}-pull-requests`;
  const logGroup = new logs.LogGroup(stack, `${id}Logs`, {
    logGroupName: `/aws/codebuild/${projectName}`,
    retention: logs.RetentionDays.ONE_YEAR,
    encryptionKey: key,
    removalPolicy: cdk.RemovalPolicy.DESTROY,
  });
  const reportGroup = new codebuild.ReportGroup(stack, `${id}UnitTestReports`, {
    reportGroupName: `${projectName}-unit-tests`,
    type: codebuild.ReportGroupType.TEST,
    deleteReports: true,
    removalPolicy: cdk.RemovalPolicy.DESTROY,
  });
  const props = {
    projectName,
    environment: {
      buildImage: codebuild.LinuxBuildImage.fromCodeBuildImageId('aws/codebuild/standard:7.0'),
      computeType: codebuild.ComputeType.SMALL,
      privileged: true,
      environmentVariables: environmentVariables(pipeline, registry, push),
    },
    buildSpec: codebuild.BuildSpec.fromSourceFilename(`${APP_PATH}/buildspec.yml`),
    timeout: cdk.Duration.minutes(30),
    queuedTimeout: cdk.Duration.minutes(60),
    encryptionKey: key,
    cache: codebuild.Cache.local(codebuild.LocalCacheMode.DOCKER_LAYER, codebuild.LocalCacheMode.SOURCE),
    logging: { cloudWatch: { logGroup } },
  };
  return { props, reportGroup };
}

/** Lets a build write its test reports, read its Docker Hub credentials and push to its ECR repository. */
function grantBuild(project, reportGroup, registry, push) {
  reportGroup.grantWrite(project);
  if (push && registry.credentials !== undefined) registry.credentials.grantRead(project);
  if (push && registry.repository !== undefined) registry.repository.grantPullPush(project);
}

/** The build CodePipeline runs: tests, builds and pushes the image. */
function pipelineBuild(stack, pipeline, key, registry) {
  const { props, reportGroup } = buildSettings(stack, 'Build', pipeline, key, registry, true);
  const project = new codebuild.PipelineProject(stack, 'Build', {
    ...props,
    description: `Tests and builds ${pipeline.name}; run by CodePipeline`,
  });
  grantBuild(project, reportGroup, registry, true);
  return project;
}

/** The pull-request build: CodeBuild's own GitHub webhook, status reported to GitHub, nothing pushed. */
function pullRequestBuild(stack, pipeline, key, registry) {
  const { props, reportGroup } = buildSettings(stack, 'PullRequestBuild', pipeline, key, registry, false);
  const project = new codebuild.Project(stack, 'PullRequestBuild', {
    ...props,
    description:
      `Verifies pull requests into ${BRANCH}: tests and image build, no push; ` +
      `reports "codebuild/${pipeline.name}" to GitHub`,
    source: codebuild.Source.gitHub({
      owner: OWNER,
      repo: pipeline.name,
      cloneDepth: 1,
      reportBuildStatus: true,
      buildStatusContext: `codebuild/${pipeline.name}`,
      webhook: true,
      webhookFilters: [
        codebuild.FilterGroup.inEventOf(
          codebuild.EventAction.PULL_REQUEST_CREATED,
          codebuild.EventAction.PULL_REQUEST_UPDATED,
          codebuild.EventAction.PULL_REQUEST_REOPENED,
        ).andBaseBranchIs(BRANCH),
      ],
    }),
  });
  // The project's own GitHub token, as ours (`source.auth`); the L2 has only the account-wide GitHubSourceCredentials.
  const token = secretsmanager.Secret.fromSecretNameV2(stack, 'BuildToken', 'github/codebuild-token');
  project.node.defaultChild.addPropertyOverride('Source.Auth', { Type: 'SECRETS_MANAGER', Resource: token.secretArn });
  grantBuild(project, reportGroup, registry, false);
  return project;
}

/**
 * The source action: GitHub with an OAuth token from Secrets Manager and a webhook, or a CodeConnections connection.
 */
function sourceAction(pipeline, output) {
  if (pipeline.trigger === 'connection') {
    return new actions.CodeStarConnectionsSourceAction({
      actionName: 'GitHub',
      owner: OWNER,
      repo: pipeline.name,
      branch: BRANCH,
      connectionArn: CONNECTION_ARN,
      output,
    });
  }
  return new actions.GitHubSourceAction({
    actionName: 'GitHub',
    owner: OWNER,
    repo: pipeline.name,
    branch: BRANCH,
    oauthToken: cdk.SecretValue.secretsManager('github/codepipeline-oauth-token'),
    trigger: actions.GitHubTrigger.WEBHOOK,
    output,
  });
}

/** The pipeline: Source (GitHub) -> Build (CodeBuild), artifacts in the bucket under the key. */
function deliveryPipeline(stack, pipeline, bucket, build) {
  const source = new codepipeline.Artifact('source_output');
  const built = new codepipeline.Artifact('build_output');
  return new codepipeline.Pipeline(stack, 'Pipeline', {
    pipelineName: pipeline.name,
    pipelineType: codepipeline.PipelineType.V1,
    executionMode: codepipeline.ExecutionMode.SUPERSEDED,
    artifactBucket: bucket,
    stages: [
      { stageName: 'Source', actions: [sourceAction(pipeline, source)] },
      {
        stageName: 'Build',
        actions: [
          new actions.CodeBuildAction({
            actionName: 'TestAndBuildImage',
            project: build,
            input: source,
            outputs: [built],
          }),
        ],
      },
    ],
  });
}

/** Failure notifications: an encrypted SNS topic and a rule for each build and the pipeline. */
function failureNotifications(stack, name, key, build, pullRequestBuildProject, pipeline) {
  const topic = new sns.Topic(stack, 'FailureNotifications', { topicName: `${name}-ci-failures`, masterKey: key });
  build.notifyOnBuildFailed('BuildFailed', topic, { notificationRuleName: `${name}-build-failed` });
  pullRequestBuildProject.notifyOnBuildFailed('PullRequestBuildFailed', topic, {
    notificationRuleName: `${name}-pull-request-build-failed`,
  });
  pipeline.notifyOn('PipelineFailed', topic, {
    notificationRuleName: `${name}-pipeline-failed`,
    events: [codepipeline.PipelineNotificationEvents.PIPELINE_EXECUTION_FAILED],
  });
}

/** One pipeline's stack, as our CiPipelineStack (less the GitHub resources; see the top of this file). */
function pipelineStack(app, pipeline) {
  const stack = new cdk.Stack(app, `ci-${pipeline.name}`, { env: { region: REGION } });
  const key = encryptionKey(stack, pipeline.name);
  const bucket = artifactBucket(stack, key);
  const registry = imageRegistry(stack, pipeline, key);
  const build = pipelineBuild(stack, pipeline, key, registry);
  const pullRequests = pullRequestBuild(stack, pipeline, key, registry);
  const delivery = deliveryPipeline(stack, pipeline, bucket, build);
  failureNotifications(stack, pipeline.name, key, build, pullRequests, delivery);
  return stack;
}

/** The state bootstrap stack: a key and the Terraform state bucket, which refuses writes without that key. */
function stateBootstrapStack(app) {
  const stack = new cdk.Stack(app, 'state-bootstrap', { env: { region: REGION } });
  const key = new kms.Key(stack, 'Key', {
    description: `Encrypts the Terraform state in s3://${STATE_BUCKET}`,
    enableKeyRotation: true,
    pendingWindow: cdk.Duration.days(30),
    alias: `alias/terraform-state/${STATE_BUCKET}`,
    removalPolicy: cdk.RemovalPolicy.RETAIN,
  });
  const bucket = secureBucket(stack, 'Bucket', key, {
    bucketName: STATE_BUCKET,
    lifecycleRules: [
      {
        id: 'expire-noncurrent-versions-and-abort-incomplete-uploads',
        noncurrentVersionExpiration: cdk.Duration.days(365),
        abortIncompleteMultipartUploadAfter: cdk.Duration.days(7),
      },
    ],
    removalPolicy: cdk.RemovalPolicy.RETAIN,
  });
  bucket.addToResourcePolicy(
    new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects('*')],
      conditions: { StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': [key.keyArn, key.keyId] } },
    }),
  );
  return stack;
}

function main() {
  // No AWS::CDK::Metadata resource: our stacks have nothing like it.
  const app = new cdk.App({ analyticsReporting: false });
  stateBootstrapStack(app);
  for (const pipeline of pipelines()) pipelineStack(app, pipeline);
  app.synth();
}

main();
