import { BranchDefault } from '@cdktf/provider-github/lib/branch-default';
import { BranchProtection } from '@cdktf/provider-github/lib/branch-protection';
import { DataGithubRepository } from '@cdktf/provider-github/lib/data-github-repository';
import { Repository } from '@cdktf/provider-github/lib/repository';
import { RepositoryDependabotSecurityUpdates } from '@cdktf/provider-github/lib/repository-dependabot-security-updates';
import { RepositoryFile } from '@cdktf/provider-github/lib/repository-file';
import { Construct } from 'constructs';
import {
  checkBoolean,
  checkIntegerBetween,
  checkOneOf,
  checkStatusCheckContext,
  matches,
  visible,
} from '../private/checks';
import {
  Check,
  checkOptionalList,
  checkOptionalProp,
  checkProp,
  crossPropProblem,
  throwIfInvalid,
} from '../private/validation';
import { PropProblem } from '../core/validation';
import { Suppressions } from '../../shared/suppressions';

/**
 * Who can see a repository the construct creates. `public` is refused: a CI source should not be world-readable by
 * accident.
 */
export type RepositoryVisibility = 'private' | 'internal';
export const REPOSITORY_VISIBILITIES: readonly RepositoryVisibility[] = ['private', 'internal'];

export interface SourceRepositoryProps extends RepositorySettings {
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
   * Description of a created repository.
   * @default - none
   */
  readonly description?: string;
  /**
   * The paths `codeOwners` own, in CODEOWNERS syntax (`/app/buildspec.yml`); the
   * CODEOWNERS file itself is always among them.
   * @default - the CODEOWNERS file only
   */
  readonly codeOwnedPaths?: readonly string[];
}

/** How a repository is managed: created (and then with which settings), or only read. */
export interface RepositorySettings {
  /**
   * Create and manage the repository. `false` reads an existing repository instead and changes nothing on it.
   * @default true
   */
  readonly create?: boolean;
  /**
   * Visibility of a created repository; refused with `create: false`, like every setting below.
   * @default "private"
   */
  readonly visibility?: RepositoryVisibility;
  /**
   * Approving reviews a pull request into the protected branch needs (1-6).
   * @default 1
   */
  readonly requiredApprovingReviewCount?: number;
  /**
   * Dismiss approvals when new commits are pushed to the pull request. The last push always needs an approval of its
   * own (`require_last_push_approval`), so this matters for code owners' approvals, which would otherwise keep
   * counting for the code they own.
   * @default true
   */
  readonly dismissStaleReviews?: boolean;
  /**
   * Who must review changes to the files the build runs with its role and
   * credentials: written to `.github/CODEOWNERS` when the repository is
   * created, and pull requests then need a code owner's approval. Users
   * (`@name`), teams (`@org/team`) or e-mail addresses.
   * @default - no CODEOWNERS file, and no code-owner reviews
   */
  readonly codeOwners?: readonly string[];
  /**
   * Status checks (their contexts) that must pass, on a branch up to date with
   * the protected one, before a pull request can merge.
   * @default - none
   */
  readonly requiredStatusChecks?: readonly string[];
  /**
   * Let Dependabot open pull requests that fix vulnerable dependencies.
   * @default true
   */
  readonly dependabotSecurityUpdates?: boolean;
}

/** Where the construct writes the code owners (GitHub Docs, "About code owners": `.github/`, the root or `docs/`). */
export const CODEOWNERS_PATH = '.github/CODEOWNERS';

/** The props that change a created repository only; with `create: false` they are refused. */
const CREATED_REPOSITORY_SETTINGS = [
  'visibility',
  'requiredApprovingReviewCount',
  'dismissStaleReviews',
  'codeOwners',
  'requiredStatusChecks',
  'dependabotSecurityUpdates',
] as const satisfies readonly (keyof RepositorySettings)[];

/**
 * Every problem with a repository's settings; the pipeline's props reuse it for
 * their `github` section. Settings of a created repository are refused with
 * `create: false`, which changes nothing on the repository.
 */
