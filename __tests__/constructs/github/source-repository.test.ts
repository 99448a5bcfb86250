import { BranchDefault } from '@cdktf/provider-github/lib/branch-default';
import { BranchProtection } from '@cdktf/provider-github/lib/branch-protection';
import { DataGithubRepository } from '@cdktf/provider-github/lib/data-github-repository';
import { Repository } from '@cdktf/provider-github/lib/repository';
import { RepositoryDependabotSecurityUpdates } from '@cdktf/provider-github/lib/repository-dependabot-security-updates';
import { RepositoryFile } from '@cdktf/provider-github/lib/repository-file';
import { CODEOWNERS_PATH, SourceRepository, SourceRepositoryProps } from '../../../constructs/github/source-repository';
import { TerraformStack } from 'cdktf';
import { synth, Synthesized, testApp } from '../../helpers';

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
    expect(stack.text).toHaveResourceWithProperties(BranchProtection, {
      allows_force_pushes: false,
      allows_deletions: false,
    });
    const protection = stack.at('repository/branch-protection');
    expect(protection.pattern).toBe(stack.ref('repository/default-branch', 'branch'));
    expect(protection.repository_id).toBe(stack.ref('repository/repository', 'node_id'));
    expect(protection.required_pull_request_reviews[0]).toMatchObject({
      required_approving_review_count: 1,
      dismiss_stale_reviews: true,
    });
  });
});

describe('SourceRepository, created with code owners and required checks', () => {
  let stack: Synthesized;
  beforeAll(() => {
    stack = synthRepository({
      codeOwners: ['@my-org/platform', 'security@example.com'],
      codeOwnedPaths: ['/app/buildspec.yml', '/app/Dockerfile'],
      requiredStatusChecks: ['ci/pull-request'],
      requiredApprovingReviewCount: 2,
    });
  });

  test(
    'commits a CODEOWNERS file for the paths and itself, before the branch is protected, and leaves later edits ' +
      'to pull requests',
    () => {
      const file = stack.at('repository/codeowners');
      expect(file).toMatchObject({ file: CODEOWNERS_PATH, overwrite_on_create: false });
      // On the default branch, whichever it is: a `branch` (ForceNew in the provider) would replace the file, a commit
      // to the protected branch, when the branch changes.
      expect(file.branch).toBeUndefined();
      expect(file.depends_on).toEqual([stack.address('repository/default-branch')]);
      expect(file.content.split('\n').filter((line: string) => line !== '' && !line.startsWith('#'))).toEqual([
        '/.github/CODEOWNERS @my-org/platform security@example.com',
        '/app/buildspec.yml @my-org/platform security@example.com',
        '/app/Dockerfile @my-org/platform security@example.com',
      ]);
      expect(file.lifecycle.ignore_changes).toEqual(['content', 'commit_message']);
      expect(stack.at('repository/branch-protection').depends_on).toEqual([stack.address('repository/codeowners')]);
    },
  );

  test('requires code-owner reviews, the approvals asked for, and the status checks on an up-to-date branch', () => {
    const protection = stack.at('repository/branch-protection');
    expect(protection.required_pull_request_reviews[0]).toEqual({
      required_approving_review_count: 2,
      dismiss_stale_reviews: true,
      require_code_owner_reviews: true,
      require_last_push_approval: true,
    });
    expect(protection.required_status_checks).toEqual([{ strict: true, contexts: ['ci/pull-request'] }]);
    expect(protection).toMatchObject({ enforce_admins: true, allows_force_pushes: false, allows_deletions: false });
  });

  test('turns on Dependabot security updates', () => {
    expect(stack.text).toHaveResourceWithProperties(RepositoryDependabotSecurityUpdates, {
      repository: stack.ref('repository/repository', 'name'),
      enabled: true,
    });
  });
});

