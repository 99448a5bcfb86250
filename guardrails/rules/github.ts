import { globMatches } from '../core/glob';
import { Rule, simpleRule } from '../core/rule';
import { block, Element, isExpression, isTrue, SynthesizedStack } from '../core/terraform-json';

const REPOSITORY = ['github_repository'];
const GITHUB_WEBHOOKS = ['github_repository_webhook', 'github_organization_webhook'];

/** The default branch a repository gets from a `github_branch_default` in the stack, when it is written literally. */
function defaultBranch(repository: Element, stack: SynthesizedStack): { element?: Element; name?: string } {
  const element = stack.referencing(repository, 'github_branch_default')[0];
  const name = element?.body.branch ?? repository.body.default_branch;
  return { element, name: typeof name === 'string' && !isExpression(name) ? name : undefined };
}

/** Whether a protection's pattern is the default branch: the same literal, or a reference to the default-branch resource. */
function protectsBranch(pattern: unknown, branch: { element?: Element; name?: string }, stack: SynthesizedStack): boolean {
  if (branch.name === undefined && branch.element === undefined) return true;
  if (branch.element !== undefined && stack.resolve(pattern)?.address === branch.element.address) return true;
  return typeof pattern === 'string' && branch.name !== undefined && globMatches(pattern, branch.name);
}

export const GITHUB_RULES: readonly Rule[] = [
  simpleRule({
    id: 'CKV_GIT_1',
    name: 'GitHub repositories are private or internal',
    targets: REPOSITORY,
    fix: 'set `visibility = "private"` (or "internal")',
    passes: ({ body }) => (body.visibility === undefined ? isTrue(body.private) : body.visibility === 'private' || body.visibility === 'internal'),
    problem: ({ body }) => `visibility is ${JSON.stringify(body.visibility ?? 'public')}; anyone can read the code`,
  }),
  {
    id: 'CKV_GIT_2',
    name: 'GitHub webhooks deliver over verified TLS',
    targets: GITHUB_WEBHOOKS,
    fix: 'use an https:// URL and leave `configuration.insecure_ssl` false',
    check: ({ body }) => {
      const configuration = block(body.configuration);
      const problems: string[] = [];
      if (isTrue(configuration.insecure_ssl) || configuration.insecure_ssl === '1') problems.push('configuration.insecure_ssl is true');
      if (typeof configuration.url === 'string' && !isExpression(configuration.url) && !configuration.url.startsWith('https://')) {
        problems.push(`configuration.url ${JSON.stringify(configuration.url)} is not https`);
      }
      return problems;
    },
  },
  {
    id: 'CIP_GIT_1',
    name: 'Webhooks are signed with a secret that is not written in the code',
    targets: [...GITHUB_WEBHOOKS, 'aws_codepipeline_webhook'],
    fix: 'take the secret from a random_password or a Secrets Manager data source, never a literal',
    check: ({ type, body }) => {
      if (type === 'aws_codepipeline_webhook') {
        if (body.authentication === 'UNAUTHENTICATED') return ['authentication is UNAUTHENTICATED: anyone who knows the URL can start the pipeline'];
        if (body.authentication !== 'GITHUB_HMAC') return [];
        const token = block(body.authentication_configuration).secret_token;
        if (token === undefined || token === '') return ['authentication_configuration.secret_token is not set'];
        return isExpression(token) ? [] : ['authentication_configuration.secret_token is a literal'];
      }
      const secret = block(body.configuration).secret;
      if (secret === undefined || secret === '') return ['configuration.secret is not set, so deliveries are not signed'];
      return isExpression(secret) ? [] : ['configuration.secret is a literal'];
    },
  },
  simpleRule({
    id: 'CKV_GIT_3',
    name: 'GitHub repositories have vulnerability alerts on',
    targets: REPOSITORY,
    fix: 'set `vulnerability_alerts = true`',
    passes: ({ body }) => isTrue(body.vulnerability_alerts),
    problem: 'vulnerability_alerts is not true',
  }),
  {
    id: 'CKV2_GIT_1',
    name: 'GitHub repositories protect their default branch',
    targets: REPOSITORY,
    fix: 'add a `github_branch_protection` for the repository whose pattern is the default branch',
    check: (repository, stack) => {
      const protections = [
        ...stack.attachedTo(repository, 'github_branch_protection', 'repository_id').map((protection) => protection.body.pattern),
        ...stack.attachedTo(repository, 'github_branch_protection_v3', 'repository').map((protection) => protection.body.branch),
      ];
      if (protections.length === 0) return ['no github_branch_protection refers to this repository'];
      const branch = defaultBranch(repository, stack);
      return protections.some((pattern) => protectsBranch(pattern, branch, stack))
        ? []
        : [`no branch protection covers the default branch ${JSON.stringify(branch.name ?? '?')}`];
    },
  },
];
