import { globMatches } from '../core/glob';
import { Rule, simpleRule } from '../core/rule';
import { block, blocks, Element, isExpression, isTrue, parseReference, SynthesizedStack } from '../core/terraform-json';

const REPOSITORY = ['github_repository'];
const GITHUB_WEBHOOKS = ['github_repository_webhook', 'github_organization_webhook'];
/** Repository roles that can push ("Repository roles for an organization", GitHub Docs). */
const WRITE_PERMISSIONS = ['push', 'maintain', 'admin'];

/** The default branch a repository gets from a `github_branch_default` in the stack, when it is written literally. */
function defaultBranch(repository: Element, stack: SynthesizedStack): { element?: Element; name?: string } {
  const element = stack.referencing(repository, 'github_branch_default')[0];
  const name = element?.body.branch ?? repository.body.default_branch;
  return { element, name: typeof name === 'string' && !isExpression(name) ? name : undefined };
}

/**
 * Whether a protection's pattern is the default branch: the same literal, or a reference to the default-branch
 * resource.
 */
function protectsBranch(
  pattern: unknown,
  branch: { element?: Element; name?: string },
  stack: SynthesizedStack,
): boolean {
  if (branch.name === undefined && branch.element === undefined) return true;
  if (branch.element !== undefined && stack.resolve(pattern)?.address === branch.element.address) return true;
  return typeof pattern === 'string' && branch.name !== undefined && globMatches(pattern, branch.name);
}

/** The number of approvals a reviews block requires: the provider's default is 1. */
const approvals = (reviews: Record<string, any>) =>
  reviews.required_approving_review_count === undefined ? 1 : Number(reviews.required_approving_review_count);

const nonEmpty = (value: unknown) =>
  Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null && value !== '';

/**
 * How a branch protection falls below the product's defaults (SourceRepository:
 * at least one approving review, stale reviews dismissed, admins included, no
 * force pushes or deletions, nobody allowed around them). Field names per the
 * integrations/github provider docs: `github_branch_protection` (GraphQL) and
 * `github_branch_protection_v3` (REST, which has no force-push or deletion
 * settings, so GitHub's default, not allowed, applies).
 */
export function weakenedProtection(protection: Element): string[] {
  const { type, body } = protection;
  const problems: string[] = [];
  const reviewBlocks = blocks(body.required_pull_request_reviews);
  if (reviewBlocks.length === 0)
    problems.push('required_pull_request_reviews is missing, so changes merge without review');
  for (const reviews of reviewBlocks) {
    if (!(approvals(reviews) >= 1))
      problems.push(
        `required_pull_request_reviews.required_approving_review_count is ` +
          `${JSON.stringify(reviews.required_approving_review_count)}, so no approval is needed`,
      );
    if (!isTrue(reviews.require_last_push_approval))
      problems.push(
        'required_pull_request_reviews.require_last_push_approval is not true, so whoever pushes to a pull request ' +
          'can approve it, their own push included',
      );
    if (nonEmpty(reviews.pull_request_bypassers))
      problems.push('required_pull_request_reviews.pull_request_bypassers lets actors merge without review');
    const allowances = block(reviews.bypass_pull_request_allowances);
    if (['users', 'teams', 'apps'].some((kind) => nonEmpty(allowances[kind])))
      problems.push('required_pull_request_reviews.bypass_pull_request_allowances lets actors merge without review');
  }
  if (!isTrue(body.enforce_admins))
    problems.push(
      `enforce_admins is ${body.enforce_admins === undefined ? 'not set' : JSON.stringify(body.enforce_admins)}, so ` +
        `administrators are exempt`,
    );
  if (type === 'github_branch_protection') {
    if (isTrue(body.allows_force_pushes)) problems.push('allows_force_pushes is true, so history can be rewritten');
    if (nonEmpty(body.force_push_bypassers)) problems.push('force_push_bypassers lets actors rewrite history');
    if (isTrue(body.allows_deletions)) problems.push('allows_deletions is true, so the branch can be deleted');
  }
  return problems;
}

