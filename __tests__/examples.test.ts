import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { API_PIPELINE_STATE, ApiCiStack, PipelineAlertsStack } from '../examples/team-stacks/main';
import { testApp } from './helpers';

const EXAMPLE = join(__dirname, '..', 'examples', 'team-stacks', 'main.ts');

describe("the docs' example of a team's own stacks", () => {
  let ciJson: any;
  let alertsJson: any;
  beforeAll(() => {
    const app = testApp();
    ciJson = JSON.parse(Testing.synth(new ApiCiStack(app, 'api-ci'), true));
    alertsJson = JSON.parse(Testing.synth(new PipelineAlertsStack(app, 'api-alerts'), true));
  });

  test('the pipeline lives in the team stack, under its backend, and passes the guardrails', () => {
    const { kmsKeyId, ...state } = API_PIPELINE_STATE;
    expect(ciJson.terraform.backend.s3).toEqual({ ...state, kms_key_id: kmsKeyId, encrypt: true, use_lockfile: true });
    expect(Object.keys(ciJson.resource.aws_codepipeline)).toHaveLength(1);
    expect(ciJson.data.github_repository).toBeDefined();
    expect(ciJson.resource.aws_kms_key).toBeUndefined();
    expect(ciJson.resource.aws_s3_bucket).toBeUndefined();
    const [pipeline] = Object.values<any>(ciJson.resource.aws_codepipeline);
    expect(pipeline.artifact_store[0]).toMatchObject({
      location: 'acme-ci-artifacts',
      encryption_key: { id: expect.stringMatching(/^arn:aws:kms:eu-west-1:111122223333:key\//) },
    });
    expect(ciJson.output.pipeline_name.value).toMatch(/^\$\{aws_codepipeline\..+\.name\}$/);
  });

  test('another stack reads its outputs through terraform_remote_state on the same backend', () => {
    const [remote] = Object.values<any>(alertsJson.data.terraform_remote_state);
    expect(remote.backend).toBe('s3');
    const { use_lockfile: _lock, ...backend } = ciJson.terraform.backend.s3;
    expect(remote.config).toEqual(backend);
    const [rule] = Object.values<any>(alertsJson.resource.aws_cloudwatch_event_rule);
    expect(rule.event_pattern).toContain('data.terraform_remote_state.api-ci.outputs.pipeline_name');
    expect(alertsJson.terraform.backend.s3.key).not.toBe(ciJson.terraform.backend.s3.key);
  });

  test('is the code docs/using-the-constructs.md shows', () => {
    const readme = readFileSync(join(__dirname, '..', 'docs', 'using-the-constructs.md'), 'utf8');
    const example = readFileSync(EXAMPLE, 'utf8');
    const body = example.slice(example.indexOf('import '));
    expect(readme).toContain(body.trim());
  });
});
