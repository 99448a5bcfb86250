/**
 * The pipeline's own promise about pull requests: a build of a pull request runs code nobody has merged, so it must
 * be unable to publish anything, whatever its role's policies say and however they are written. The rule asks, for
 * each capability that would publish, whether any statement of the role could allow it (a wildcard, a NotAction, a
 * condition, a policy it cannot read), and reports every one: over-reporting a pull-request role is the safe error.
 */
import { BUILD_START_ACTIONS, ECR_PUBLIC_PUSH_ACTIONS, ECR_PUSH_ACTIONS } from '../../shared/iam-actions';
import { NormalizedStatement, policiesAt } from '../core/policy-document';
import { actionMatches, resourceMatches } from '../iam/matching';
import { Rule } from '../core/rule';
import { blocks, Element, isTrue, parseReference, SynthesizedStack } from '../core/terraform-json';
import { existingBucketArns, rolePolicies, secretsOfVariables } from './permissions';

/** The webhook events of pull requests (CodeBuild API Reference, "WebhookFilter": EVENT). */
const PULL_REQUEST_EVENT = /PULL_REQUEST_/;

/** Whether `project` is built for pull requests: a webhook of the stack starts it on a pull-request event. */
export function isPullRequestProject(project: Element, stack: SynthesizedStack): boolean {
  return stack
    .ofType('aws_codebuild_webhook')
    .some(
      (webhook) =>
        stack.resolve(webhook.body.project_name, 'aws_codebuild_project')?.address === project.address &&
        blocks(webhook.body.filter_group).some((group) =>
          blocks(group.filter).some(
            (filter) => filter.type === 'EVENT' && PULL_REQUEST_EVENT.test(String(filter.pattern ?? '')),
          ),
        ),
    );
}

/** One way to publish, as IAM actions on resources (`undefined`: on any resource, since the build needs none). */
interface Capability {
  readonly what: string;
  readonly actions: readonly string[];
  readonly resources?: readonly string[];
}

/**
 * The ways a build publishes or escapes its role: pushing an image (ECR, ECR Public), starting another build,
 * acting as another role, writing the pipelines' artifacts, and reading the secrets the publishing builds log in
 * with.
 */
function publishingCapabilities(project: Element, stack: SynthesizedStack): Capability[] {
  const artifactObjects = artifactBucketArns(stack).map((bucket) => `${bucket}/*`);
  const registrySecrets = [...secretsOfPublishingBuilds(project, stack)];
  return [
    {
      what: 'push images',
      // Checking which layers a repository has is part of a pull too; the uploads and PutImage are the push.
      actions: [
        ...ECR_PUSH_ACTIONS.filter((action) => action !== 'ecr:BatchCheckLayerAvailability'),
        ...ECR_PUBLIC_PUSH_ACTIONS,
      ],
    },
    {
      what: 'start builds (the publishing build among them)',
      actions: BUILD_START_ACTIONS,
    },
    { what: 'act as another role', actions: ['sts:AssumeRole', 'iam:PassRole'] },
    ...(artifactObjects.length === 0
      ? []
      : [
          {
            what: "write the pipelines' artifacts",
            actions: ['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObjectAcl'],
            resources: artifactObjects,
          },
        ]),
    ...(registrySecrets.length === 0
      ? []
      : [
          {
            what: 'read the credentials the publishing builds log in to their registry with',
            actions: ['secretsmanager:GetSecretValue'],
            resources: registrySecrets,
          },
        ]),
  ];
}

/**
 * The ARNs of the buckets that hold the stack's pipelines' artifacts: a reference to a bucket of the stack, or the
 * ARNs an existing bucket's name may be written as.
 */
function artifactBucketArns(stack: SynthesizedStack): string[] {
  return stack
    .ofType('aws_codepipeline')
    .flatMap((pipeline) => blocks(pipeline.body.artifact_store))
    .flatMap((store) => {
      const bucket = stack.resolve(store.location, 'aws_s3_bucket');
      if (bucket !== undefined) return [`\${${bucket.address}.arn}`];
      return typeof store.location === 'string' && !store.location.includes('${')
        ? existingBucketArns(store.location, stack)
        : [];
    });
}

