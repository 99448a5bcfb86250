import { Codepipeline } from '@cdktf/provider-aws/lib/codepipeline';
import { START_BUILD_ACTIONS } from '../constructs/build-project';
import { KEY_ENCRYPT_DECRYPT_ACTIONS } from '../constructs/encryption-key';
import { BUILD_ACTION, BUILD_STAGE, Pipeline, SOURCE_STAGE } from '../constructs/pipeline';
import { OBJECT_READ_WRITE_ACTIONS } from '../constructs/secure-bucket';
import { only, policyStatements, statement, synthPipeline } from './helpers';

describe('Pipeline', () => {
  const { text, json } = synthPipeline();
  const pipeline = only(json, 'aws_codepipeline');

  test('stores artifacts in the artifact bucket, encrypted with the customer key', () => {
    expect(text).toHaveResourceWithProperties(Codepipeline, { name: 'app' });
    expect(pipeline.artifact_store).toEqual([
      {
        type: 'S3',
        location: expect.stringMatching(/^\$\{aws_s3_bucket\.ci_artifacts_bucket_[0-9A-F]{8}\.bucket\}$/),
        encryption_key: { type: 'KMS', id: expect.stringMatching(/^\$\{aws_kms_key\.ci_key_[0-9A-F]{8}\.arn\}$/) },
      },
    ]);
  });

  test('runs Source then Build, the build reading the source artifact', () => {
    expect(pipeline.stage.map((stage: any) => stage.name)).toEqual([SOURCE_STAGE, BUILD_STAGE]);
    const build = pipeline.stage[1].action[0];
    expect(build).toMatchObject({ name: BUILD_ACTION, category: 'Build', provider: 'CodeBuild', input_artifacts: pipeline.stage[0].action[0].output_artifacts });
    expect(build.configuration.ProjectName).toMatch(/^\$\{aws_codebuild_project\.ci_build_project_[0-9A-F]{8}\.name\}$/);
  });

  test('its role may start and follow this build, use this bucket and this key, and nothing else', () => {
    const statements = policyStatements(json, 'ci_pipeline_role_permissions');
    expect(statements.map((s) => s.sid)).toEqual(['BucketObjectsReadWrite', 'BucketRead', 'UseEncryptionKey', 'RunBuildProject']);
    expect(statement(statements, 'RunBuildProject')).toMatchObject({
      actions: START_BUILD_ACTIONS,
      resources: [expect.stringMatching(/^\$\{aws_codebuild_project\.ci_build_project_[0-9A-F]{8}\.arn\}$/)],
    });
    expect(statement(statements, 'BucketObjectsReadWrite').actions).toEqual(OBJECT_READ_WRITE_ACTIONS);
    expect(statement(statements, 'UseEncryptionKey').actions).toEqual(KEY_ENCRYPT_DECRYPT_ACTIONS);
    const trust = policyStatements(json, 'ci_pipeline_role_trust');
    expect(trust[0].principals).toEqual([{ type: 'Service', identifiers: ['codepipeline.amazonaws.com'] }]);
  });

  test('rejects a bad pipeline name', () => {
    const { pipeline: ci } = synthPipeline();
    expect(() => new Pipeline(ci, 'again', { ...ci.pipeline, pipelineName: 'bad name', source: ci.source, buildProject: ci.buildProject, artifactBucket: ci.artifactBucket, encryptionKey: ci.encryptionKey })).toThrow(
      /Pipeline: invalid prop "pipelineName" = "bad name"/,
    );
  });
});