describe('SourceRepository', () => {
  test(
    'without code owners: no CODEOWNERS file, no code-owner reviews, no status checks; Dependabot can be ' +
      'turned off',
    () => {
      const plain = synthRepository({ dependabotSecurityUpdates: false, dismissStaleReviews: false });
      expect(plain.text).not.toHaveResource(RepositoryFile);
      expect(plain.text).not.toHaveResource(RepositoryDependabotSecurityUpdates);
      const protection = plain.at('repository/branch-protection');
      expect(protection.required_pull_request_reviews[0]).toMatchObject({
        require_code_owner_reviews: false,
        dismiss_stale_reviews: false,
      });
      expect(protection.required_status_checks).toBeUndefined();
      expect(protection.depends_on).toBeUndefined();
    },
  );

  test('dismissStaleReviews: false with code owners, a documented choice, suppresses the one rule it weakens', () => {
    const protectionOf = (props: Partial<SourceRepositoryProps>) => {
      const stack = new TerraformStack(testApp(), 'repo');
      new SourceRepository(stack, 'repository', { owner: 'my-org', repositoryName: 'app', ...props });
      return Object.values<any>((stack.toTerraform() as any).resource.github_branch_protection)[0];
    };
    expect(protectionOf({ dismissStaleReviews: false, codeOwners: ['@my-org/platform'] })['//'].suppressions).toEqual([
      {
        rule: 'CIP_GIT_3',
        reason:
          "dismissStaleReviews is false on repo/repository: code owners' approvals survive later pushes, as its " +
          'owner chose',
      },
    ]);
    // Without code owners, the last push's own approval keeps every counted approval fresh: nothing is weakened.
    expect(protectionOf({ dismissStaleReviews: false })['//'].suppressions).toBeUndefined();
    expect(protectionOf({})['//'].suppressions).toBeUndefined();
  });

  test.each([
    [{ codeOwners: ['platform'] }, /invalid prop "codeOwners\[0\]" = "platform": must be a GitHub user/],
    // A managed user's short code follows one underscore; an underscore alone, or first, is no username.
    [{ codeOwners: ['@mona_'] }, /invalid prop "codeOwners\[0\]" = "@mona_": must be a GitHub user/],
    [{ codeOwners: ['@_octo'] }, /invalid prop "codeOwners\[0\]" = "@_octo": must be a GitHub user/],
    [{ codeOwners: [] }, /invalid prop "codeOwners" = \[\]: must name at least one owner/],
    // Another organization's team can have no write access here, so it can own nothing.
    [
      { codeOwners: ['@My-Org/platform', '@other-org/platform'] },
      /invalid prop "codeOwners\[1\]" = "@other-org\/platform": must be a team of the repository's owner "my-org"/,
    ],
    [
      { codeOwners: ['@o'], codeOwnedPaths: ['!/x'] },
      /invalid prop "codeOwnedPaths\[0\]" = "!\/x": must be a CODEOWNERS path pattern/,
    ],
    [{ codeOwnedPaths: ['/x'] }, /invalid prop "codeOwnedPaths" = \["\/x"\]: needs codeOwners/],
    [
      { requiredStatusChecks: [' ci'] },
      /invalid prop "requiredStatusChecks\[0\]" = " ci": must be a status check context/,
    ],
    [{ dismissStaleReviews: 'yes' as never }, /invalid prop "dismissStaleReviews" = "yes": must be true or false/],
    [
      { create: false, codeOwners: ['@o'] },
      /invalid prop "codeOwners" = \["@o"\]: applies only to a repository that is created/,
    ],
    [
      { create: false, requiredApprovingReviewCount: 2 },
      /invalid prop "requiredApprovingReviewCount" = 2: applies only to a repository that is created/,
    ],
  ])('rejects the protection settings %j, naming the prop', (props, message) => {
    expect(() => synthRepository(props)).toThrow(message);
  });

  test('accepts a managed user of an Enterprise Managed Users enterprise, whose name ends in _<short code>', () => {
    const file = synthRepository({ codeOwners: ['@mona_octo', '@my-org/platform'] }).at('repository/codeowners');
    expect(file.content).toContain('/.github/CODEOWNERS @mona_octo @my-org/platform');
  });

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

  test(
    'importExisting adopts the repository, its default branch and, when asked, its protection, by ' + 'literal IDs',
    () => {
      const adopt = (protectedBranchExists?: boolean) =>
        synth((scope) =>
          new SourceRepository(scope, 'repository', {
            owner: 'my-org',
            repositoryName: 'app',
            branch: 'trunk',
          }).importExisting(protectedBranchExists),
        );
      const plain = adopt();
      expect(plain.json.import).toEqual([
        { to: plain.address('repository/repository'), id: 'app' },
        { to: plain.address('repository/default-branch'), id: 'app' },
      ]);
      const protectedToo = adopt(true);
      expect(protectedToo.json.import).toContainEqual({
        to: protectedToo.address('repository/branch-protection'),
        id: 'app:trunk',
      });
    },
  );

  test('importExisting refuses a repository it only reads', () => {
    expect(() =>
      synth((scope) =>
        new SourceRepository(scope, 'repository', {
          owner: 'my-org',
          repositoryName: 'app',
          create: false,
        }).importExisting(),
      ),
    ).toThrow(
      'SourceRepository.importExisting at stack/repository: invalid prop "create" = false: must be true (the ' +
        'default) to import',
    );
  });
});
