import { TerraformStack, Testing } from 'cdktf';
import { Codepipeline } from '@cdktf/provider-aws/lib/codepipeline';
import { Construct } from 'constructs';
import { EncryptionKey } from '../../../constructs/aws/encryption-key';
import { EntryCondition, Pipeline, VariableCheckRule } from '../../../constructs/aws/pipeline';
import { ManualApprovalAction } from '../../../constructs/aws/manual-approval-action';
import { BuildProject } from '../../../constructs/aws/build-project';
import { CodeBuildAction } from '../../../constructs/aws/codebuild-action';
import {
  ActionBinding,
  ActionConfig,
  ExecutionMode,
  IAction,
  PipelineType,
} from '../../../constructs/aws/pipeline-action';
import { SecureBucket } from '../../../constructs/aws/secure-bucket';
import { BUILD_ACTION, BUILD_STAGE, SOURCE_STAGE } from '../../../constructs/ci-pipeline/ci-pipeline';
import {
  KEY_ENCRYPT_DECRYPT_ACTIONS,
  OBJECT_READ_WRITE_ACTIONS,
  START_BUILD_ACTIONS,
} from '../../../shared/iam-actions';
import { contextArn, statement, synth, synthPipeline, Synthesized, testApp } from '../../helpers';

/** An action that records its binding and brings what `config` says. */
class FakeAction implements IAction {
  public binding?: ActionBinding;
  public binds = 0;
  constructor(
    public readonly actionName: string,
    private readonly config: Partial<ActionConfig> = {},
  ) {}
  public bind(binding: ActionBinding): ActionConfig {
    this.binding = binding;
    this.binds += 1;
    return {
      declaration: { name: this.actionName, category: 'Approval', owner: 'AWS', provider: 'Manual', version: '1' },
      ...this.config,
    };
  }
}

function newPipeline(scope: Construct, pipelineType?: PipelineType, executionMode?: ExecutionMode): Pipeline {
  const encryptionKey = new EncryptionKey(scope, 'key', { alias: 'ci/p', description: 'd' });
  const artifactBucket = new SecureBucket(scope, 'artifacts', { bucketPrefix: 'p-', encryptionKey });
  return new Pipeline(scope, 'pipeline', {
    pipelineName: 'p',
    artifactBucket,
    encryptionKey,
    pipelineType,
    executionMode,
  });
}

/** A pipeline of `type`, its type set by a source action, in `executionMode`. */
const pipelineOfType = (type: PipelineType, executionMode?: ExecutionMode) =>
  synth((scope) => {
    const pipeline = newPipeline(scope, undefined, executionMode);
    pipeline.addStage({ stageName: 'Source', actions: [new FakeAction('Fetch', { pipelineType: type })] });
    pipeline.addStage({ stageName: 'Build', actions: [new FakeAction('Compile')] });
  }).at('pipeline/pipeline');

