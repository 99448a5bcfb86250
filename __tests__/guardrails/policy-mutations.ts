import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkApp } from '../../guardrails';
import { PLAN_BUILD_VARIABLES } from '../../shared/plan-build';

/**
 * Every policy the constructs write is exactly what is needed: in a golden shape, each `Allow` statement of each
 * `aws_iam_policy_document` is widened in each way a careless or malicious edit widens it, one at a time, and each
 * widening must add a finding. A widening that changes nothing (a wildcard the statement already has) is skipped.
 */

const GOLDEN = join(__dirname, '..', 'golden');

/** A stack as the guardrails read it. */
interface Stack {
  readonly name: string;
  readonly json: any;
}

/** The golden shapes' names. */
export const goldenShapes = (): string[] => readdirSync(GOLDEN).filter((name) => !name.endsWith('.json'));

const stacksOf = (shape: string): Stack[] =>
  readdirSync(join(GOLDEN, shape))
    .filter((file) => file.endsWith('.tf.json'))
    .map((file) => ({
      name: file.replace(/\.tf\.json$/, ''),
      json: JSON.parse(readFileSync(join(GOLDEN, shape, file), 'utf8')),
    }));

const findingsOf = (stacks: readonly Stack[]) =>
  new Set(checkApp(stacks).flatMap((report) => report.findings.map((f) => `${report.stack} ${f.ruleId} ${f.address}`)));

/** An action of the statement's own service that none of our policies needs, to add. */
const UNNEEDED_ACTION: Readonly<Record<string, string>> = {
  kms: 'kms:ScheduleKeyDeletion',
  s3: 's3:DeleteBucket',
  sns: 'sns:DeleteTopic',
  sts: 'sts:TagSession',
  logs: 'logs:DeleteLogGroup',
  codebuild: 'codebuild:DeleteProject',
};

interface Widening {
  readonly what: string;
  applies(statement: any): boolean;
  widen(statement: any): void;
}

const covers = (actions: readonly string[], action: string) =>
  actions.some((granted) => ['*', action, `${action.split(':')[0]}:*`].includes(granted.toLowerCase()));
const serviceOf = (statement: any): string => String(statement.actions[0]).split(':')[0].toLowerCase();
const extraActionOf = (statement: any) => UNNEEDED_ACTION[serviceOf(statement)] ?? 'iam:PassRole';
const isResourcePolicy = (statement: any) => statement.principals !== undefined;

const WIDENINGS: readonly Widening[] = [
  {
    what: "a wildcard of the statement's service",
    applies: (statement) => !covers(statement.actions, `${serviceOf(statement)}:x`),
    widen: (statement) => statement.actions.push(`${serviceOf(statement)}:*`),
  },
  {
    what: 'an action no one needs',
    applies: (statement) => !covers(statement.actions, extraActionOf(statement).toLowerCase()),
    widen: (statement) => statement.actions.push(extraActionOf(statement)),
  },
  {
    what: 'every resource',
    applies: (statement) => !isResourcePolicy(statement) && !(statement.resources ?? []).includes('*'),
    widen: (statement) => (statement.resources = [...(statement.resources ?? []), '*']),
  },
  {
    what: "another account's root",
    applies: isResourcePolicy,
    widen: (statement) => statement.principals.push({ type: 'AWS', identifiers: ['arn:aws:iam::999988887777:root'] }),
  },
  {
    what: 'another service',
    applies: isResourcePolicy,
    widen: (statement) => statement.principals.push({ type: 'Service', identifiers: ['ec2.amazonaws.com'] }),
  },
];

/**
 * The policy documents of roles that apply Terraform (their project's `TF_STATE_WRITE` is `true`): such a role may do
 * every action of the services the stacks manage (its apply statements, held by the guardrails' apply needs and
 * widened in merge-pipeline.test.ts), so widening its other statements within those services changes nothing it may
 * do, and is not a widening.
 */
function applyRoleDocuments(json: any): Set<string> {
  const applying = Object.values<any>(json.resource?.aws_codebuild_project ?? {})
    .filter((project) =>
      (project.environment?.environment_variable ?? []).some(
        (variable: any) => variable.name === PLAN_BUILD_VARIABLES.stateWrite && variable.value === 'true',
      ),
    )
    .map((project) => String(project.service_role).replace(/\.arn\}$/, '.name}'));
  return new Set(
    Object.values<any>(json.resource?.aws_iam_role_policy ?? {})
      .filter((policy) => applying.includes(policy.role))
      .map((policy) => /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(policy.policy)?.[1])
      .filter((name): name is string => name !== undefined),
  );
}

/** The widenings of `shape`'s policies that add no finding, as `stack document #statement: widening`; and the count. */
export function unnoticedWidenings(shape: string): { readonly tried: number; readonly unnoticed: string[] } {
  const stacks = stacksOf(shape);
  const before = findingsOf(stacks);
  const unnoticed: string[] = [];
  let tried = 0;
  stacks.forEach((stack, stackIndex) => {
    const skipped = applyRoleDocuments(stack.json);
    for (const [name, document] of Object.entries<any>(stack.json.data?.aws_iam_policy_document ?? {})) {
      if (skipped.has(name)) continue;
      (document.statement ?? []).forEach((statement: any, at: number) => {
        if ((statement.effect ?? 'Allow') !== 'Allow' || !Array.isArray(statement.actions)) return;
        for (const widening of WIDENINGS.filter((candidate) => candidate.applies(statement))) {
          const edited = stacks.map((each, index) =>
            index === stackIndex ? { ...each, json: structuredClone(each.json) } : each,
          );
          widening.widen(edited[stackIndex].json.data.aws_iam_policy_document[name].statement[at]);
          tried++;
          if ([...findingsOf(edited)].every((finding) => before.has(finding)))
            unnoticed.push(`${stack.name} ${name} #${at}: ${widening.what}`);
        }
      });
    }
  });
  return { tried, unnoticed };
}
