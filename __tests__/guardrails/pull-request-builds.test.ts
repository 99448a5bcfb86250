import { TerraformResource, TerraformStack, Testing } from 'cdktf';
import { parseConfig } from '../../config/load';
import { checkApp, checkStack, TerraformJson } from '../../guardrails';
import { buildStacks } from '../../main';
import { testApp, validConfigDocument } from '../helpers';

/**
 * The merge gate spans two stacks: the pull-request build and its webhook are in `ci-<name>`, the branch protection
 * that must wait for it in `repo-<name>`. These tests run the product's own stacks, checked together as the app and
 * the guardrails command check them, and as the aspect checks each stack with those it depends on or that depend on it.
 */

type Document = ReturnType<typeof validConfigDocument> & Record<string, any>;

/** The product's stacks for a configuration, with its pipeline changed by `edit`, and the aspect on or off. */
function productStacks(edit: (pipeline: Record<string, any>) => void = () => {}, securityChecks = false) {
  const document: Document = validConfigDocument();
  edit(document.pipelines[0]);
  return buildStacks(testApp(), parseConfig(document), { securityChecks }).all;
}

const asApp = (stacks: readonly TerraformStack[]) =>
  stacks.map((stack) => ({ name: stack.node.id, json: stack.toTerraform() as TerraformJson }));

const findings = (reports: ReturnType<typeof checkApp>, prefix = 'CIP_PR_') =>
  reports.flatMap((report) =>
    report.findings
      .filter((finding) => finding.ruleId.startsWith(prefix))
      .map((finding) => `${report.stack} ${finding.ruleId} ${finding.problem}`),
  );

/** The element at `path` below a stack, e.g. `ci/pull-request-build/webhook`. */
const at = (stack: TerraformStack, path: string) =>
  stack.node.findAll().find((construct) => construct.node.path === `${stack.node.id}/${path}`) as TerraformResource;

test('the product keeps the merge gate: checked together, its stacks have no CIP_PR finding', () => {
  expect(findings(checkApp(asApp(productStacks())), 'CIP_')).toEqual([]);
});

test('a webhook that builds pull requests into another branch is found in the repository stack, across stacks', () => {
  const stacks = productStacks();
  const pipeline = stacks.find((stack) => stack.node.id === 'ci-app')!;
  at(pipeline, 'ci/pull-request-build/webhook').addOverride('filter_group.0.filter.1.pattern', '^refs/heads/dev$');
  expect(findings(checkApp(asApp(stacks)))).toEqual([
    expect.stringMatching(
      /^repo-app CIP_PR_2 "codebuild\/app" is required, but ci-app: \S+ does not build every pull request into main/,
    ),
  ]);
  // On its own, the repository stack cannot see the webhook: the requirement is read against what it can see.
  const repository = stacks.find((stack) => stack.node.id === 'repo-app')!;
  expect(checkStack(repository.toTerraform()).findings.filter((finding) => finding.ruleId === 'CIP_PR_2')).toEqual([]);
});