/** The secrets the stack's other builds read as variables or registry credentials: what they publish with. */
function secretsOfPublishingBuilds(project: Element, stack: SynthesizedStack): Set<string> {
  const secrets = new Set<string>();
  for (const other of stack.ofType('aws_codebuild_project')) {
    if (other.address === project.address || isPullRequestProject(other, stack)) continue;
    for (const secret of secretsReadBy(other)) secrets.add(secret);
  }
  return secrets;
}

/** The secrets a project reads: its `SECRETS_MANAGER` variables and its registry credential. */
function secretsReadBy(project: Element): string[] {
  return blocks(project.body.environment).flatMap((environment) => [
    ...secretsOfVariables(blocks(environment.environment_variable)),
    ...blocks(environment.registry_credential)
      .map((credential) => credential.credential)
      .filter((credential): credential is string => typeof credential === 'string'),
  ]);
}

/** Whether a statement's action list could name `action`: by a matching pattern, or by not excluding it. */
const namesAction = (statement: NormalizedStatement, action: string) =>
  statement.actions.some((pattern) => actionMatches(pattern, action)) ||
  (statement.notActions.length > 0 && !statement.notActions.some((pattern) => actionMatches(pattern, action)));

/**
 * Whether a resource pattern could cover `resource`. A reference (`${aws_s3_bucket.x.arn}/*`) is compared as written;
 * a literal pattern with a wildcard in the service's ARNs could name the referenced resource too, so it counts.
 */
function mayCover(pattern: string, resource: string): boolean {
  if (resourceMatches(pattern, resource)) return true;
  // `${bucket.arn}/*` stands for any object of the bucket: a pattern of some of them (`${bucket.arn}/app/*`) is one.
  if (resource.endsWith('/*') && pattern.startsWith(resource.slice(0, -1))) return true;
  const service = serviceOfReference(resource);
  return service !== undefined && pattern.includes('*') && pattern.split(':')[2] === service;
}

/** The ARN service of a referenced type: s3 for `aws_s3_bucket`, secretsmanager for `aws_secretsmanager_secret`. */
function serviceOfReference(resource: string): string | undefined {
  const type = parseReference(resource.replace(/\/.*$/, ''))?.address.split('.').at(-2);
  if (type === undefined) return undefined;
  return type.startsWith('aws_s3_') ? 's3' : type.startsWith('aws_secretsmanager_') ? 'secretsmanager' : undefined;
}

/** Whether a statement's resources could include one of `resources` (any resource when undefined). */
function coversAny(statement: NormalizedStatement, resources: readonly string[] | undefined): boolean {
  if (resources === undefined) return true;
  if (statement.resources.length === 0)
    return resources.some((resource) => !statement.notResources.some((pattern) => resourceMatches(pattern, resource)));
  return resources.some((resource) => statement.resources.some((pattern) => mayCover(pattern, resource)));
}

/** The actions of `capability` that some Allow could grant and no unconditional Deny of every resource takes back. */
function grantedActions(statements: readonly NormalizedStatement[], capability: Capability): string[] {
  return capability.actions.filter((action) => {
    const allowed = statements.some(
      (statement) =>
        statement.effect === 'Allow' && namesAction(statement, action) && coversAny(statement, capability.resources),
    );
    const deniedEverywhere = statements.some(
      (statement) =>
        statement.effect === 'Deny' &&
        statement.conditions.length === 0 &&
        namesAction(statement, action) &&
        statement.resources.includes('*'),
    );
    return allowed && !deniedEverywhere;
  });
}

/**
 * The other roles of the stack whose trust policy lets `role` assume them: a principal that names it (by reference,
 * or as an ARN ending in its name) or anyone (`*`). A same-account trust policy that names a role is enough on its
 * own (IAM User Guide, "Cross account resource access in IAM").
 */
