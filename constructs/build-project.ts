import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CodebuildProject } from '@cdktf/provider-aws/lib/codebuild-project';
import { CodebuildReportGroup } from '@cdktf/provider-aws/lib/codebuild-report-group';
import { Construct } from 'constructs';
import { Suppressions } from '../guardrails/suppressions';
import { IEncryptionKey } from './encryption-key';
import { IGrantable } from './policy';
import { IBucket } from './secure-bucket';
import { ServiceRole } from './service-role';
import {
  checkBuildImage,
  checkBuildTimeoutMinutes,
  checkComputeType,
  checkConcurrentBuildLimit,
  checkLogRetentionDays,
  checkQueuedTimeoutMinutes,
  checkRelativePath,
  ComputeType,
  validateProp,
} from './validation';

/** Writing the build's log streams. */
export const LOG_WRITE_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'] as const;
/** Publishing test reports to a report group. */
export const REPORT_ACTIONS = [
  'codebuild:BatchPutCodeCoverages',
  'codebuild:BatchPutTestCases',
  'codebuild:CreateReport',
  'codebuild:UpdateReport',
] as const;
/** Reading a secret that a `SECRETS_MANAGER` environment variable refers to. */
export const SECRET_READ_ACTIONS = ['secretsmanager:GetSecretValue'] as const;
/** Decrypting such a secret, on the key that encrypts it (granted with the encryption key's actions). */
export const SECRET_DECRYPT_ACTIONS = ['kms:Decrypt'] as const;
/** What CodePipeline needs to run a build and follow it. */
export const START_BUILD_ACTIONS = ['codebuild:BatchGetBuilds', 'codebuild:StartBuild'] as const;

/**
 * The key of the `reports` section in the app's buildspec. CodeBuild files a
 * report under `<key>` into the report group named `<project>-<key>`, which is
 * the group this construct creates.
 */
export const UNIT_TEST_REPORT_KEY = 'unit-tests';

/** The default build image: CodeBuild's current Ubuntu standard image (Python 3.12, Docker). */
export const DEFAULT_BUILD_IMAGE = 'aws/codebuild/standard:7.0';

/** A plain-text environment variable of the build. */
export interface EnvironmentVariable {
  /** The variable's name. */
  readonly name: string;
  /** Its value; never a secret. */
  readonly value: string;
}

/** A build environment variable read from a Secrets Manager secret at build time. */
export interface SecretEnvironmentVariable {
  /** The variable's name. */
  readonly name: string;
  /** The secret's ARN. */
  readonly secretArn: string;
  /**
   * The key in the secret's JSON value.
   * @default - the whole secret string
   */
  readonly jsonKey?: string;
}

export interface BuildProjectProps {
  /** The CodeBuild project's name: 2-150 letters, digits, "-" and "_", starting with a letter or digit. */
  readonly projectName: string;
  /** Encrypts build artifacts, logs and reports; must allow CloudWatch Logs. */
  readonly encryptionKey: IEncryptionKey;
  /** The pipeline's artifact bucket, which the build reads its input from and writes its output to. */
  readonly artifactBucket: IBucket;
  /**
   * The app's directory in the repository; its `buildspec.yml` is used and exported as `APP_DIR`.
   * @default "."
   */
  readonly appPath?: string;
  /**
   * Whether the build runs Docker (privileged mode and a local Docker-layer cache). Nothing else gets privileged mode.
   * @default true
   */
  readonly buildsImages?: boolean;
  /**
   * The compute type.
   * @default "BUILD_GENERAL1_SMALL"
   */
  readonly computeType?: ComputeType;
  /**
   * The build image; images with "aarch64" in their name run on ARM.
   * @default "aws/codebuild/standard:7.0"
   */
  readonly image?: string;
  /**
   * How many builds of the project may run at once; further builds queue.
   * @default 1
   */
  readonly concurrentBuildLimit?: number;
  /**
   * Minutes after which a running build is stopped (5-2160).
   * @default 30
   */
  readonly timeoutMinutes?: number;
  /**
   * Minutes a build may wait in the queue (5-480).
   * @default 60
   */
  readonly queuedTimeoutMinutes?: number;
  /**
   * Days the build logs are kept: one of CloudWatch Logs' retention periods.
   * @default 365
   */
  readonly logRetentionDays?: number;
  /**
   * Plain-text environment variables.
   * @default - none besides APP_DIR
   */
  readonly environmentVariables?: readonly EnvironmentVariable[];
  /**
   * Environment variables read from Secrets Manager; the role may read exactly these secrets.
   * @default - none
   */
  readonly secretEnvironmentVariables?: readonly SecretEnvironmentVariable[];
}

