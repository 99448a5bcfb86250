import { BranchDefault } from '@cdktf/provider-github/lib/branch-default';
import { BranchProtection } from '@cdktf/provider-github/lib/branch-protection';
import { DataGithubRepository } from '@cdktf/provider-github/lib/data-github-repository';
import { Repository } from '@cdktf/provider-github/lib/repository';
import { Construct } from 'constructs';
import { checkBranchName, checkGitHubOwner, checkGitHubRepository, checkIntegerBetween, checkOneOf } from '../core/checks';
import { checkOptionalProp, checkProp, PropProblem, throwIfInvalid } from '../core/validation';

/** Who can see a repository the construct creates. `public` is refused: a CI source should not be world-readable by accident. */
export type RepositoryVisibility = 'private' | 'internal';
export const REPOSITORY_VISIBILITIES: readonly RepositoryVisibility[] = ['private', 'internal'];

export interface SourceRepositoryProps {
  /** The user or organization that owns the repository (the GitHub provider's `owner` must match). */
  readonly owner: string;
  /** The repository's name. */
  readonly repositoryName: string;
  /**
   * The branch the pipeline builds; when the repository is created, also its default, protected branch.
   * @default "main"
   */
  readonly branch?: string;
  /**
   * Create and manage the repository. `false` reads an existing repository instead and changes nothing on it.
   * @default true
   */
  readonly create?: boolean;
  /**
   * Visibility of a created repository.
   * @default "private"
   */
  readonly visibility?: RepositoryVisibility;
  /**
   * Description of a created repository.
   * @default - none
   */
  readonly description?: string;
  /**
   * Approving reviews a pull request into the protected branch needs.
   * @default 1
   */
  readonly requiredApprovingReviewCount?: number;
}

function validateSourceRepositoryProps(props: SourceRepositoryProps): PropProblem[] {
  return [
    ...checkProp('owner', props.owner, checkGitHubOwner),
    ...checkProp('repositoryName', props.repositoryName, checkGitHubRepository),
    ...checkOptionalProp('branch', props.branch, checkBranchName),
    ...checkOptionalProp('visibility', props.visibility, checkOneOf(REPOSITORY_VISIBILITIES)),
    // GitHub REST API, "Update branch protection": required_approving_review_count, 0-6 (0 would protect nothing here).
    ...checkOptionalProp('requiredApprovingReviewCount', props.requiredApprovingReviewCount, checkIntegerBetween(1, 6)),
  ];
}

/**
 * The GitHub repository the pipeline builds from.
 *
 * Created (the default), it is private, has vulnerability alerts on, deletes
 * head branches on merge, is archived rather than deleted by `terraform
 * destroy`, and its branch is the default branch with protection: no force
 * pushes, no deletion, and pull requests need an approving review. With
 * `create: false` it only reads an existing repository, so teams that already
 * have one keep full control of its settings.
 */
export class SourceRepository extends Construct {
  /** The owner (user or organization). */
  public readonly owner: string;
  /** The repository's name (a reference to the resource or data source). */
  public readonly repositoryName: string;
  /** The branch the pipeline builds. */
  public readonly branch: string;
  private readonly resources?: { readonly name: string; readonly repository: Repository; readonly defaultBranch: BranchDefault; readonly protection: BranchProtection };

  constructor(scope: Construct, id: string, props: SourceRepositoryProps) {
    super(scope, id);
    throwIfInvalid('SourceRepository', this, validateSourceRepositoryProps(props));
    this.owner = props.owner;
    this.branch = props.branch ?? 'main';

    if (props.create === false) {
      const existing = new DataGithubRepository(this, 'existing', { fullName: `${props.owner}/${props.repositoryName}` });
      this.repositoryName = existing.name;
      return;
    }

    const repository = new Repository(this, 'repository', {
      name: props.repositoryName,
      description: props.description,
      visibility: props.visibility ?? 'private',
      vulnerabilityAlerts: true,
      deleteBranchOnMerge: true,
      archiveOnDestroy: true,
      // An initial commit creates the branch that the default-branch and protection resources need.
      autoInit: true,
      hasWiki: false,
    });
    const defaultBranch = new BranchDefault(this, 'default-branch', {
      repository: repository.name,
      branch: this.branch,
      // Renames the initial branch when it differs, instead of requiring the branch to exist.
      rename: true,
    });
    const protection = new BranchProtection(this, 'branch-protection', {
      repositoryId: repository.nodeId,
      pattern: defaultBranch.branch,
      allowsForcePushes: false,
      allowsDeletions: false,
      enforceAdmins: true,
      requireConversationResolution: true,
      requiredPullRequestReviews: [
        { requiredApprovingReviewCount: props.requiredApprovingReviewCount ?? 1, dismissStaleReviews: true, requireLastPushApproval: true },
      ],
    });

    this.repositoryName = repository.name;
    this.resources = { name: props.repositoryName, repository, defaultBranch, protection };
  }

  /**
   * Adopts a repository that already exists under this name: the next apply
   * imports it, its default branch and, when `protectedBranchExists`, the
   * protection of the branch, then brings their settings to this construct's
   * (Terraform `import` blocks, via cdktf's `importFrom`). Remove the call once
   * applied; keeping it is harmless.
   *
   * @param protectedBranchExists whether the branch already has a protection rule with the branch's name as its pattern
   * @throws when the repository is read with `create: false`, which never manages it
   */
  public importExisting(protectedBranchExists = false): void {
    if (this.resources === undefined) {
      throwIfInvalid('SourceRepository.importExisting', this, [
        { prop: 'create', value: false, allowed: 'must be true (the default) to import: with create: false the repository is only read, never managed' },
      ]);
      return;
    }
    // Literal IDs: an import ID must be known before the plan, so it cannot refer to the resource it imports.
    const name = this.resources.name;
    this.resources.repository.importFrom(name);
    this.resources.defaultBranch.importFrom(name);
    if (protectedBranchExists) this.resources.protection.importFrom(`${name}:${this.branch}`);
  }
}
