import { terraformEnv } from '../../tools/infrastructure-pipeline/processes';

describe("Terraform's environment", () => {
  test("the GitHub provider's token is Terraform's GITHUB_TOKEN, not the token the step comments with", () => {
    const env = terraformEnv({ GITHUB_TOKEN: 'comment-token', GITHUB_PROVIDER_TOKEN: 'provider-token', PATH: '/bin' });
    expect(env).toEqual({ GITHUB_TOKEN: 'provider-token', PATH: '/bin' });
  });

  test('without a provider token, the environment is as it is', () => {
    const env = { GITHUB_TOKEN: 'token', PATH: '/bin' };
    expect(terraformEnv(env)).toBe(env);
  });
});
