/**
 * The order of creation, read from the plan's configuration as Terraform parsed it (`terraform show -json`):
 * whatever a service acts through (a role it runs as, a topic it publishes to) must wait for every policy that
 * grants it that. A reference to the role or the topic orders a resource after it only, and AWS services act as soon
 * as the resource exists: CodePipeline starts a run when the pipeline is created, CodeBuild reads the source token
 * when its webhook is, CodeStar Notifications checks its target topic when the rule is. Without `depends_on` on the
 * policies, the first action can fail on permissions that do not exist yet.
 */
import { Diagnostic } from './diagnostics';

type Json = Record<string, any>;

/** One kind of grant: the policies that give it, what they are on, and the resources that act through it. */
interface GrantRule {
  /** The policy resources, and the argument that names what they are on. */
  readonly policies: readonly string[];
  readonly policyArgument: string;
  /** The resource type the policies are on. */
  readonly target: string;
  /** The arguments by which a resource acts through the target, and the resource types that do (any, if absent). */
  readonly userArguments: readonly string[];
  readonly userTypes?: readonly string[];
  /** What goes wrong when a user does not wait. */
  readonly why: string;
}

const GRANT_RULES: readonly GrantRule[] = [
  {
    policies: ['aws_iam_role_policy', 'aws_iam_role_policy_attachment'],
    policyArgument: 'role',
    target: 'aws_iam_role',
    userArguments: ['service_role', 'role_arn', 'execution_role_arn'],
    why: 'the service can act as the role before the policy is attached (CodePipeline starts a run when created)',
  },
  {
    policies: ['aws_sns_topic_policy'],
    policyArgument: 'arn',
    target: 'aws_sns_topic',
    userArguments: ['target'],
    userTypes: ['aws_codestarnotifications_notification_rule'],
    why: "CodeStar Notifications can publish to the topic before the topic's policy lets it",
  },
];

/** Every reference in an expression (nested blocks included). */
function referencesIn(expression: unknown): string[] {
  if (Array.isArray(expression)) return expression.flatMap(referencesIn);
  if (typeof expression !== 'object' || expression === null) return [];
  const own = Array.isArray((expression as Json).references) ? ((expression as Json).references as string[]) : [];
  const nested = Object.entries(expression as Json).filter(([key]) => key !== 'references');
  return [...own, ...nested.flatMap(([, value]) => referencesIn(value))];
}

/** The resource of type `target` (`<type>.<name>`) that an expression refers to, if any. */
const targetIn = (expression: unknown, target: string): string | undefined =>
  referencesIn(expression).find((reference) => new RegExp(`^${target}\\.[^.]+$`).test(reference));

/** Every module of the configuration, with its address prefix (`module.<name>.`). */
function modulesOf(module: Json, prefix = ''): { prefix: string; resources: Json[] }[] {
  const calls = Object.entries<Json>(module.module_calls ?? {});
  return [
    { prefix, resources: module.resources ?? [] },
    ...calls.flatMap(([name, call]) => modulesOf(call.module ?? {}, `${prefix}module.${name}.`)),
  ];
}

/** The resources of one module that act through a target of `rule` before every policy on that target exists. */
function ruleProblems(rule: GrantRule, prefix: string, resources: readonly Json[]): Diagnostic[] {
  const policiesOn = new Map<string, string[]>();
  for (const resource of resources.filter((candidate) => rule.policies.includes(candidate.type))) {
    const target = targetIn(resource.expressions?.[rule.policyArgument], rule.target);
    if (target !== undefined) policiesOn.set(target, [...(policiesOn.get(target) ?? []), resource.address]);
  }
  const users = resources.filter(
    (resource) => !rule.policies.includes(resource.type) && (rule.userTypes?.includes(resource.type) ?? true),
  );
  return users.flatMap((resource): Diagnostic[] => {
    const target = rule.userArguments
      .map((argument) => targetIn(resource.expressions?.[argument], rule.target))
      .find(Boolean);
    const waitsFor: string[] = resource.depends_on ?? [];
    const missing = target === undefined ? [] : (policiesOn.get(target) ?? []).filter((p) => !waitsFor.includes(p));
    if (missing.length === 0) return [];
    return [
      {
        severity: 'error',
        summary: `acts through ${target} before its permissions exist`,
        detail: `depends_on lacks ${missing.join(', ')}: ${rule.why}`,
        address: `${prefix}${resource.address}`,
      },
    ];
  });
}

/** Each resource of the plan's configuration that acts through a role or topic before every policy on it. */
export function creationOrderProblems(plan: Json): Diagnostic[] {
  return modulesOf(plan.configuration?.root_module ?? {}).flatMap(({ prefix, resources }) =>
    GRANT_RULES.flatMap((rule) => ruleProblems(rule, prefix, resources)),
  );
}