function rolesTrusting(role: Element, stack: SynthesizedStack): Element[] {
  const name = typeof role.body.name === 'string' ? role.body.name : undefined;
  // A role's ARN carries its path before its name (`role/service-role/name`: "IAM ARNs", IAM User Guide).
  const namesRole = (identifier: string) =>
    identifier === '*' ||
    parseReference(identifier)?.address === role.address ||
    (name !== undefined && /:role\/(?:[^:]*\/)?([^/:]+)$/.exec(identifier)?.[1] === name);
  return stack.ofType('aws_iam_role').filter(
    (other) =>
      other.address !== role.address &&
      policiesAt(other, stack)
        .filter((policy) => policy.use === 'trust')
        .flatMap((policy) => policy.statements ?? [])
        .some(
          (statement) =>
            statement.effect === 'Allow' &&
            namesAction(statement, 'sts:AssumeRole') &&
            statement.principals.some(
              (principal) => ['AWS', '*'].includes(principal.type) && principal.identifiers.some(namesRole),
            ),
        ),
  );
}

/** What lets the pull-request build `project` publish: its role's grants, its variables and its credentials. */
export function pullRequestPublishing(project: Element, stack: SynthesizedStack): string[] {
  if (!isPullRequestProject(project, stack)) return [];
  const problems: string[] = [];
  const registrySecrets = secretsOfPublishingBuilds(project, stack);
  for (const environment of blocks(project.body.environment)) {
    for (const variable of blocks(environment.environment_variable)) {
      if (/^PUSH/i.test(String(variable.name)) && String(variable.value).toLowerCase() === 'true')
        problems.push(`its variable ${variable.name} is "true", which tells the buildspec to publish`);
    }
  }
  for (const secret of secretsReadBy(project).filter((candidate) => registrySecrets.has(candidate)))
    problems.push(`it reads ${secret}, the credentials a publishing build logs in to its registry with`);
  const role = stack.resolve(project.body.service_role, 'aws_iam_role');
  if (role === undefined) {
    const written = String(project.body.service_role);
    return [...problems, `its service role ${written} is not in the stack, so nothing proves it cannot publish`];
  }
  for (const other of rolesTrusting(role, stack))
    problems.push(`its role ${role.address} may act as the role ${other.address}, whose trust policy lets it`);
  const { statements, unread } = rolePolicies(role, stack);
  for (const source of unread)
    problems.push(`its role ${role.address} has ${source}, which cannot be read, so nothing proves it cannot publish`);
  for (const capability of publishingCapabilities(project, stack)) {
    const granted = grantedActions(statements, capability);
    if (granted.length > 0) problems.push(`its role ${role.address} may ${capability.what}: ${granted.join(', ')}`);
  }
  return problems;
}

/** A pull-request build as the merge gate sees it: the status it reports, for which repository and pull requests. */
interface PullRequestStatus {
  /** The commit status context it reports (`source.build_status_config.context`). */
  readonly context: string;
  /** The repository, from the project's source location. */
  readonly repository: Repository;
  /** The project, in the report. */
  readonly project: string;
  /** Its webhook's filter groups of pull-request events: which base branches and files each starts a build for. */
  readonly groups: readonly {
    /** The group's base-reference filters, each a pattern to match or, with `exclude_matched_pattern`, to exclude. */
    readonly baseRefs: readonly Record<string, any>[];
    readonly filePath?: string;
  }[];
}

/** The GitHub repository a project's source location points to, its interpolations resolved. */
function repositoryOfProject(project: Element, stack: SynthesizedStack): Repository | undefined {
  const location = String(blocks(project.body.source)[0]?.location ?? '').replace(/\$\{([^}]+)\}/g, (whole, inner) => {
    const reference = parseReference(`\${${inner}}`);
    const name = reference === undefined ? undefined : nameOfRepository(stack.get(reference.address));
    return name ?? whole;
  });
  const match = /github\.com\/([^/]+)\/([^/]+?)(?:\.git)?$/.exec(location);
  return match === null ? undefined : repositoryOf(match[1], match[2]);
}