export function validateRepositorySettings(settings: RepositorySettings, owner: string): PropProblem[] {
  return [
    ...checkOptionalProp('visibility', settings.visibility, checkOneOf(REPOSITORY_VISIBILITIES)),
    // GitHub REST API, "Update branch protection": required_approving_review_count, 0-6 (0 would protect nothing here).
    ...checkOptionalProp(
      'requiredApprovingReviewCount',
      settings.requiredApprovingReviewCount,
      checkIntegerBetween(1, 6),
    ),
    ...checkOptionalProp('dismissStaleReviews', settings.dismissStaleReviews, checkBoolean),
    ...checkOptionalProp('dependabotSecurityUpdates', settings.dependabotSecurityUpdates, checkBoolean),
    ...checkOptionalList('codeOwners', settings.codeOwners, checkCodeOwner),
    ...checkOptionalList('codeOwners', settings.codeOwners, checkTeamOfOwner(owner)),
    ...crossPropProblem(
      Array.isArray(settings.codeOwners) && settings.codeOwners.length === 0,
      'codeOwners',
      settings.codeOwners,
      'must name at least one owner, or be left out',
    ),
    ...checkOptionalList('requiredStatusChecks', settings.requiredStatusChecks, checkStatusCheckContext),
    ...(settings.create === false
      ? CREATED_REPOSITORY_SETTINGS.flatMap((prop) =>
          crossPropProblem(
            settings[prop] !== undefined,
            prop,
            settings[prop],
            'applies only to a repository that is created (create: true); set it on the existing repository instead',
          ),
        )
      : []),
  ];
}

function validateSourceRepositoryProps(props: SourceRepositoryProps): PropProblem[] {
  return [
    ...checkProp('owner', props.owner, checkGitHubOwner),
    ...checkProp('repositoryName', props.repositoryName, checkGitHubRepository),
    ...checkOptionalProp('branch', props.branch, checkBranchName),
    ...validateRepositorySettings(props, props.owner),
    ...checkOptionalList('codeOwnedPaths', props.codeOwnedPaths, checkCodeOwnersPattern),
    ...crossPropProblem(
      props.codeOwnedPaths !== undefined && props.codeOwners === undefined,
      'codeOwnedPaths',
      props.codeOwnedPaths,
      'needs codeOwners to own them',
    ),
  ];
}

/** The provider resources of a {@link SourceRepository}: those it creates, or the one it reads with `create: false`. */
export interface SourceRepositoryResources {
  /**
   * The repository.
   * @default - none with `create: false`
   */
  readonly repository?: Repository;
  /**
   * Its default branch.
   * @default - none with `create: false`
   */
  readonly defaultBranch?: BranchDefault;
  /**
   * The branch's protection.
   * @default - none with `create: false`
   */
  readonly branchProtection?: BranchProtection;
  /**
   * The `.github/CODEOWNERS` file, committed once.
   * @default - none without `codeOwners`
   */
  readonly codeOwners?: RepositoryFile;
  /**
   * Dependabot security updates.
   * @default - none with `create: false` or `dependabotSecurityUpdates: false`
   */
  readonly dependabotSecurityUpdates?: RepositoryDependabotSecurityUpdates;
  /**
   * The lookup of an existing repository.
   * @default - none unless `create: false`
   */
  readonly existing?: DataGithubRepository;
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
/**
 * A GitHub repository and the branch a pipeline reads: a {@link SourceRepository}, or a repository no stack of this
 * app manages (the infrastructure pipeline's own, read through a connection).
 */
export interface RepositoryReference {
  /** The user or organization that owns the repository. */
  readonly owner: string;
  /** The repository's name. */
  readonly repositoryName: string;
  /** `owner/name`, a literal for messages. */
  readonly fullName: string;
  /** The branch the pipeline reads. */
  readonly branch: string;
}

export class SourceRepository extends Construct implements RepositoryReference {
  /** The owner (user or organization). */
  public readonly owner: string;
  /** The repository's name (a reference to the resource or data source). */
  public readonly repositoryName: string;
  /** `owner/name`, as given (a literal, for messages and other stacks). */
  public readonly fullName: string;
  /** The branch the pipeline builds. */
  public readonly branch: string;
  /** The provider resources it created or reads, to reach any argument it does not model (escape hatch). */
  public readonly resources: SourceRepositoryResources;
  /** The repository's name as given, for `importExisting`; undefined for a repository it only reads. */
  private readonly createdName?: string;