describe('Pipeline in a CiPipeline', () => {
  let stack: Synthesized;
  let pipeline: any;
  beforeAll(() => {
    stack = synthPipeline();
    pipeline = stack.at('ci/pipeline/pipeline');
  });

  test('stores artifacts in the artifact bucket, encrypted with the customer key', () => {
    expect(stack.text).toHaveResourceWithProperties(Codepipeline, { name: 'app' });
    expect(pipeline.artifact_store).toEqual([
      {
        type: 'S3',
        location: stack.ref('ci/artifacts/bucket', 'bucket'),
        encryption_key: { type: 'KMS', id: stack.ref('ci/key/key', 'arn') },
      },
    ]);
  });

  test('runs Source then Build, the build reading the source artifact', () => {
    expect(pipeline.stage.map((stage: any) => stage.name)).toEqual([SOURCE_STAGE, BUILD_STAGE]);
    const build = pipeline.stage[1].action[0];
    expect(build).toMatchObject({
      name: BUILD_ACTION,
      category: 'Build',
      provider: 'CodeBuild',
      input_artifacts: pipeline.stage[0].action[0].output_artifacts,
    });
    expect(build.configuration.ProjectName).toBe(stack.ref('ci/build/project', 'name'));
  });

  test('its role may start and follow this build, use this bucket and this key, and nothing else', () => {
    const statements = stack.statements('ci/pipeline/role/permissions');
    expect(statements.map((s) => s.sid)).toEqual([
      'BucketObjectsReadWrite',
      'BucketRead',
      'BucketList',
      'UseEncryptionKey',
      'RunBuildProject',
    ]);
    // Only the pipeline's own artifact folder, named after it.
    expect(statement(statements, 'BucketObjectsReadWrite').resources).toEqual([
      `${stack.ref('ci/artifacts/bucket', 'arn')}/app/*`,
    ]);
    expect(statement(statements, 'BucketList').condition).toEqual([
      { test: 'StringLike', variable: 's3:prefix', values: ['app/*'] },
    ]);
    // The build reads its input from, and writes its output to, the same folder.
    expect(statement(stack.statements('ci/build/role/permissions'), 'BucketObjectsReadWrite').resources).toEqual([
      `${stack.ref('ci/artifacts/bucket', 'arn')}/app/*`,
    ]);
    // Built from the project's name, so that a change to the project never shows the policy changing.
    expect(statement(statements, 'RunBuildProject')).toMatchObject({
      actions: START_BUILD_ACTIONS,
      resources: [contextArn(stack, 'codebuild', 'project/app')],
    });
    expect(statement(statements, 'BucketObjectsReadWrite').actions).toEqual(OBJECT_READ_WRITE_ACTIONS);
    expect(statement(statements, 'UseEncryptionKey')).toMatchObject({
      actions: KEY_ENCRYPT_DECRYPT_ACTIONS,
      resources: [stack.ref('ci/key/key', 'arn')],
    });
    expect(stack.statements('ci/pipeline/role/trust')[0].principals).toEqual([
      { type: 'Service', identifiers: ['codepipeline.amazonaws.com'] },
    ]);
  });
});

