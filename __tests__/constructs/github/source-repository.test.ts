import { BranchDefault } from '@cdktf/provider-github/lib/branch-default';
import { BranchProtection } from '@cdktf/provider-github/lib/branch-protection';
import { DataGithubRepository } from '@cdktf/provider-github/lib/data-github-repository';
import { Repository } from '@cdktf/provider-github/lib/repository';
import { SourceRepository, SourceRepositoryProps } from '../../../constructs/github/source-repository';
import { synth, Synthesized } from '../../helpers';

const synthRepository = (props: Partial<SourceRepositoryProps> = {}) =>
  synth((scope) => new SourceRepository(scope, 'repository', { owner: 'my-org', repositoryName: 'app', ...props }));

describe('SourceRepository, created', () => {
  let stack: Synthesized;
  beforeAll(() => {
    stack = synthRepository({ branch: 'trunk' });
  });

  test('creates a private, alerting repository that is archived, not deleted, on destroy', () => {
    expect(stack.text).toHaveResourceWithProperties(Repository, {
      name: 'app',
      visibility: 'private',
      vulnerability_alerts: true,
      delete_branch_on_merge: true,
      archive_on_destroy: true,
    });
    expect(stack.text).not.toHaveDataSource(DataGithubRepository);
  });

  test('makes the branch the default and protects it', () => {
    expect(stack.text).toHaveResourceWithProperties(BranchDefault, { branch: 'trunk' });
    expect(stack.text).toHaveResourceWithProperties(BranchProtection, { allows_force_pushes: false, allows_deletions: false });
    const protection = stack.at('repository/branch-protection');
    expect(protection.pattern).toBe(stack.ref('repository/default-branch', 'branch'));
    expect(protection.repository_id).toBe(stack.ref('repository/repository', 'node_id'));
    expect(protection.required_pull_request_reviews[0]).toMatchObject({ required_approving_review_count: 1, dismiss_stale_reviews: true });
  });
});

describe('SourceRepository', () => {
  test('only reads an existing repository when create is false', () => {
    const { text } = synthRepository({ create: false });
    expect(text).toHaveDataSourceWithProperties(DataGithubRepository, { full_name: 'my-org/app' });
    expect(text).not.toHaveResource(Repository);
    expect(text).not.toHaveResource(BranchProtection);
  });

  test.each([
    [{ owner: '-bad' }, /SourceRepository at stack\/repository: invalid prop "owner" = "-bad": must be a GitHub login/],
    [{ repositoryName: 'a b' }, /invalid prop "repositoryName" = "a b"/],
    [{ branch: 'bad..branch' }, /invalid prop "branch" = "bad..branch": must be a branch name git and GitHub accept/],
    [{ visibility: 'public' as never }, /invalid prop "visibility" = "public": must be one of private, internal/],
    [{ requiredApprovingReviewCount: 0 }, /"requiredApprovingReviewCount" = 0/],
  ])('rejects %j: names GitHub and git reject, and public visibility', (props, message) => {
    expect(() => synthRepository(props)).toThrow(message);
  });

  test('importExisting adopts the repository, its default branch and, when asked, its protection, by literal IDs', () => {
    const adopt = (protectedBranchExists?: boolean) =>
      synth((scope) => new SourceRepository(scope, 'repository', { owner: 'my-org', repositoryName: 'app', branch: 'trunk' }).importExisting(protectedBranchExists));
    const plain = adopt();
    expect(plain.json.import).toEqual([
      { to: plain.address('repository/repository'), id: 'app' },
      { to: plain.address('repository/default-branch'), id: 'app' },
    ]);
    const protectedToo = adopt(true);
    expect(protectedToo.json.import).toContainEqual({ to: protectedToo.address('repository/branch-protection'), id: 'app:trunk' });
  });

  test('importExisting refuses a repository it only reads', () => {
    expect(() => synth((scope) => new SourceRepository(scope, 'repository', { owner: 'my-org', repositoryName: 'app', create: false }).importExisting())).toThrow(
      'SourceRepository.importExisting at stack/repository: invalid prop "create" = false: must be true (the default) to import',
    );
  });
});
