import { BranchDefault } from '@cdktf/provider-github/lib/branch-default';
import { BranchProtection } from '@cdktf/provider-github/lib/branch-protection';
import { DataGithubRepository } from '@cdktf/provider-github/lib/data-github-repository';
import { Repository } from '@cdktf/provider-github/lib/repository';
import { SourceRepository, SourceRepositoryProps } from '../constructs/source-repository';
import { only, synthScope } from './helpers';

const synth = (props: Partial<SourceRepositoryProps> = {}) =>
  synthScope((scope) => new SourceRepository(scope, 'repository', { owner: 'my-org', repositoryName: 'app', ...props }));

describe('SourceRepository', () => {
  test('creates a private, alerting repository that is archived, not deleted, on destroy', () => {
    const { text } = synth();
    expect(text).toHaveResourceWithProperties(Repository, {
      name: 'app',
      visibility: 'private',
      vulnerability_alerts: true,
      delete_branch_on_merge: true,
      archive_on_destroy: true,
    });
    expect(text).not.toHaveDataSource(DataGithubRepository);
  });

  test('makes the branch the default and protects it', () => {
    const { text, json } = synth({ branch: 'trunk' });
    expect(text).toHaveResourceWithProperties(BranchDefault, { branch: 'trunk' });
    expect(text).toHaveResourceWithProperties(BranchProtection, { allows_force_pushes: false, allows_deletions: false });
    const protection = only(json, 'github_branch_protection');
    expect(protection.pattern).toMatch(/^\$\{github_branch_default\..*\.branch\}$/);
    expect(protection.required_pull_request_reviews[0]).toMatchObject({ required_approving_review_count: 1, dismiss_stale_reviews: true });
  });

  test('only reads an existing repository when create is false', () => {
    const { text } = synth({ create: false });
    expect(text).toHaveDataSourceWithProperties(DataGithubRepository, { full_name: 'my-org/app' });
    expect(text).not.toHaveResource(Repository);
    expect(text).not.toHaveResource(BranchProtection);
  });

  test('rejects names GitHub and git reject, and public visibility', () => {
    expect(() => synth({ owner: '-bad' })).toThrow(/SourceRepository: invalid prop "owner" = "-bad": must be a GitHub login/);
    expect(() => synth({ repositoryName: 'a b' })).toThrow(/invalid prop "repositoryName" = "a b"/);
    expect(() => synth({ branch: 'bad..branch' })).toThrow(/invalid prop "branch" = "bad..branch": must be a branch name git accepts/);
    expect(() => synth({ visibility: 'public' as never })).toThrow(/invalid prop "visibility" = "public": must be one of private, internal/);
    expect(() => synth({ requiredApprovingReviewCount: 0 })).toThrow(/"requiredApprovingReviewCount" = 0/);
  });

  test('importExisting adopts the repository, its default branch and, when asked, its protection, by literal IDs', () => {
    const imports = (protectedBranchExists?: boolean) =>
      synthScope((scope) => new SourceRepository(scope, 'repository', { owner: 'my-org', repositoryName: 'app', branch: 'trunk' }).importExisting(protectedBranchExists)).json.import;
    const address = (type: string) => expect.stringMatching(new RegExp(`^${type}\\.repository_`));
    expect(imports()).toEqual([
      { to: address('github_repository'), id: 'app' },
      { to: address('github_branch_default'), id: 'app' },
    ]);
    expect(imports(true)).toContainEqual({ to: address('github_branch_protection'), id: 'app:trunk' });
  });

  test('importExisting refuses a repository it only reads', () => {
    expect(() => synthScope((scope) => new SourceRepository(scope, 'repository', { owner: 'my-org', repositoryName: 'app', create: false }).importExisting())).toThrow(
      'SourceRepository: importExisting() needs prop "create" to be true (the default); with create: false the repository is only read',
    );
  });
});