/** The commit status context a project is set to report (`source.build_status_config.context`). */
function statusContextOf(project: Element): string | undefined {
  const context = blocks(blocks(project.body.source)[0]?.build_status_config)[0]?.context;
  return typeof context === 'string' ? context : undefined;
}

/** Every pull-request build of the app whose status and repository are known. */
function pullRequestStatuses(app: readonly SynthesizedStack[]): PullRequestStatus[] {
  return app.flatMap((stack) =>
    stack.ofType('aws_codebuild_webhook').flatMap((webhook) => {
      const project = stack.resolve(webhook.body.project_name, 'aws_codebuild_project');
      // CodeBuild reports a build's status to GitHub only with report_build_status (CodeBuild API Reference,
      // "ProjectSource"): without it, the context is never set.
      const contextName =
        project && isTrue(blocks(project.body.source)[0]?.report_build_status) ? statusContextOf(project) : undefined;
      const repository = project && repositoryOfProject(project, stack);
      const groups = blocks(webhook.body.filter_group)
        .map((group) => blocks(group.filter))
        .filter((filters) =>
          filters.some(
            (filter) =>
              filter.type === 'EVENT' &&
              !isTrue(filter.exclude_matched_pattern) &&
              PULL_REQUEST_EVENT.test(String(filter.pattern ?? '')),
          ),
        )
        .map((filters) => ({
          baseRefs: filters.filter((filter) => filter.type === 'BASE_REF'),
          filePath: filters.find((filter) => filter.type === 'FILE_PATH')?.pattern,
        }));
      return project === undefined || typeof contextName !== 'string' || repository === undefined || groups.length === 0
        ? []
        : [{ context: contextName, repository, project: `${stack.name}: ${project.address}`, groups }];
    }),
  );
}

type FilterGroup = PullRequestStatus['groups'][number];

/**
 * Whether a group builds pull requests into `branch`: each of its base-reference filters lets the branch's ref through
 * (a filter matches it, or an excluding one does not; CodeBuild API Reference, "WebhookFilter").
 */
const buildsInto = (group: FilterGroup, branch: string) =>
  group.baseRefs.every(
    (filter) => matchesRef(filter.pattern, `refs/heads/${branch}`) !== isTrue(filter.exclude_matched_pattern),
  );

/** Whether a filter's regular expression matches `ref`; one that is not a regular expression matches nothing. */
function matchesRef(pattern: unknown, ref: string): boolean {
  try {
    return new RegExp(String(pattern)).test(ref);
  } catch {
    return false;
  }
}

/** Whether a group builds every pull request into `branch`: into the branch, with no path filter. */
const buildsEvery = (group: FilterGroup, branch: string) => group.filePath === undefined && buildsInto(group, branch);

/** The files GitHub reads code owners from (GitHub Docs, "About code owners": CODEOWNERS file location). */
const CODEOWNERS_FILES = ['CODEOWNERS', '.github/CODEOWNERS', 'docs/CODEOWNERS'];

/**
 * A repository by owner and name, lowercased, since GitHub's owner and repository names ignore case. The owner is
 * undefined where the JSON does not say it (an interpolation, or a provider whose owner comes from the environment).
 */
interface Repository {
  readonly owner?: string;
  readonly name: string;
}

const repositoryOf = (owner: unknown, name: string): Repository => ({
  owner: typeof owner === 'string' && owner !== '' && !owner.includes('${') ? owner.toLowerCase() : undefined,
  name: name.toLowerCase(),
});

/** Whether two repositories are one: the same name, and the same owner where both are known. */
const sameRepository = (one: Repository | undefined, other: Repository | undefined): boolean =>
  one !== undefined &&
  other !== undefined &&
  one.name === other.name &&
  (one.owner === undefined || other.owner === undefined || one.owner === other.owner);

