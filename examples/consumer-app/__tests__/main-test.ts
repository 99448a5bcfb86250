// The team's unit test, with cdktf's Testing helpers and matchers, against the installed construct.
import { CodebuildProject } from '@cdktf/provider-aws/lib/codebuild-project';
import { CodebuildWebhook } from '@cdktf/provider-aws/lib/codebuild-webhook';
import { Codepipeline } from '@cdktf/provider-aws/lib/codepipeline';
import { Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest'; // the types of cdktf's matchers, as cdktf init's test imports them
import { ApiCiStack } from '../main';

describe('ApiCiStack', () => {
  const synthesized = Testing.synth(new ApiCiStack(Testing.app(), 'api-ci'));

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
    const stack = new ApiCiStack(Testing.app(), 'api-ci');
    stack.ci.buildProject.resources.project.addOverride('environment.image', 'someone/image:latest');
    expect(() => Testing.synth(stack, true)).toThrow(/CIP_CB_1 Privileged builds run only on CodeBuild-managed images/);
  });
});
