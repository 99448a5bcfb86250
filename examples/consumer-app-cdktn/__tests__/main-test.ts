// The team's unit test, with cdktn's Testing helpers and matchers, against the installed construct.
import { CodebuildProject } from '@cdktn/provider-aws/lib/codebuild-project';
import { CodebuildWebhook } from '@cdktn/provider-aws/lib/codebuild-webhook';
import { Codepipeline } from '@cdktn/provider-aws/lib/codepipeline';
import { Testing } from 'cdktn';
import 'cdktn/lib/testing/adapters/jest'; // the types of cdktn's matchers, as cdktn init's test imports them
import { ApiCiStack } from '../main';

describe('ApiCiStack', () => {
  // With cdktn's validations (`true`), which check each feature against the releases the app targets: a test's app
  // reads no cdktf.json, so it gets the targets as main.ts's does.
  const app = Testing.app({ context: { targetVersions: { terraform: '>=1.11.0' } } });
  const synthesized = Testing.synth(new ApiCiStack(app, 'api-ci'), true);

  it('has the pipeline, its build and the pull-request build', () => {
    expect(synthesized).toHaveResourceWithProperties(Codepipeline, {
      name: 'api',
      pipeline_type: 'V2',
      execution_mode: 'QUEUED',
    });
    expect(synthesized).toHaveResourceWithProperties(CodebuildProject, { name: 'api' });
    expect(synthesized).toHaveResourceWithProperties(CodebuildProject, { name: 'api-pull-requests' });
    expect(synthesized).toHaveResource(CodebuildWebhook);
    expect(synthesized).toHaveResourceWithProperties(CodebuildProject, { name: 'web' });
  });

  it("refuses a build image nobody pinned, through the package's guardrails", () => {
    const stack = new ApiCiStack(Testing.app({ context: { targetVersions: { terraform: '>=1.11.0' } } }), 'api-ci');
    stack.ci.buildProject.resources.project.addOverride('environment.image', 'someone/image:latest');
    expect(() => Testing.synth(stack, true)).toThrow(/CIP_CB_1 Privileged builds run only on CodeBuild-managed images/);
  });
});