/** The owner of the github provider an element is managed through: the default one, or its `provider` alias. */
function providerOwner(element: Element, stack: SynthesizedStack): unknown {
  const provider = typeof element.body.provider === 'string' ? element.body.provider : 'github';
  return stack.get(`provider.${provider}`)?.body.owner;
}

/** The name of a repository resource or data source: its `name`, or the last part of its `full_name`. */
function nameOfRepository(element: Element | undefined): string | undefined {
  const name = element?.body.name ?? String(element?.body.full_name ?? '').split('/')[1];
  return typeof name === 'string' && name !== '' && !name.includes('${') ? name : undefined;
}

/**
 * The repository that `holder` (a protection, a file) names in `value` (`repository_id`, `repository`): the resource
 * or data source it refers to, under its provider's owner (or its `full_name`'s), or a name under the holder's.
 */
function repositoryNamed(value: unknown, holder: Element, stack: SynthesizedStack): Repository | undefined {
  const element = stack.resolve(value, 'github_repository') ?? stack.resolve(value, 'data.github_repository');
  if (element !== undefined) {
    const name = nameOfRepository(element);
    const fullName = String(element.body.full_name ?? '');
    const owner = fullName.includes('/') ? fullName.split('/')[0] : providerOwner(element, stack);
    return name === undefined ? undefined : repositoryOf(owner, name);
  }
  return typeof value === 'string' && !value.includes('${')
    ? repositoryOf(providerOwner(holder, stack), value)
    : undefined;
}

/** The branch a protection covers: its pattern, or the branch of the default-branch resource it refers to. */
function protectedBranch(protection: Element, stack: SynthesizedStack): string | undefined {
  const pattern = protection.type === 'github_branch_protection' ? protection.body.pattern : protection.body.branch;
  const branch = stack.resolve(pattern, 'github_branch_default')?.body.branch ?? pattern;
  return typeof branch === 'string' && !branch.includes('${') ? branch : undefined;
}

/** The status contexts a protection requires. */
function requiredContexts(protection: Element): { contexts: string[]; strict: unknown } {
  const checks = blocks(protection.body.required_status_checks)[0];
  return {
    contexts: [...(checks?.contexts ?? []), ...blocks(checks?.checks).map((check) => String(check.context))],
    strict: checks?.strict,
  };
}

/** The repository a protection covers. */
const protectedRepository = (protection: Element, stack: SynthesizedStack) =>
  repositoryNamed(
    protection.type === 'github_branch_protection' ? protection.body.repository_id : protection.body.repository,
    protection,
    stack,
  );

/** How a protection weakens its gate on its own: checks that may be stale, code owners whose review is not needed. */
export function weakMergeGate(protection: Element, stack: SynthesizedStack): string[] {
  const problems: string[] = [];
  const { contexts, strict } = requiredContexts(protection);
  if (contexts.length > 0 && !isTrue(strict))
    problems.push(
      'required_status_checks.strict is not true, so a pull request passes its checks against an older branch and ' +
        'merges untested with what is there now',
    );
  const repository = protectedRepository(protection, stack);
  const ownedCode = stack
    .ofType('github_repository_file')
    .some(
      (file) =>
        CODEOWNERS_FILES.includes(String(file.body.file)) &&
        sameRepository(repositoryNamed(file.body.repository, file, stack), repository),
    );
  const reviews = blocks(protection.body.required_pull_request_reviews)[0];
  if (ownedCode && !isTrue(reviews?.require_code_owner_reviews))
    problems.push(
      'the repository has a CODEOWNERS file, but required_pull_request_reviews.require_code_owner_reviews is not ' +
        'true, so its code owners need not review what they own',
    );
  return problems;
}

/**
 * How a protection lets a pull request merge without the verdict of the app's pull-request builds of its branch: their
 * status not required, required but not reported for every pull request, or required with nothing left to report it.
 */