/**
 * Whether every approval that counts was given after the last push anyway: with last-push approval, the most recent
 * push needs an approval of its own ("Require approval of the most recent reviewable push", "About protected
 * branches", GitHub Docs). A code owner's earlier approval still counts for the code-owner requirement, so with
 * code-owner review only dismissal keeps it fresh.
 */
const approvalFollowsLastPush = (reviews: Record<string, any>) =>
  isTrue(reviews.require_last_push_approval) && !isTrue(reviews.require_code_owner_reviews);

/**
 * How a repository ruleset on branches lets changes around its rules: bypass actors, or a pull-request rule needing no
 * approval.
 */
export function weakenedRuleset(ruleset: Element): string[] {
  const { body } = ruleset;
  if (body.target !== undefined && body.target !== 'branch') return [];
  const problems = blocks(body.bypass_actors).map(
    (actor) =>
      `bypass_actors lets ${actor.actor_type ?? 'an actor'} ${JSON.stringify(actor.actor_id ?? '?')} bypass the ` +
      `rules (bypass_mode ${JSON.stringify(actor.bypass_mode ?? 'always')})`,
  );
  for (const rules of blocks(body.rules)) {
    for (const pullRequest of blocks(rules.pull_request)) {
      if (!(approvals(pullRequest) >= 1))
        problems.push(
          `rules.pull_request.required_approving_review_count is ` +
            `${JSON.stringify(pullRequest.required_approving_review_count)}, so no approval is needed`,
        );
    }
  }
  return problems;
}

