import { Codepipeline } from '@cdktf/provider-aws/lib/codepipeline';
import { Construct } from 'constructs';
import { BuildProject } from './build-project';
import { IEncryptionKey } from './encryption-key';
import { IPipelineSource } from './pipeline-source';
import { IBucket } from './secure-bucket';
import { ServiceRole } from './service-role';
import { validateProp } from './validation';

/** Names of the stages and actions, as reviewers see them in plans and the console. */
export const SOURCE_STAGE = 'Source';
export const SOURCE_ACTION = 'GitHub';
export const BUILD_STAGE = 'Build';
export const BUILD_ACTION = 'TestAndBuildImage';
const SOURCE_ARTIFACT = 'source_output';
const BUILD_ARTIFACT = 'build_output';

export interface PipelineProps {
  /** The pipeline's name: 1-100 letters, digits and .@_-. */
  readonly pipelineName: string;
  /** Where the code comes from and how a push starts the pipeline. */
  readonly source: IPipelineSource;
  /** The build the Build stage runs. */
  readonly buildProject: BuildProject;
  /** The artifact store. */
  readonly artifactBucket: IBucket;
  /** Encrypts the artifacts in the store. */
  readonly encryptionKey: IEncryptionKey;
}

/**
 * A CodePipeline with two stages, Source → Build, its artifacts in a KMS-
 * encrypted bucket, and a service role scoped to that bucket, that key, that
 * build project and the source's connection (if any).
 *
 * The pipeline type follows the source: V2 for connections, V1 for the
 * GitHub version 1 (webhook) action, which AWS supports only in V1 pipelines.
 */
export class Pipeline extends Construct {
  /** The pipeline's name. */
  public readonly pipelineName: string;
  /** The pipeline's ARN. */
  public readonly pipelineArn: string;
  /** The pipeline's service role. */
  public readonly role: ServiceRole;

  constructor(scope: Construct, id: string, props: PipelineProps) {
    super(scope, id);
    validateProp('Pipeline', 'pipelineName', props.pipelineName, (name) =>
      /^[A-Za-z0-9.@_-]{1,100}$/.test(name) ? undefined : 'must be 1-100 letters, digits and .@_-',
    );

    this.role = new ServiceRole(this, 'role', { roleName: `${props.pipelineName}-codepipeline`, assumedBy: 'codepipeline.amazonaws.com' });
    props.artifactBucket.grantReadWrite(this.role);
    props.encryptionKey.grantEncryptDecrypt(this.role);
    props.buildProject.grantStartBuild(this.role);
    props.source.grantRead(this.role);

    const triggers = props.source.triggers(SOURCE_ACTION);
    const pipeline = new Codepipeline(this, 'pipeline', {
      name: props.pipelineName,
      pipelineType: props.source.pipelineType,
      roleArn: this.role.roleArn,
      artifactStore: [
        {
          type: 'S3',
          location: props.artifactBucket.bucketName,
          encryptionKey: { type: 'KMS', id: props.encryptionKey.keyArn },
        },
      ],
      stage: [
        { name: SOURCE_STAGE, action: [props.source.sourceAction(SOURCE_ACTION, SOURCE_ARTIFACT)] },
        {
          name: BUILD_STAGE,
          action: [
            {
              name: BUILD_ACTION,
              category: 'Build',
              owner: 'AWS',
              provider: 'CodeBuild',
              version: '1',
              inputArtifacts: [SOURCE_ARTIFACT],
              outputArtifacts: [BUILD_ARTIFACT],
              configuration: { ProjectName: props.buildProject.projectName },
            },
          ],
        },
      ],
      ...(triggers.length > 0 ? { trigger: triggers } : {}),
      ...(props.source.ignoredPipelineChanges.length > 0
        ? { lifecycle: { ignoreChanges: [...props.source.ignoredPipelineChanges] } }
        : {}),
    });

    this.pipelineName = pipeline.name;
    this.pipelineArn = pipeline.arn;
    props.source.bind({ pipelineName: pipeline.name, sourceActionName: SOURCE_ACTION });
  }
}