/**
 * A CodeBuild project run by CodePipeline: the app's buildspec, its own KMS-
 * encrypted log group, a `TEST` report group for the unit-test results, and a
 * service role that may do what the build does and no more.
 *
 * Further permissions (e.g. pushing to an image repository) are granted
 * through {@link BuildProject.role} by the resource's own `grant*` method.
 */
export class BuildProject extends Construct {
  /** The project's name. */
  public readonly projectName: string;
  /** The project's ARN. */
  public readonly projectArn: string;
  /** The log group the builds write to. */
  public readonly logGroupName: string;
  /** The report group that receives the unit-test results. */
  public readonly reportGroupArn: string;
  /** The build's service role. */
  public readonly role: ServiceRole;
  /** The buildspec's path in the repository. */
  public readonly buildspecPath: string;

  constructor(scope: Construct, id: string, props: BuildProjectProps) {
    super(scope, id);
    const c = 'BuildProject';
    validateProp(c, 'projectName', props.projectName, (name) =>
      /^[A-Za-z0-9][A-Za-z0-9_-]{1,149}$/.test(name) ? undefined : 'must be 2-150 letters, digits, "-" and "_", starting with a letter or digit',
    );
    const appPath = props.appPath ?? '.';
    validateProp(c, 'appPath', appPath, checkRelativePath);
    const computeType = props.computeType ?? 'BUILD_GENERAL1_SMALL';
    validateProp(c, 'computeType', computeType, checkComputeType);
    const image = props.image ?? DEFAULT_BUILD_IMAGE;
    validateProp(c, 'image', image, checkBuildImage);
    const concurrentBuildLimit = props.concurrentBuildLimit ?? 1;
    validateProp(c, 'concurrentBuildLimit', concurrentBuildLimit, checkConcurrentBuildLimit);
    const timeoutMinutes = props.timeoutMinutes ?? 30;
    validateProp(c, 'timeoutMinutes', timeoutMinutes, checkBuildTimeoutMinutes);
    const queuedTimeoutMinutes = props.queuedTimeoutMinutes ?? 60;
    validateProp(c, 'queuedTimeoutMinutes', queuedTimeoutMinutes, checkQueuedTimeoutMinutes);
    const logRetentionDays = props.logRetentionDays ?? 365;
    validateProp(c, 'logRetentionDays', logRetentionDays, checkLogRetentionDays);
    const plain = [{ name: 'APP_DIR', value: appPath }, ...(props.environmentVariables ?? [])];
    const secrets = props.secretEnvironmentVariables ?? [];
    const names = [...plain, ...secrets].map((variable) => variable.name);
    const duplicate = names.find((name, index) => names.indexOf(name) !== index);
    if (duplicate !== undefined) {
      throw new Error(`${c}: environment variable "${duplicate}" is defined twice (APP_DIR is set from "appPath")`);
    }
    const badName = names.find((name) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || name.startsWith('CODEBUILD_'));
    if (badName !== undefined) {
      throw new Error(`${c}: environment variable name "${badName}" is invalid: use letters, digits and "_", not starting with a digit or CODEBUILD_`);
    }
    const buildsImages = props.buildsImages ?? true;

    const logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: `/aws/codebuild/${props.projectName}`,
      retentionInDays: logRetentionDays,
      kmsKeyId: props.encryptionKey.keyArn,
    });
    const reportGroup = new CodebuildReportGroup(this, 'unit-test-reports', {
      name: `${props.projectName}-${UNIT_TEST_REPORT_KEY}`,
      type: 'TEST',
      exportConfig: { type: 'NO_EXPORT' },
      deleteReports: true,
    });

    this.role = new ServiceRole(this, 'role', { roleName: `${props.projectName}-codebuild`, assumedBy: 'codebuild.amazonaws.com' });
    this.role.addToPolicy({ sid: 'WriteBuildLogs', actions: LOG_WRITE_ACTIONS, resources: [logGroup.arn, `${logGroup.arn}:*`] });
    this.role.addToPolicy({ sid: 'PublishTestReports', actions: REPORT_ACTIONS, resources: [reportGroup.arn] });
    props.artifactBucket.grantReadWrite(this.role);
    props.encryptionKey.grantEncryptDecrypt(this.role);
    const secretArns = [...new Set(secrets.map((secret) => secret.secretArn))];
    if (secretArns.length > 0) {
      this.role.addToPolicy({ sid: 'ReadBuildSecrets', actions: SECRET_READ_ACTIONS, resources: secretArns });
    }

    this.buildspecPath = appPath === '.' ? 'buildspec.yml' : `${appPath.replace(/\/+$/, '')}/buildspec.yml`;
    const project = new CodebuildProject(this, 'project', {
      name: props.projectName,
      description: `Tests and builds ${appPath === '.' ? 'the repository' : appPath}; run by CodePipeline`,
      serviceRole: this.role.roleArn,
      buildTimeout: timeoutMinutes,
      queuedTimeout: queuedTimeoutMinutes,
      concurrentBuildLimit,
      encryptionKey: props.encryptionKey.keyArn,
      source: { type: 'CODEPIPELINE', buildspec: this.buildspecPath },
      artifacts: { type: 'CODEPIPELINE' },
      environment: {
        type: image.includes('aarch64') ? 'ARM_CONTAINER' : 'LINUX_CONTAINER',
        computeType,
        image,
        imagePullCredentialsType: 'CODEBUILD',
        privilegedMode: buildsImages,
        environmentVariable: [
          ...plain.map((variable) => ({ name: variable.name, value: variable.value, type: 'PLAINTEXT' })),
          ...secrets.map((secret) => ({
            name: secret.name,
            value: secret.jsonKey === undefined ? secret.secretArn : `${secret.secretArn}:${secret.jsonKey}`,
            type: 'SECRETS_MANAGER',
          })),
        ],
      },
      cache: {
        type: 'LOCAL',
        modes: buildsImages ? ['LOCAL_DOCKER_LAYER_CACHE', 'LOCAL_SOURCE_CACHE'] : ['LOCAL_SOURCE_CACHE'],
      },
      logsConfig: {
        cloudwatchLogs: { status: 'ENABLED', groupName: logGroup.name },
        s3Logs: { status: 'DISABLED' },
      },
    });

    if (buildsImages) {
      Suppressions.add(project, {
        ruleId: 'CKV_AWS_316',
        reason: 'The build runs `docker build` and `docker push`, which need the Docker daemon that only privileged mode provides (prop buildsImages)',
      });
    }

    this.projectName = project.name;
    this.projectArn = project.arn;
    this.logGroupName = logGroup.name;
    this.reportGroupArn = reportGroup.arn;
  }

  /** Lets `grantee` (a pipeline's role) start builds of this project and follow them. */
  public grantStartBuild(grantee: IGrantable): void {
    grantee.addToPolicy({ sid: 'RunBuildProject', actions: START_BUILD_ACTIONS, resources: [this.projectArn] });
  }
}