export const GITHUB_RULES: readonly Rule[] = [
  simpleRule({
    id: 'CKV_GIT_1',
    name: 'GitHub repositories are private or internal',
    explanation:
      "A public repository shows everyone the pipeline's code, buildspecs and infrastructure, and " +
      "lets anyone fork it and open pull requests for the CI to build. Checkov's CKV_GIT_1 checks " +
      'the same: "Ensure Repository is Private".',
    targets: REPOSITORY,
    fix: 'set `visibility = "private"` (or "internal")',
    passes: ({ body }) =>
      body.visibility === undefined
        ? isTrue(body.private)
        : body.visibility === 'private' || body.visibility === 'internal',
    problem: ({ body }) => `visibility is ${JSON.stringify(body.visibility ?? 'public')}; anyone can read the code`,
  }),
  {
    id: 'CKV_GIT_2',
    name: 'GitHub webhooks deliver over verified TLS',
    explanation:
      "With `insecure_ssl`, GitHub does not verify the receiver's certificate, and with an http:// " +
      'URL it sends deliveries in clear text, so anyone on the path can read or impersonate the ' +
      'endpoint. Checkov\'s CKV_GIT_2 checks `insecure_ssl` only ("Ensure GitHub repository webhook ' +
      'uses secure SSL"); this rule also requires https.',
    targets: GITHUB_WEBHOOKS,
    fix: 'use an https:// URL and leave `configuration.insecure_ssl` false',
    check: ({ body }) => {
      const configuration = block(body.configuration);
      const problems: string[] = [];
      if (isTrue(configuration.insecure_ssl) || configuration.insecure_ssl === '1')
        problems.push('configuration.insecure_ssl is true');
      if (
        typeof configuration.url === 'string' &&
        !isExpression(configuration.url) &&
        !configuration.url.startsWith('https://')
      ) {
        problems.push(`configuration.url ${JSON.stringify(configuration.url)} is not https`);
      }
      return problems;
    },
  },
  {
    id: 'CIP_GIT_1',
    name: 'Webhooks are signed with a secret that is not written in the code',
    explanation:
      "Without a secret, the receiver cannot tell GitHub's deliveries from anyone else's requests, " +
      'so whoever learns the URL can start builds and pipelines, and an UNAUTHENTICATED ' +
      'CodePipeline webhook "accepts all webhook trigger requests regardless of origin" ' +
      '(CodePipeline API Reference, "WebhookDefinition"). A literal secret is known to everyone who ' +
      'can read the code ("Validating webhook deliveries", GitHub Docs).',
    targets: [...GITHUB_WEBHOOKS, 'aws_codepipeline_webhook'],
    fix: 'take the secret from a random_password or a Secrets Manager data source, never a literal',
    check: ({ type, body }) => {
      if (type === 'aws_codepipeline_webhook') {
        if (body.authentication === 'UNAUTHENTICATED')
          return ['authentication is UNAUTHENTICATED: anyone who knows the URL can start the pipeline'];
        if (body.authentication !== 'GITHUB_HMAC') return [];
        const token = block(body.authentication_configuration).secret_token;
        if (token === undefined || token === '') return ['authentication_configuration.secret_token is not set'];
        return isExpression(token) ? [] : ['authentication_configuration.secret_token is a literal'];
      }
      const secret = block(body.configuration).secret;
      if (secret === undefined || secret === '')
        return ['configuration.secret is not set, so deliveries are not signed'];
      return isExpression(secret) ? [] : ['configuration.secret is a literal'];
    },
  },
  simpleRule({
    id: 'CKV_GIT_3',
    name: 'GitHub repositories have vulnerability alerts on',
    explanation:
      'Without vulnerability alerts, a dependency with a published vulnerability is built into ' +
      'every artifact and image and nobody is told. Checkov\'s CKV_GIT_3 checks the same: "Ensure ' +
      'GitHub repository has vulnerability alerts enabled".',
    targets: REPOSITORY,
    fix: 'set `vulnerability_alerts = true`',
    passes: ({ body }) => isTrue(body.vulnerability_alerts),
    problem: 'vulnerability_alerts is not true',
  }),
  {
    id: 'CKV2_GIT_1',
    name: 'GitHub repositories protect their default branch',
    explanation:
      'Without protection on the default branch, anyone with write access can push to it directly, ' +
      'force-push over it or delete it, and the pipeline builds and deploys the result unreviewed. ' +
      'Checkov\'s CKV2_GIT_1 checks that some protection exists ("Ensure each Repository has branch ' +
      'protection associated"); this rule checks that one covers the default branch.',
    targets: REPOSITORY,
    fix: 'add a `github_branch_protection` for the repository whose pattern is the default branch',
    check: (repository, stack) => {
      const protections = [
        ...stack
          .attachedTo(repository, 'github_branch_protection', 'repository_id')
          .map((protection) => protection.body.pattern),
        ...stack
          .attachedTo(repository, 'github_branch_protection_v3', 'repository')
          .map((protection) => protection.body.branch),
      ];
      if (protections.length === 0) return ['no github_branch_protection refers to this repository'];
      const branch = defaultBranch(repository, stack);
      return protections.some((pattern) => protectsBranch(pattern, branch, stack))
        ? []
        : [`no branch protection covers the default branch ${JSON.stringify(branch.name ?? '?')}`];
    },
  },
  {
    id: 'CIP_GIT_2',
    name: 'Branch protections and rulesets keep reviews, admins and history as the product sets them',
    explanation:
      "Whatever reaches the protected branch is built and deployed with the pipeline's roles, so " +
      "the protection is the pipeline's review gate. Approvals that survive later pushes, a pusher approving " +
      'their own push, ' +
      'administrators exempt from the rules, force pushes, deletions and bypass actors each let a ' +
      'change through unreviewed ("About protected branches", GitHub Docs).',
    targets: ['github_branch_protection', 'github_branch_protection_v3', 'github_repository_ruleset'],
    fix:
      'require at least one approving review and approval of the last push, set enforce_admins = true, leave force ' +
      'pushes and deletions off, and ' +
      'name no bypass actors (SourceRepository does)',
    check: (element) =>
      element.type === 'github_repository_ruleset' ? weakenedRuleset(element) : weakenedProtection(element),
  },
  {
    id: 'CIP_GIT_3',
    name: 'Approvals are dismissed when new commits are pushed',
    explanation:
      'An approval that survives later pushes approves code nobody reviewed: a change pushed after the approval ' +
      'merges on it ("About protected branches", GitHub Docs, "Dismiss stale pull request approvals when new ' +
      'commits are pushed"). Last-push approval without code-owner review keeps approvals fresh too: the latest ' +
      'push needs an approval of its own. A rule of its own, so that a repository that chooses otherwise ' +
      '(`dismissStaleReviews: false`) is suppressed for this alone, with its reason in the report.',
    targets: ['github_branch_protection', 'github_branch_protection_v3'],
    fix: 'set required_pull_request_reviews.dismiss_stale_reviews = true (SourceRepository does by default)',
    check: ({ body }) =>
      blocks(body.required_pull_request_reviews)
        .filter((reviews) => !isTrue(reviews.dismiss_stale_reviews) && !approvalFollowsLastPush(reviews))
        .map(
          () => 'required_pull_request_reviews.dismiss_stale_reviews is not true, so an approval survives later pushes',
        ),
  },
  {
    id: 'CIP_GIT_4',
    name: "Write access to the repository comes from the organization's teams, not from the pipeline's configuration",
    explanation:
      'A collaborator added here, a team given admin, or a deploy key that can push all change who may write to ' +
      'the code the pipeline builds and deploys, in a file reviewers read as pipeline plumbing. Outside ' +
      "collaborators are not bound by the organization's membership policies, admins can change the branch " +
      'protection, and a deploy key is tied to no person ("Repository roles for an organization", "Managing deploy ' +
      'keys", GitHub Docs).',
    targets: [
      'github_repository_collaborator',
      'github_repository_collaborators',
      'github_team_repository',
      'github_repository_deploy_key',
    ],
    fix:
      "grant access through the organization's teams, outside this configuration; keep deploy keys read_only, or " +
      'suppress CIP_GIT_4 with the reason',
    check: ({ type, body }) => {
      if (type === 'github_repository_deploy_key')
        return body.read_only === false || body.read_only === 'false'
          ? [`deploy key ${JSON.stringify(body.title ?? '')} can push (read_only = false), tied to no person`]
          : [];
      if (type === 'github_team_repository')
        return ['admin', 'maintain'].includes(String(body.permission))
          ? [`gives team ${JSON.stringify(body.team_id)} ${body.permission}, which can change the branch protection`]
          : [];
      const grants =
        type === 'github_repository_collaborator'
          ? [{ who: `user ${JSON.stringify(body.username)}`, permission: body.permission ?? 'push' }]
          : [
              ...blocks(body.user).map((user) => ({
                who: `user ${JSON.stringify(user.username)}`,
                permission: user.permission ?? 'push',
              })),
              ...blocks(body.team).map((team) => ({
                who: `team ${JSON.stringify(team.team_id)}`,
                permission: team.permission ?? 'pull',
              })),
            ];
      return grants
        .filter(
          ({ who, permission }) =>
            WRITE_PERMISSIONS.includes(String(permission)) && (who.startsWith('user') || permission !== 'push'),
        )
        .map(({ who, permission }) => `gives ${who} ${permission} access to the repository`);
    },
  },
  {
    id: 'CIP_GIT_5',
    name: "Repository webhooks deliver only to the pipeline's own endpoints",
    explanation:
      "A webhook sends each event it subscribes to, with the repository's names, commits and authors, to its URL; " +
      'one added to an outside URL leaks them, and with pull_request events it tells an outsider of every change ' +
      'before review ("Webhook events and payloads", GitHub Docs). The pipeline\'s webhooks deliver to its ' +
      'CodePipeline or CodeBuild webhook, which the stack creates.',
    targets: GITHUB_WEBHOOKS,
    fix:
      "point the webhook at the stack's aws_codepipeline_webhook (url) or aws_codebuild_webhook (payload_url); " +
      'anything else belongs outside this configuration, or needs a suppression that says why',
    check: ({ body }, stack) => {
      const url = block(body.configuration).url;
      const target = stack.resolve(url);
      const own =
        (target?.type === 'aws_codepipeline_webhook' && parseReference(url)?.attribute === 'url') ||
        (target?.type === 'aws_codebuild_webhook' && parseReference(url)?.attribute === 'payload_url');
      return own
        ? []
        : [
            `delivers ${JSON.stringify(body.events ?? [])} events to ${JSON.stringify(url)}, not to a webhook of the ` +
              'pipeline',
          ];
    },
  },
];
