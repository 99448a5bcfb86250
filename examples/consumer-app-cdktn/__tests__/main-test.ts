// The team's unit test, with cdktn's Testing helpers and matchers, against the installed construct.
import { CodebuildProject } from '@cdktn/provider-aws/lib/codebuild-project';
import { CodebuildWebhook } from '@cdktn/provider-aws/lib/codebuild-webhook';
import { Codepipeline } from '@cdktn/provider-aws/lib/codepipeline';
import { Testing } from 'cdktn';
import 'cdktn/lib/testing/adapters/jest'; // the types of cdktn's matchers, as cdktn init's test imports them
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
  });
});
