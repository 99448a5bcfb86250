import { Rule, simpleRule } from '../core/rule';
import { block, blocks, isTrue } from '../core/terraform-json';

const PROJECT = ['aws_codebuild_project'];

export const CODEBUILD_RULES: readonly Rule[] = [
  {
    id: 'CKV_AWS_78',
    name: 'CodeBuild artifacts are encrypted',
    targets: PROJECT,
    fix: 'remove `encryption_disabled` from the artifacts blocks',
    check: ({ body }) =>
      [...blocks(body.artifacts), ...blocks(body.secondary_artifacts)]
        .filter((artifacts) => isTrue(artifacts.encryption_disabled))
        .map((artifacts) => `artifacts "${artifacts.artifact_identifier ?? artifacts.type}" have encryption_disabled = true`),
  },
  simpleRule({
    id: 'CKV_AWS_147',
    name: 'CodeBuild encrypts with a customer-managed KMS key',
    targets: PROJECT,
    fix: 'set `encryption_key` to the ARN of a customer-managed KMS key',
    passes: ({ body }) => typeof body.encryption_key === 'string' && body.encryption_key !== '',
    problem: 'encryption_key is not set, so the AWS-managed key is used',
  }),
  simpleRule({
    id: 'CKV_AWS_314',
    name: 'CodeBuild projects keep build logs',
    targets: PROJECT,
    fix: 'set `logs_config.cloudwatch_logs` (status ENABLED, a log group) or enable `logs_config.s3_logs`',
    passes: ({ body }) => {
      if (blocks(body.logs_config).length === 0) return false;
      const logs = block(body.logs_config);
      const cloudwatch = block(logs.cloudwatch_logs);
      const s3 = block(logs.s3_logs);
      return (blocks(logs.cloudwatch_logs).length > 0 && cloudwatch.status !== 'DISABLED') || s3.status === 'ENABLED';
    },
    problem: 'logs_config is missing or every log destination is DISABLED',
  }),
  simpleRule({
    id: 'CKV_AWS_316',
    name: 'CodeBuild runs privileged only to build container images',
    targets: PROJECT,
    fix: 'set `environment.privileged_mode = false`, or suppress this rule with the reason when the project builds Docker images',
    passes: ({ body }) => !blocks(body.environment).some((environment) => isTrue(environment.privileged_mode)),
    problem: 'environment.privileged_mode is true, which gives the build root on its host',
  }),
];