test.each([
  [
    'a base-branch filter turned into an exclusion of main',
    'ci/pull-request-build/webhook',
    'filter_group.0.filter.1.exclude_matched_pattern',
    true,
    /does not build every pull request into main/,
  ],
  [
    'a path filter added while the status is required',
    'ci/pull-request-build/webhook',
    'filter_group.0.filter.2',
    { type: 'FILE_PATH', pattern: '^src/' },
    /does not build every pull request into main \(its webhook filters/,
  ],
  [
    'a base-branch filter that is not a regular expression (no crash)',
    'ci/pull-request-build/webhook',
    'filter_group.0.filter.1.pattern',
    '^refs/heads/(main$',
    /does not build every pull request into main/,
  ],
  [
    'status reporting turned off',
    'ci/pull-request-build/project',
    'source.report_build_status',
    false,
    /but no webhook starts it/,
  ],
])('%s: the required status is not reported on every pull request', (_name, path, key, value, problem) => {
  const stacks = productStacks();
  at(
    stacks.find((stack) => stack.node.id === 'ci-app')!,
    path,
  ).addOverride(key, value);
  expect(findings(checkApp(asApp(stacks)))).toEqual([
    expect.stringMatching(new RegExp(`^repo-app CIP_PR_2 .*${problem.source}`)),
  ]);
});

test('a deleted pull-request webhook leaves a required status nothing reports', () => {
  const [app] = [asApp(productStacks())];
  const pipeline = app.find((stack) => stack.name === 'ci-app')!;
  const { aws_codebuild_webhook: webhooks, ...rest } = pipeline.json.resource!;
  const pullRequestWebhooks = Object.keys(webhooks).filter((name) => name.includes('pull-request'));
  expect(pullRequestWebhooks).toHaveLength(1);
  const kept = Object.fromEntries(Object.entries(webhooks).filter(([name]) => !pullRequestWebhooks.includes(name)));
  const edited = app.map((stack) =>
    stack === pipeline
      ? {
          ...stack,
          json: {
            ...stack.json,
            resource: { ...rest, ...(Object.keys(kept).length ? { aws_codebuild_webhook: kept } : {}) },
          },
        }
      : stack,
  );
  expect(findings(checkApp(edited))).toEqual([
    expect.stringMatching(
      /^repo-app CIP_PR_2 required_status_checks requires "codebuild\/app", which .* but no webhook starts it/,
    ),
  ]);
});

test('requiredStatusCheck: false is a documented choice: CIP_PR_2 is suppressed, with its reason', () => {
  const reports = checkApp(
    asApp(productStacks((pipeline) => (pipeline.pullRequestBuilds = { requiredStatusCheck: false }))),
  );
  expect(findings(reports, 'CIP_')).toEqual([]);
  const suppressed = reports.flatMap((report) => report.suppressed.filter((finding) => finding.ruleId === 'CIP_PR_2'));
  expect(suppressed).toEqual([
    expect.objectContaining({
      problem: expect.stringMatching(/does not require "codebuild\/app", the status of the pull-request build/),
      reason: expect.stringMatching(
        /^pullRequestBuilds\.requiredStatusCheck is false on .*: pull requests are built only/,
      ),
    }),
  ]);
});

test("the aspect checks a stack with its dependents: the repository's validation sees the pipeline's webhook", () => {
  const stacks = productStacks(() => {}, true);
  const pipeline = stacks.find((stack) => stack.node.id === 'ci-app')!;
  const repository = stacks.find((stack) => stack.node.id === 'repo-app')!;
  expect(() => Testing.synth(repository, true)).not.toThrow();
  at(pipeline, 'ci/pull-request-build/webhook').addOverride('filter_group.0.filter.1.pattern', '^refs/heads/dev$');
  expect(() => Testing.synth(repository, true)).toThrow(/CIP_PR_2 .*does not build every pull request into main/);
  expect(() => Testing.synth(pipeline, true)).not.toThrow();
});

test("a repository stack moved to another owner protects that owner's repository, not the one the builds test", () => {
  const stacks = productStacks();
  const repository = stacks.find((stack) => stack.node.id === 'repo-app')!;
  repository.addOverride('provider.github.0.owner', 'someone-else');
  expect(findings(checkApp(asApp(stacks)))).toEqual([
    expect.stringMatching(
      /^repo-app CIP_PR_2 required_status_checks requires "codebuild\/app", .* no webhook starts it/,
    ),
  ]);
  // The owner written in another case is the same owner: GitHub's names ignore case.
  const sameOwner = productStacks();
  const owner = validConfigDocument().pipelines[0].github.owner;
  sameOwner.find((stack) => stack.node.id === 'repo-app')!.addOverride('provider.github.0.owner', owner.toUpperCase());
  expect(findings(checkApp(asApp(sameOwner)))).toEqual([]);
});