  constructor(scope: Construct, id: string, props: SourceRepositoryProps) {
    super(scope, id);
    throwIfInvalid('SourceRepository', this, validateSourceRepositoryProps(props));
    this.owner = props.owner;
    this.fullName = `${props.owner}/${props.repositoryName}`;
    this.branch = props.branch ?? 'main';

    if (props.create === false) {
      const existing = new DataGithubRepository(this, 'existing', {
        fullName: `${props.owner}/${props.repositoryName}`,
      });
      this.repositoryName = existing.name;
      this.resources = { existing };
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
    const codeOwners = this.writeCodeOwners(repository, defaultBranch, props);
    const branchProtection = this.protectBranch(repository, defaultBranch, codeOwners, props);
    const dependabotSecurityUpdates =
      (props.dependabotSecurityUpdates ?? true)
        ? new RepositoryDependabotSecurityUpdates(this, 'dependabot-security-updates', {
            repository: repository.name,
            enabled: true,
          })
        : undefined;

    this.node.defaultChild = repository;
    this.repositoryName = repository.name;
    this.createdName = props.repositoryName;
    this.resources = { repository, defaultBranch, branchProtection, codeOwners, dependabotSecurityUpdates };
  }

  /** Protects the branch: reviewed pull requests only, the required status checks, no force pushes or deletion. */
  private protectBranch(
    repository: Repository,
    defaultBranch: BranchDefault,
    codeOwners: RepositoryFile | undefined,
    props: SourceRepositoryProps,
  ): BranchProtection {
    const protection = new BranchProtection(this, 'branch-protection', {
      repositoryId: repository.nodeId,
      pattern: defaultBranch.branch,
      allowsForcePushes: false,
      allowsDeletions: false,
      enforceAdmins: true,
      requireConversationResolution: true,
      requiredPullRequestReviews: [
        {
          requiredApprovingReviewCount: props.requiredApprovingReviewCount ?? 1,
          dismissStaleReviews: props.dismissStaleReviews ?? true,
          requireCodeOwnerReviews: codeOwners !== undefined,
          requireLastPushApproval: true,
        },
      ],
      requiredStatusChecks: props.requiredStatusChecks?.length
        ? [{ strict: true, contexts: [...props.requiredStatusChecks] }]
        : undefined,
      // Written before the branch is protected: afterwards, only a reviewed pull request may change the branch.
      dependsOn: codeOwners === undefined ? undefined : [codeOwners],
    });
    // A documented choice, recorded where the guardrails and the report read it, rather than a finding. Without code
    // owners, last-push approval keeps every counted approval fresh, so there is nothing to record.
    if (props.dismissStaleReviews === false && codeOwners !== undefined) {
      Suppressions.add(protection, {
        ruleId: 'CIP_GIT_3',
        reason:
          `dismissStaleReviews is false on ${this.node.path}: code owners' approvals survive later pushes, as its ` +
          'owner chose',
      });
    }
    return protection;
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
    const { repository, defaultBranch, branchProtection } = this.resources;
    const name = this.createdName;
    if (name === undefined || repository === undefined || defaultBranch === undefined) {
      throwIfInvalid('SourceRepository.importExisting', this, [
        {
          prop: 'create',
          value: false,
          allowed:
            'must be true (the default) to import: with create: false the repository is only read, never managed',
        },
      ]);
      return;
    }
    // Literal IDs: an import ID must be known before the plan, so it cannot refer to the resource it imports.
    repository.importFrom(name);
    defaultBranch.importFrom(name);
    if (protectedBranchExists) branchProtection?.importFrom(`${name}:${this.branch}`);
  }

  /**
   * Commits `.github/CODEOWNERS` once, before the branch is protected. Later
   * changes to the file go through pull requests, as the protection requires,
   * so Terraform does not manage its content after the first apply.
   */
  private writeCodeOwners(
    repository: Repository,
    defaultBranch: BranchDefault,
    props: SourceRepositoryProps,
  ): RepositoryFile | undefined {
    if (props.codeOwners === undefined) return undefined;
    const owners = props.codeOwners.join(' ');
    const paths = [...new Set([`/${CODEOWNERS_PATH}`, ...(props.codeOwnedPaths ?? [])])];
    return new RepositoryFile(this, 'codeowners', {
      repository: repository.name,
      // No `branch`: the provider then writes to and reads from the default branch, whichever it is (its `branch` is
      // ForceNew, and a file whose branch is gone is dropped from state). So a change of branch, which renames the
      // default branch, leaves the file alone instead of committing it again to a protected branch, which GitHub
      // refuses. Written once the default branch is set.
      dependsOn: [defaultBranch],
      file: CODEOWNERS_PATH,
      content: [
        "# Who must approve changes to these paths (branch protection requires a code owner's review).",
        '# The build runs these files with its role and registry credentials. Written once by Terraform;',
        '# change it through a pull request.',
        ...paths.map((path) => `${path} ${owners}`),
        '',
      ].join('\n'),
      commitMessage: 'Add CODEOWNERS for the files the CI build runs',
      overwriteOnCreate: false,
      lifecycle: { ignoreChanges: ['content', 'commit_message'] },
    });
  }
}

// --- Rules for the values of its props (limits from the owning service's documentation) ---

/** GitHub user or organization login (GitHub's sign-up form: alphanumerics and single hyphens, at most 39). */
export const checkGitHubOwner = matches(
  /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/,
  'must be a GitHub login: 1-39 letters, digits or single hyphens, not starting or ending with a hyphen',
);

/** GitHub repository name (GitHub's "Create a new repository" form: at most 100 of letters, digits, ".", "-", "_"). */
export const checkGitHubRepository: Check<string> = (value) => {
  const allowed =
    'must be a GitHub repository name: 1-100 letters, digits, ".", "-" or "_", not "." or "..", not ending in ".git"';
  if (typeof value !== 'string' || !/^[A-Za-z0-9._-]{1,100}$/.test(value)) return allowed;
  if (value === '.' || value === '..' || value.toLowerCase().endsWith('.git')) return allowed;
  return undefined;
};

/**
 * A branch name git and GitHub accept: git-check-ref-format(1) with `--branch`
 * (which also refuses a leading "-" and the name "HEAD"), and GitHub's refusal
 * of names of 40 hexadecimal characters, which look like commit IDs (its
 * "GH002" push error). At most 255 bytes, the length of a file name, since git
 * stores a branch as a file.
 */
export const checkBranchName: Check<string> = visible((value) => {
  const allowed =
    'must be a branch name git and GitHub accept: no spaces, "..", "~", "^", ":", "?", "*", "[", "\\", "@{" or ' +
    'control characters, ' +
    'not starting with "-" or "/", not ending with "/", "." or ".lock", no path component starting with ".", not ' +
    '"HEAD" or "@", ' +
    'not 40 hexadecimal characters, and at most 255 bytes';
  if (typeof value !== 'string' || value.length === 0 || Buffer.byteLength(value) > 255) return allowed;
  if (value === 'HEAD' || /^[0-9a-f]{40}$/i.test(value)) return allowed;
  // eslint-disable-next-line no-control-regex -- git refuses control characters in a ref name.
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(value)) return allowed;
  if (value.includes('..') || value.includes('@{') || value.includes('//') || value === '@') return allowed;
  if (value.startsWith('-') || value.startsWith('/') || value.endsWith('/') || value.endsWith('.')) return allowed;
  if (value.split('/').some((part) => part.startsWith('.') || part.endsWith('.lock'))) return allowed;
  // A legal name, but the pipeline's filters would match `refs/heads/refs/heads/main`, so no push would start it.
  if (value.startsWith('refs/'))
    return `must be the branch's own name, such as "${value.replace(/^refs\/(heads\/)?/, '')}", not a ref`;
  return undefined;
});

/**
 * A user's login: letters, digits and single inner hyphens, at most 39 characters; a managed user's ends in its
 * enterprise's short code after an underscore (`mona_octo`: GitHub Docs, "About Enterprise Managed Users").
 */
const GITHUB_USER = /[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}(?:_[A-Za-z0-9]+)?/.source;

/**
 * A code owner (GitHub Docs, "About code owners"): a user (`@octocat`), a team
 * of an organization (`@octo-org/octo-team`) or an e-mail address.
 */
export const checkCodeOwner = matches(
  new RegExp(`^(?:@${GITHUB_USER}(?:/[A-Za-z0-9][A-Za-z0-9_.-]*)?|[^@\\s]+@[^@\\s]+\\.[^@\\s]+)$`),
  'must be a GitHub user ("@name"), a team ("@org/team") or an e-mail address',
);

/**
 * A team that can own code in a repository of `owner`: one of `owner`'s own teams. A code-owner team must have write
 * access to the repository (GitHub Docs, "About code owners"), and a team is given access only to its organization's
 * repositories, so another organization's team never counts, and a file owned by it alone needs no owner's review.
 * Logins compare without case, as GitHub's do.
 */
export const checkTeamOfOwner =
  (owner: string): Check<string> =>
  (value) => {
    const team = typeof value === 'string' ? /^@([^/\s]+)\/\S+$/.exec(value) : null;
    if (team === null || typeof owner !== 'string' || team[1].toLowerCase() === owner.toLowerCase()) return undefined;
    return (
      `must be a team of the repository's owner "${owner}" ("@${owner}/<team>"), not of "${team[1]}": only its own ` +
      'teams can have write access to its repositories'
    );
  };

/**
 * A CODEOWNERS path pattern (GitHub Docs, "About code owners": gitignore-like
 * patterns, except that "!" negation and "[ ]" ranges do not work, and a line
 * starting with "#" is a comment). Spaces are refused too: they separate owners.
 */
export const checkCodeOwnersPattern = matches(
  /^[^\s!#[\]][^\s[\]]*$/,
  'must be a CODEOWNERS path pattern such as "/app/Dockerfile": no spaces, "[" or "]", not starting with "!" or "#"',
);
