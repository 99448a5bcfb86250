/**
 * The order of creation, read from the plan's configuration as Terraform parsed it (`terraform show -json`): whatever
 * a service runs as a role must wait for every policy of that role. A reference to the role's ARN orders a resource
 * after the role only; AWS services act as soon as the resource exists (CodePipeline starts a run when the pipeline
 * is created, CodeBuild reads the source token when its webhook is), so without `depends_on` on the role's policies
 * the first run can fail on permissions the role does not have yet.
 */
import { Diagnostic } from './diagnostics';

type Json = Record<string, any>;

/** The arguments by which a service is told the role it runs as. */
const ROLE_ARGUMENTS = ['service_role', 'role_arn', 'execution_role_arn'] as const;

/** The resources that give a role its permissions, by the argument that names the role. */
const ROLE_POLICIES = ['aws_iam_role_policy', 'aws_iam_role_policy_attachment'] as const;

/** The role (`aws_iam_role.<name>`) an expression refers to, if any. */
const roleOf = (expression: Json | undefined): string | undefined =>
  (expression?.references as string[] | undefined)?.find((reference) => /^aws_iam_role\.[^.]+$/.test(reference));

/** Every module of the configuration, with its address prefix (`module.<name>.`). */
function modulesOf(module: Json, prefix = ''): { prefix: string; resources: Json[] }[] {
  const calls = Object.entries<Json>(module.module_calls ?? {});
  return [
    { prefix, resources: module.resources ?? [] },
    ...calls.flatMap(([name, call]) => modulesOf(call.module ?? {}, `${prefix}module.${name}.`)),
  ];
}

/** The resources of one module that run as one of its roles before every policy of that role exists. */
function moduleProblems(prefix: string, resources: readonly Json[]): Diagnostic[] {
  const policiesOf = new Map<string, string[]>();
  for (const resource of resources) {
    const role = ROLE_POLICIES.includes(resource.type) ? roleOf(resource.expressions?.role) : undefined;
    if (role !== undefined) policiesOf.set(role, [...(policiesOf.get(role) ?? []), resource.address]);
  }
  return resources.flatMap((resource): Diagnostic[] => {
    const role = ROLE_ARGUMENTS.map((argument) => roleOf(resource.expressions?.[argument])).find(Boolean);
    const waitsFor: string[] = resource.depends_on ?? [];
    const missing = role === undefined ? [] : (policiesOf.get(role) ?? []).filter((p) => !waitsFor.includes(p));
    if (missing.length === 0) return [];
    return [
      {
        severity: 'error',
        summary: `runs as ${role} before its permissions exist`,
        detail:
          `depends_on lacks ${missing.join(', ')}: the service can act as the role before the policy is attached ` +
          `(CodePipeline starts a run when the pipeline is created)`,
        address: `${prefix}${resource.address}`,
      },
    ];
  });
}

/** Each resource of the plan's configuration that runs as a role before every policy of that role. */
export function creationOrderProblems(plan: Json): Diagnostic[] {
  return modulesOf(plan.configuration?.root_module ?? {}).flatMap(({ prefix, resources }) =>
    moduleProblems(prefix, resources),
  );
}