export function unguardedPullRequests(
  protection: Element,
  stack: SynthesizedStack,
  app: readonly SynthesizedStack[],
): string[] {
  const repository = protectedRepository(protection, stack);
  const branch = protectedBranch(protection, stack);
  if (repository === undefined || branch === undefined) return [];
  const { contexts } = requiredContexts(protection);
  const problems: string[] = [];
  const statuses = pullRequestStatuses(app).filter((status) => sameRepository(status.repository, repository));
  for (const status of statuses) {
    const intoBranch = status.groups.filter((group) => buildsInto(group, branch));
    if (intoBranch.length > 0 && !contexts.includes(status.context))
      problems.push(
        `required_status_checks does not require ${JSON.stringify(status.context)}, the status of the pull-request ` +
          `build ${status.project}, so a pull request into ${branch} merges before it is built`,
      );
    else if (contexts.includes(status.context) && !status.groups.some((group) => buildsEvery(group, branch)))
      problems.push(
        `${JSON.stringify(status.context)} is required, but ${status.project} does not build every pull request ` +
          `into ${branch} (its webhook filters the base branch or the files), so some could never merge, or merge ` +
          'on a status anyone who can write statuses sets',
      );
  }
  // A required status one of the app's projects reports, but no webhook of the app starts for this repository.
  const reported = new Set(statuses.map((status) => status.context));
  const ours = new Set(
    app.flatMap((other) =>
      other
        .ofType('aws_codebuild_project')
        .map(statusContextOf)
        .filter((context): context is string => context !== undefined),
    ),
  );
  for (const context of contexts.filter((candidate) => ours.has(candidate) && !reported.has(candidate)))
    problems.push(
      `required_status_checks requires ${JSON.stringify(context)}, which a CodeBuild project of the app reports, ` +
        `but no webhook starts it for pull requests into ${branch}: nothing reports it, so no pull request merges, ` +
        'or one merges on a status anyone who can write statuses sets',
    );
  return problems;
}

export const PULL_REQUEST_BUILD_RULES: readonly Rule[] = [
  {
    id: 'CIP_PR_1',
    name: 'A pull-request build cannot publish',
    explanation:
      'A pull-request build runs code nobody has reviewed or merged, so whatever its project may do, anyone who ' +
      'opens a pull request may do: push an image, start the publishing build, act as its role, rewrite the ' +
      'pipeline\'s artifacts or read its registry credentials (CodeBuild User Guide, "GitHub webhook events"; ' +
      'the pull-request build of docs/pull-requests.md).',
    targets: ['aws_codebuild_project'],
    fix:
      "remove the grant, variable or credential from the pull-request build's project and role; publishing belongs " +
      "to the pipeline's build, which runs only merged code",
    check: (element, stack) => pullRequestPublishing(element, stack),
  },
  {
    id: 'CIP_PR_2',
    name: 'The branch protection waits for the verdict of every pull-request build of its branch',
    explanation:
      'A pull-request build is a gate only if the protected branch requires its status and the build reports it on ' +
      'every pull request into the branch; a required status no build reports either blocks every merge or is set by ' +
      'whoever can write statuses ("About protected branches", GitHub Docs: required status checks).',
    targets: ['github_branch_protection', 'github_branch_protection_v3'],
    fix:
      "require each pull-request build's status context, and keep the webhook that reports it for every pull request " +
      'into the branch (pullRequestBuilds.requiredStatusCheck, on by default, does both)',
    check: (element, stack, app = [stack]) => unguardedPullRequests(element, stack, app),
  },
  {
    id: 'CIP_PR_3',
    name: 'Required checks run on the up-to-date branch, and code owners review what they own',
    explanation:
      'Without strict status checks a pull request passes against an older branch and merges untested with what is ' +
      'there now; a CODEOWNERS file binds only when code-owner review is required ("About protected branches" and ' +
      '"About code owners", GitHub Docs).',
    targets: ['github_branch_protection', 'github_branch_protection_v3'],
    fix:
      'set `required_status_checks.strict = true`, and `required_pull_request_reviews.require_code_owner_reviews = ' +
      'true` where the repository has a CODEOWNERS file (SourceRepository does both)',
    check: (element, stack) => weakMergeGate(element, stack),
  },
];