describe('Pipeline.addStage', () => {
  test('binds each action once, with the pipeline, the stage, the role and the artifact store', () => {
    const action = new FakeAction('Approve');
    let pipeline: Pipeline | undefined;
    synth((scope) => {
      pipeline = newPipeline(scope);
      pipeline.addStage({ stageName: 'First', actions: [new FakeAction('A')] });
      pipeline.addStage({ stageName: 'Gate', actions: [action] });
    });
    expect(action.binds).toBe(1);
    expect(action.binding).toMatchObject({
      pipelineName: pipeline!.pipelineName,
      stageName: 'Gate',
      role: pipeline!.role,
    });
  });

  test('places stages where asked, and writes ignored attributes at the real position of their action', () => {
    const stack = synth((scope) => {
      const pipeline = newPipeline(scope);
      const build = pipeline.addStage({ stageName: 'Build', actions: [new FakeAction('Compile')] });
      pipeline.addStage({
        stageName: 'Source',
        actions: [new FakeAction('Fetch', { ignoredChanges: ['configuration["Token"]'] })],
        placement: { rightBefore: build },
      });
      pipeline.addStage({
        stageName: 'Approve',
        actions: [new FakeAction('Ask'), new FakeAction('AskToo', { ignoredChanges: ['configuration["Other"]'] })],
        placement: { rightBefore: build },
      });
      pipeline.addStage({ stageName: 'Deploy', actions: [new FakeAction('Ship')], placement: { justAfter: build } });
    });
    const body = stack.at('pipeline/pipeline');
    expect(body.stage.map((stage: any) => stage.name)).toEqual(['Source', 'Approve', 'Build', 'Deploy']);
    expect(body.lifecycle.ignore_changes).toEqual([
      'stage[0].action[0].configuration["Token"]',
      'stage[1].action[1].configuration["Other"]',
    ]);
  });

  test('takes the pipeline type and the V2 triggers from its actions', () => {
    const trigger = { providerType: 'CodeStarSourceConnection', gitConfiguration: { sourceActionName: 'Fetch' } };
    const v1 = synth((scope) => {
      const pipeline = newPipeline(scope);
      pipeline.addStage({ stageName: 'Source', actions: [new FakeAction('Fetch', { pipelineType: 'V1' })] });
      pipeline.addStage({ stageName: 'Build', actions: [new FakeAction('Compile')] });
    }).at('pipeline/pipeline');
    expect(v1.pipeline_type).toBe('V1');
    expect(v1.trigger).toBeUndefined();
    expect(v1.lifecycle).toBeUndefined();
    const v2 = synth((scope) => {
      const pipeline = newPipeline(scope);
      pipeline.addStage({ stageName: 'Source', actions: [new FakeAction('Fetch', { triggers: [trigger] })] });
      pipeline.addStage({ stageName: 'Build', actions: [new FakeAction('Compile')] });
    }).at('pipeline/pipeline');
    expect(v2.pipeline_type).toBe('V2');
    expect(v2.trigger).toEqual([
      { provider_type: 'CodeStarSourceConnection', git_configuration: { source_action_name: 'Fetch' } },
    ]);
  });

  test.each([
    [
      'a stage name used twice',
      (p: Pipeline) => [
        p.addStage({ stageName: 'A', actions: [new FakeAction('X')] }),
        p.addStage({ stageName: 'A', actions: [new FakeAction('Y')] }),
      ],
      /"stageName" = "A": must be unique in the pipeline/,
    ],
    [
      'a stage without actions',
      (p: Pipeline) => p.addStage({ stageName: 'Empty', actions: [] }),
      /"actions" = \[\]: must hold at least one action/,
    ],
    [
      'two actions of one name',
      (p: Pipeline) => p.addStage({ stageName: 'A', actions: [new FakeAction('X'), new FakeAction('X')] }),
      /"actions\[\].actionName" = \["X","X"\]: must be unique in the stage/,
    ],
    [
      'a bad stage name',
      (p: Pipeline) => p.addStage({ stageName: 'has space', actions: [new FakeAction('X')] }),
      /"stageName" = "has space": must be 1-100 letters/,
    ],
    [
      'a placement next to a stage of another pipeline',
      (p: Pipeline) =>
        p.addStage({
          stageName: 'A',
          actions: [new FakeAction('X')],
          placement: { justAfter: { stageName: 'Elsewhere' } },
        }),
      /"placement" = "Elsewhere": must name a stage of this pipeline/,
    ],
    [
      'actions that need different pipeline types',
      (p: Pipeline) => [
        p.addStage({ stageName: 'A', actions: [new FakeAction('X', { pipelineType: 'V1' })] }),
        p.addStage({ stageName: 'B', actions: [new FakeAction('Y', { pipelineType: 'V2' })] }),
      ],
      'Pipeline at stack/pipeline: invalid prop "pipelineType" = "V1": must be V2: ' +
        'action "Y" runs only in V2 pipelines',
    ],
  ])('refuses %s, naming the pipeline', (_case, add, message) => {
    expect(() => synth((scope) => add(newPipeline(scope)))).toThrow(message);
  });

  test('queues executions where the type allows it, so every change is built in order; V1 can only supersede', () => {
    expect(pipelineOfType('V2').execution_mode).toBe('QUEUED');
    expect(pipelineOfType('V1').execution_mode).toBe('SUPERSEDED');
    expect(pipelineOfType('V2', 'PARALLEL').execution_mode).toBe('PARALLEL');
    expect(pipelineOfType('V2', 'SUPERSEDED').execution_mode).toBe('SUPERSEDED');
  });

  test('refuses an execution mode the pipeline type cannot run, or that does not exist', () => {
    expect(() => pipelineOfType('V1', 'QUEUED')).toThrow(
      'Pipeline at stack/pipeline: invalid prop "executionMode" = "QUEUED": must be SUPERSEDED in a V1 pipeline',
    );
    expect(() => synth((scope) => newPipeline(scope, 'V1', 'PARALLEL'))).toThrow(
      /invalid prop "executionMode" = "PARALLEL": must be SUPERSEDED in a V1 pipeline/,
    );
    expect(() => synth((scope) => newPipeline(scope, 'V2', 'FAST' as ExecutionMode))).toThrow(
      /invalid prop "executionMode" = "FAST": must be one of SUPERSEDED, QUEUED, PARALLEL/,
    );
  });

  test('an explicit pipeline type that an action cannot run in is refused', () => {
    expect(() =>
      synth((scope) =>
        newPipeline(scope, 'V2').addStage({ stageName: 'A', actions: [new FakeAction('X', { pipelineType: 'V1' })] }),
      ),
    ).toThrow(/"pipelineType" = "V2": must be V1: action "X" runs only in V1 pipelines/);
  });

  test('a pipeline with fewer than two stages fails synth validation', () => {
    const stack = new TerraformStack(testApp(), 'stack');
    newPipeline(stack).addStage({ stageName: 'Only', actions: [new FakeAction('X')] });
    expect(() => Testing.synth(stack, true)).toThrow(
      /Pipeline stack\/pipeline has 1 stage\(s\); a pipeline needs at least two/,
    );
  });

  test('an action that reads an artifact no action before it writes fails synth validation, naming both', () => {
    const declaration = (name: string, inputs: string[], outputs: string[], runOrder?: number) =>
      ({
        name,
        category: 'Build',
        owner: 'AWS',
        provider: 'CodeBuild',
        version: '1',
        runOrder,
        ...{
          inputArtifacts: inputs,
          outputArtifacts: outputs,
        },
      }) as ActionConfig['declaration'];
    const stack = new TerraformStack(testApp(), 'stack');
    const pipeline = newPipeline(stack);
    pipeline.addStage({
      stageName: 'Source',
      actions: [new FakeAction('S', { declaration: declaration('S', [], ['src']) })],
    });
    pipeline.addStage({
      stageName: 'Build',
      actions: [
        new FakeAction('B', { declaration: declaration('B', ['src'], ['out']) }),
        new FakeAction('T', { declaration: declaration('T', ['out'], [], 2) }),
        new FakeAction('Typo', { declaration: declaration('Typo', ['build_ouptut'], []) }),
      ],
    });
    expect(() => Testing.synth(stack, true)).toThrow(
      'Pipeline stack/pipeline: action "Typo" of stage "Build" reads the artifact "build_ouptut", which no action ' +
        'before it writes (written before it: "src")',
    );
    // An action of a later run order in the same stage reads what the earlier one wrote.
    expect(() => Testing.synth(stack, true)).not.toThrow(/action "T"/);
  });

  test('rejects a bad pipeline name, naming the construct path', () => {
    expect(() =>
      synth((scope) => {
        const encryptionKey = EncryptionKey.fromKeyArn(
          scope,
          'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        );
        new Pipeline(scope, 'pipeline', {
          pipelineName: 'bad name',
          artifactBucket: SecureBucket.fromBucketName(scope, 'b-b-b'),
          encryptionKey,
        });
      }),
    ).toThrow(
      'Pipeline at stack/pipeline: invalid prop "pipelineName" = "bad name": must be 1-100 letters, digits and .@_-',
    );
  });

  test('rejects a pipeline name whose role name IAM would refuse', () => {
    const name = 'a'.repeat(52);
    expect(() =>
      synth((scope) => {
        const encryptionKey = EncryptionKey.fromKeyArn(
          scope,
          'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        );
        new Pipeline(scope, 'pipeline', {
          pipelineName: name,
          artifactBucket: SecureBucket.fromBucketName(scope, 'b-b-b'),
          encryptionKey,
        });
      }),
    ).toThrow(
      `invalid prop "pipelineName" = "${name}": gives the IAM role name "${name}-codepipeline", which must be 1-64 ` +
        `letters`,
    );
  });
});

describe('stage entry conditions', () => {
  /** A V2 pipeline whose Approve stage is entered only when the Plan build exports NEEDS_APPROVAL=true. */
  const conditional = (entryCondition: EntryCondition, pipelineType?: PipelineType) =>
    synth((scope) => {
      const pipeline = newPipeline(scope, pipelineType);
      pipeline.addStage({ stageName: 'Source', actions: [new FakeAction('Fetch')] });
      pipeline.addStage({
        stageName: 'Approve',
        actions: [new ManualApprovalAction({ actionName: 'Review' })],
        entryCondition,
      });
    }).at('pipeline/pipeline');
  const NEEDS_APPROVAL: VariableCheckRule = {
    ruleName: 'NeedsApproval',
    variable: '#{Plan.NEEDS_APPROVAL}',
    operator: 'EQ',
    value: 'true',
  };

  test('a stage skipped unless a variable says so: a VariableCheck rule of AWS, written before the stage', () => {
    const pipeline = conditional({ result: 'SKIP', rules: [NEEDS_APPROVAL] });
    expect(pipeline.stage[1]).toEqual({
      name: 'Approve',
      action: [{ name: 'Review', category: 'Approval', owner: 'AWS', provider: 'Manual', version: '1' }],
      before_entry: {
        condition: {
          result: 'SKIP',
          rule: [
            {
              name: 'NeedsApproval',
              rule_type_id: { category: 'Rule', owner: 'AWS', provider: 'VariableCheck', version: '1' },
              configuration: { Variable: '#{Plan.NEEDS_APPROVAL}', Operator: 'EQ', Value: 'true' },
            },
          ],
        },
      },
    });
    expect(pipeline.stage[0].before_entry).toBeUndefined();
  });

  test('refused: on a V1 pipeline, with no rules or more than five, a result or operator that does not exist', () => {
    expect(() => conditional({ result: 'SKIP', rules: [NEEDS_APPROVAL] }, 'V1')).toThrow(
      'invalid prop "entryCondition" = "SKIP": must be on a V2 pipeline: stage conditions are V2 only',
    );
    expect(() => conditional({ result: 'SKIP', rules: [] })).toThrow('"entryCondition.rules" = 0: must hold 1-5 rules');
    expect(() => conditional({ result: 'SKIP', rules: Array(6).fill(NEEDS_APPROVAL) })).toThrow('= 6: must hold 1-5');
    expect(() => conditional({ result: 'ROLLBACK' as any, rules: [NEEDS_APPROVAL] })).toThrow(
      'invalid prop "entryCondition.result" = "ROLLBACK"',
    );
    expect(() => conditional({ result: 'FAIL', rules: [{ ...NEEDS_APPROVAL, operator: 'GT' as any }] })).toThrow(
      'invalid prop "entryCondition.rules[0].operator" = "GT"',
    );
    expect(() => conditional({ result: 'FAIL', rules: [{ ...NEEDS_APPROVAL, variable: 'NEEDS_APPROVAL' }] })).toThrow(
      '"entryCondition.rules[0].variable" = "NEEDS_APPROVAL": must name a pipeline variable: #{<namespace>.<name>}',
    );
  });

  test("a build action's namespace is written, and a bad one refused", () => {
    const withNamespace = (namespace: string) =>
      synth((scope) => {
        const key = new EncryptionKey(scope, 'build-key', {
          alias: 'ci/b',
          description: 'd',
          allowCloudWatchLogs: true,
        });
        const project = new BuildProject(scope, 'plan', {
          projectName: 'plan',
          encryptionKey: key,
          buildsImages: false,
        });
        const pipeline = newPipeline(scope);
        const source = { name: 'Fetch', category: 'Source', owner: 'AWS', provider: 'S3', version: '1' };
        pipeline.addStage({
          stageName: 'Source',
          actions: [new FakeAction('Fetch', { declaration: { ...source, outputArtifacts: ['source_output'] } })],
        });
        pipeline.addStage({
          stageName: 'Plan',
          actions: [new CodeBuildAction({ actionName: 'Plan', project, input: 'source_output', namespace })],
        });
      }).at('pipeline/pipeline');
    expect(withNamespace('Plan').stage[1].action[0]).toMatchObject({ name: 'Plan', namespace: 'Plan' });
    expect(() => withNamespace('Plan variables')).toThrow(
      'invalid prop "namespace" = "Plan variables": must be 1-100 letters, digits, "@", "-" and "_"',
    );
  });
});
