#!/usr/bin/env node
/**
 * `npm run diagram`: a Mermaid diagram of each synthesized pipeline stack, read
 * from `cdktf.out` (what Terraform will apply, not what the code meant to build):
 * the push path through the pipeline, the pull-request path through CodeBuild's
 * webhook to the status the branch protection requires, and the failure
 * notifications.
 *
 *   npm run diagram [-- --outdir cdktf.out] [-- --update-readme]
 *
 * Writes `<outdir>/diagrams/<stack>.md` per stack that holds a CodePipeline.
 * `--update-readme` also replaces the README's generated diagram block.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  block,
  blocks,
  Element,
  isExpression,
  parseReference,
  SynthesizedStack,
  TerraformJson,
} from '../guardrails/core/terraform-json';

export type { TerraformJson } from '../guardrails/core/terraform-json';

/** The README's generated block: `<!-- diagram:<stack> -->` … `<!-- /diagram -->`. */
export const README_DIAGRAM = /<!-- diagram:([A-Za-z0-9_-]+) -->\n[\s\S]*?<!-- \/diagram -->/;

class DiagramError extends Error {}

/** A Mermaid node or subgraph ID for a Terraform address or other key. */
const mermaidId = (key: string) => key.replace(/[^A-Za-z0-9_]/g, '_');

/** A Mermaid flowchart under construction: nodes by ID, edges in order, no duplicates. */
class Flowchart {
  private readonly nodes = new Map<string, string>();
  private readonly edges: string[] = [];
  private readonly groups = new Map<string, { title: string; members: string[] }>();

  /** Adds a node (once) and returns its ID. Shapes: `[ ]` box, `[( )]` store, `([ ])` event. */
  public node(key: string, label: string, shape: 'box' | 'store' | 'event' = 'box', group?: string): string {
    const id = mermaidId(key);
    if (!this.nodes.has(id)) {
      const text = `"${label.replace(/"/g, '#quot;')}"`;
      this.nodes.set(
        id,
        shape === 'store' ? `${id}[(${text})]` : shape === 'event' ? `${id}([${text}])` : `${id}[${text}]`,
      );
      if (group !== undefined) this.groups.get(group)?.members.push(id);
    }
    return id;
  }

  private readonly done = new Set<string>();

  /** Whether a node of this key was added. */
  public has(key: string): boolean {
    return this.nodes.has(mermaidId(key));
  }

  /** True the first time it is asked for `key`: for what is drawn once per node (a project's key, secrets and logs). */
  public once(key: string): boolean {
    if (this.done.has(key)) return false;
    this.done.add(key);
    return true;
  }

  public group(key: string, title: string): string {
    const id = mermaidId(key);
    if (!this.groups.has(id)) this.groups.set(id, { title, members: [] });
    return id;
  }

  public edge(from: string, to: string, label?: string, style: 'solid' | 'dotted' = 'solid'): void {
    const arrow =
      style === 'dotted'
        ? label === undefined
          ? '-.->'
          : `-. "${label}" .->`
        : label === undefined
          ? '-->'
          : `-- "${label}" -->`;
    const line = `  ${from} ${arrow} ${to}`;
    if (!this.edges.includes(line)) this.edges.push(line);
  }

  public render(): string {
    const grouped = new Set([...this.groups.values()].flatMap((group) => group.members));
    const lines = ['flowchart LR'];
    for (const [id, node] of this.nodes) if (!grouped.has(id)) lines.push(`  ${node}`);
    for (const [id, group] of this.groups) {
      lines.push(
        `  subgraph ${id} ["${group.title}"]`,
        ...group.members.map((member) => `    ${this.nodes.get(member)}`),
        '  end',
      );
    }
    return [...lines, ...this.edges].join('\n');
  }
}

/** The elements of `types` that `value` refers to in its interpolations. */
function referenced(stack: SynthesizedStack, value: unknown, types: readonly string[]): Element[] {
  return [...stack.referencesIn(value)]
    .map((address) => stack.get(address)!)
    .filter((element) => types.includes(element.type));
}

/** Whether `value` is an ARN written out, not a reference to an element of the stack. */
const isLiteralArn = (value: string) => value.startsWith('arn:') && !isExpression(value);

/** A literal where the JSON has one; a short description of the expression otherwise. */
function literal(value: unknown, fallback: string): string {
  if (typeof value !== 'string') return fallback;
  return value.includes('${') ? value.replace(/\$\{[^}]+\}/g, '…') : value;
}

/**
 * The Mermaid flowchart of the pipelines in one synthesized stack, or undefined when it has none. The resources of
 * `dependencies`, the stacks deployed before it, are drawn where the stack refers to them: a repository created in a
 * stack of its own, which the pipeline's stack looks up, is drawn with its branch protection.
 */
export function pipelineFlowchart(
  json: TerraformJson,
  stackName?: string,
  dependencies: readonly TerraformJson[] = [],
): string | undefined {
  const resource: Record<string, Record<string, any>> = {};
  for (const each of [json, ...dependencies])
    for (const [type, byName] of Object.entries(each.resource ?? {})) resource[type] = { ...resource[type], ...byName };
  const stack = new SynthesizedStack({ ...json, resource }, stackName);
  const pipelines = stack.ofType('aws_codepipeline');
  if (pipelines.length === 0) return undefined;
  const chart = new Flowchart();
  const kmsEncrypts = keyEdges(stack, chart);
  const pipelineGroups = pipelines.map((pipeline) => addPipeline(stack, chart, pipeline, kmsEncrypts));
  addPullRequestBuilds(stack, chart, kmsEncrypts);
  addFailureNotifications(stack, chart, kmsEncrypts);
  addStateBackend(json, chart, pipelineGroups);
  return chart.render();
}

/** What draws a key's "encrypts" edges in `chart`. */
function keyEdges(stack: SynthesizedStack, chart: Flowchart): KeyEdges {
  return (target, keyValue) => {
    if (typeof keyValue === 'string' && isLiteralArn(keyValue)) {
      // An existing key, given by ARN: Terraform does not manage it, so its ARN is all there is to show.
      const label = `existing KMS key<br/>${keyValue.split(':').slice(3).join(':')}`;
      chart.edge(chart.node(keyValue, label), target, 'encrypts', 'dotted');
    }
    for (const key of referenced(stack, keyValue, ['aws_kms_key'])) {
      const alias = stack
        .ofType('aws_kms_alias')
        .find((candidate) => parseReference(candidate.body.target_key_id)?.address === key.address);
      const rotation = key.body.enable_key_rotation === true ? 'rotating yearly' : 'not rotated';
      const label = `KMS key ${literal(alias?.body.name, '')}<br/>${rotation}`;
      chart.edge(chart.node(key.address, label), target, 'encrypts', 'dotted');
    }
  };
}

/**
 * Adds a pipeline as a group of its stages' actions, with its sources, builds and artifact stores; returns the group.
 */
function addPipeline(stack: SynthesizedStack, chart: Flowchart, pipeline: Element, kmsEncrypts: KeyEdges): string {
  const pipelineGroup = chart.group(pipeline.address, `CodePipeline ${literal(pipeline.body.name, pipeline.address)}`);
  let previous: string | undefined;
  for (const stage of blocks(pipeline.body.stage)) {
    const actions: string[] = [];
    for (const action of blocks(stage.action)) {
      const label =
        action.name === action.provider
          ? `${stage.name}: ${action.name}`
          : `${stage.name}: ${action.name}<br/>${action.provider}`;
      const id = chart.node(`${pipeline.address}_${stage.name}_${action.name}`, label, 'box', pipelineGroup);
      actions.push(id);
      if (previous !== undefined) chart.edge(previous, id);
      if (action.category === 'Source') addSource(stack, chart, pipeline, action, id);
      if (action.provider === 'CodeBuild') addBuild(stack, chart, action, id, kmsEncrypts);
    }
    previous = actions[actions.length - 1] ?? previous;
  }
  for (const store of blocks(pipeline.body.artifact_store)) {
    const bucketIds = referenced(stack, store.location, ['aws_s3_bucket']).map((bucket) =>
      chart.node(
        bucket.address,
        `S3 artifact bucket<br/>${literal(bucket.body.bucket ?? bucket.body.bucket_prefix, bucket.address)}`,
        'store',
      ),
    );
    if (typeof store.location === 'string' && !isExpression(store.location)) {
      bucketIds.push(
        chart.node(`existing_bucket_${store.location}`, `existing S3 artifact bucket<br/>${store.location}`, 'store'),
      );
    }
    for (const bucketId of bucketIds) {
      chart.edge(pipelineGroup, bucketId, 'artifacts');
      kmsEncrypts(bucketId, block(store.encryption_key).id);
    }
  }
  return pipelineGroup;
}

/** Adds the S3 backend that keeps the stack's state, when it has one. */
function addStateBackend(json: TerraformJson, chart: Flowchart, pipelineGroups: readonly string[]): void {
  const backend = block(json.terraform?.backend).s3;
  if (backend === undefined) return;
  const locking =
    backend.use_lockfile === true
      ? 'S3 lock file'
      : backend.dynamodb_table !== undefined
        ? `DynamoDB ${backend.dynamodb_table}`
        : 'no locking';
  const stateId = chart.node(
    'terraform_state',
    `Terraform state<br/>s3://${backend.bucket}/${backend.key}<br/>${locking}`,
    'store',
  );
  for (const group of pipelineGroups) chart.edge(stateId, group, 'S3 backend', 'dotted');
}

/**
 * The node of a GitHub repository of the stack, created or read. A lookup of a repository that a stack drawn with it
 * creates is drawn as that repository.
 */
function repositoryNode(stack: SynthesizedStack, chart: Flowchart, lookup: Element, owner: string): string {
  const fullName = literal(lookup.body.full_name, '');
  const repository =
    (lookup.type === 'data.github_repository'
      ? stack.ofType('github_repository').find((created) => `${owner}/${literal(created.body.name, '')}` === fullName)
      : undefined) ?? lookup;
  const name =
    repository.body.full_name !== undefined
      ? literal(repository.body.full_name, '…')
      : `${owner}/${literal(repository.body.name, '…')}`;
  const managed =
    repository.type === 'github_repository'
      ? `${literal(repository.body.visibility, 'private')}, managed here`
      : 'existing, read only';
  return chart.node(repository.address, `GitHub ${name}<br/>${managed}`);
}

/** The node of the CodeConnections connection `arn` refers to; `fallbackKey` names an existing one given by ARN. */
function connectionNode(stack: SynthesizedStack, chart: Flowchart, arn: unknown, fallbackKey: string): string {
  const [connection] = referenced(stack, arn, [
    'aws_codestarconnections_connection',
    'data.aws_codestarconnections_connection',
  ]);
  if (connection === undefined) return chart.node(fallbackKey, `existing connection<br/>${literal(arn, '')}`);
  return connection.type.startsWith('data.')
    ? chart.node(
        connection.address,
        `shared CodeConnections connection<br/>${literal(connection.body.name ?? connection.body.arn, '')}, ` +
          `approved once`,
      )
    : chart.node(
        connection.address,
        `CodeConnections connection<br/>${literal(connection.body.name, '')}, approved once`,
      );
}

function addSource(
  stack: SynthesizedStack,
  chart: Flowchart,
  pipeline: Element,
  action: Record<string, any>,
  actionId: string,
): void {
  const configuration = action.configuration ?? {};
  const repositories = referenced(stack, configuration, ['github_repository', 'data.github_repository']);
  const owner = literal(configuration.Owner, '') || literal(configuration.FullRepositoryId, '').split('/')[0];
  const branch = literal(configuration.Branch ?? configuration.BranchName, 'the default branch');
  const repositoryId =
    repositories.length > 0
      ? repositoryNode(stack, chart, repositories[0], owner)
      : chart.node(
          `${pipeline.address}_repository`,
          `GitHub ${literal(configuration.FullRepositoryId ?? `${owner}/${configuration.Repo}`, 'repository')}`,
        );
  chart.edge(chart.node('push', `git push to ${branch}`, 'event'), repositoryId);

  if (action.provider === 'CodeStarSourceConnection') {
    const connectionId = connectionNode(stack, chart, configuration.ConnectionArn, `${pipeline.address}_connection`);
    chart.edge(repositoryId, connectionId, 'GitHub app');
    chart.edge(connectionId, actionId);
    return;
  }
  const githubHooks = stack
    .ofType('github_repository_webhook')
    .filter((hook) =>
      repositories.some((repository) => referenced(stack, hook.body.repository, [repository.type]).length > 0),
    );
  const pipelineHooks = stack
    .ofType('aws_codepipeline_webhook')
    .filter((hook) => parseReference(hook.body.target_pipeline)?.address === pipeline.address);
  if (githubHooks.length === 0 && pipelineHooks.length === 0) {
    chart.edge(repositoryId, actionId, 'polling');
    return;
  }
  let from = repositoryId;
  for (const hook of githubHooks) {
    const id = chart.node(
      hook.address,
      `GitHub webhook<br/>${(hook.body.events ?? []).join(', ')} events, HMAC secret`,
    );
    chart.edge(from, id);
    from = id;
  }
  for (const hook of pipelineHooks) {
    const filters = blocks(hook.body.filter)
      .map((filter) => `${filter.json_path} = ${filter.match_equals}`)
      .join(', ');
    const id = chart.node(hook.address, `CodePipeline webhook<br/>${filters}`);
    chart.edge(from, id);
    from = id;
  }
  chart.edge(from, actionId);
}

type KeyEdges = (target: string, key: unknown) => void;

function addBuild(
  stack: SynthesizedStack,
  chart: Flowchart,
  action: Record<string, any>,
  actionId: string,
  kmsEncrypts: KeyEdges,
): void {
  for (const project of referenced(stack, action.configuration?.ProjectName, ['aws_codebuild_project'])) {
    chart.edge(actionId, projectNode(chart, project), 'runs');
    addProject(stack, chart, project, kmsEncrypts);
  }
}

/** Whether a project's build pushes the image it builds (`PUSH_IMAGE`, true unless set to false). */
const pushesImage = (project: Element) =>
  blocks(block(project.body.environment).environment_variable).find((variable) => variable.name === 'PUSH_IMAGE')
    ?.value !== 'false';

/** The node of a CodeBuild project, with its environment in the label. */
function projectNode(chart: Flowchart, project: Element): string {
  const environment = block(project.body.environment);
  const privileged = environment.privileged_mode === true ? ', privileged' : '';
  return chart.node(
    project.address,
    `CodeBuild ${literal(project.body.name, project.address)}<br/>${literal(environment.compute_type, '')}, ` +
      `${literal(environment.image, '')}${privileged}${pushesImage(project) ? '' : ', no push'}`,
  );
}

/** A CodeBuild project with its key, the registry it pushes to, its secrets and its logs; returns its node. */
function addProject(stack: SynthesizedStack, chart: Flowchart, project: Element, kmsEncrypts: KeyEdges): string {
  const projectId = projectNode(chart, project);
  if (!chart.once(project.address)) return projectId;
  kmsEncrypts(projectId, project.body.encryption_key);
  const variables = blocks(block(project.body.environment).environment_variable);

  const image = variables.find((variable) => variable.name === 'IMAGE_REPOSITORY_URI');
  if (image !== undefined && pushesImage(project)) {
    const [ecr] = referenced(stack, image.value, ['aws_ecr_repository']);
    const registryId =
      ecr !== undefined
        ? chart.node(
            ecr.address,
            `ECR ${literal(ecr.body.name, '')}<br/>${literal(ecr.body.image_tag_mutability, '')} tags, scan on push`,
            'store',
          )
        : chart.node(`${project.address}_registry`, `Docker Hub<br/>${literal(image.value, '')}`, 'store');
    chart.edge(projectId, registryId, 'docker push');
    if (ecr !== undefined) kmsEncrypts(registryId, block(ecr.body.encryption_configuration).kms_key);
  }

  const secretsById = new Map<string, string[]>();
  for (const variable of variables.filter((candidate) => candidate.type === 'SECRETS_MANAGER')) {
    const secretId = secretNode(stack, chart, variable.value, `${project.address}_${variable.name}`, kmsEncrypts);
    secretsById.set(secretId, [...(secretsById.get(secretId) ?? []), variable.name]);
  }
  for (const [secretId, names] of secretsById) chart.edge(secretId, projectId, names.join(', '));

  for (const group of referenced(stack, block(block(project.body.logs_config).cloudwatch_logs).group_name, [
    'aws_cloudwatch_log_group',
  ])) {
    const logsId = chart.node(
      group.address,
      `CloudWatch Logs<br/>${literal(group.body.name, '')}, ${group.body.retention_in_days ?? '∞'} days`,
      'store',
    );
    chart.edge(projectId, logsId, 'logs');
    kmsEncrypts(logsId, group.body.kms_key_id);
  }
  return projectId;
}

/**
 * The node of the Secrets Manager secret `value` refers to (a created secret with its key, or one read by name);
 * `fallbackKey` names one given by ARN.
 */
function secretNode(
  stack: SynthesizedStack,
  chart: Flowchart,
  value: unknown,
  fallbackKey: string,
  kmsEncrypts: KeyEdges,
): string {
  const [secret] = referenced(stack, value, ['aws_secretsmanager_secret', 'data.aws_secretsmanager_secret']);
  if (secret === undefined) return chart.node(fallbackKey, `Secrets Manager<br/>${literal(value, '')}`, 'store');
  const secretId = chart.node(
    secret.address,
    `Secrets Manager<br/>${literal(secret.body.name ?? secret.body.arn, secret.address)}`,
    'store',
  );
  if (secret.type === 'aws_secretsmanager_secret') kmsEncrypts(secretId, secret.body.kms_key_id);
  return secretId;
}

/** A webhook filter's regular expression as the text it matches: anchors and `prefix` dropped, escapes undone. */
function matchedText(pattern: string, prefix = ''): string {
  const text = pattern.replace(/^\^/, '').replace(/([^\\])\$$/, '$1');
  return (text.startsWith(prefix) ? text.slice(prefix.length) : text).replace(/\\(.)/g, '$1');
}

/**
 * Pull-request builds: a pull request into the branch, CodeBuild's webhook with
 * its filters, the project it starts (and the credentials it reads GitHub with),
 * and the commit status it reports, to the branch protection that requires it
 * (whose merge is the push the pipeline builds) or else to the pull request.
 */
function addPullRequestBuilds(stack: SynthesizedStack, chart: Flowchart, kmsEncrypts: KeyEdges): void {
  for (const webhook of stack.ofType('aws_codebuild_webhook')) {
    for (const project of referenced(stack, webhook.body.project_name, ['aws_codebuild_project'])) {
      const source = block(project.body.source);
      const [repository] = referenced(stack, source.location, ['github_repository', 'data.github_repository']);
      const owner = /github\.com\/([^/]+)\//.exec(String(source.location))?.[1] ?? '';
      const repositoryId =
        repository !== undefined
          ? repositoryNode(stack, chart, repository, owner)
          : chart.node(`${project.address}_repository`, `GitHub ${literal(source.location, 'repository')}`);
      const { branch, filtersLabel } = webhookFilters(webhook);
      chart.edge(chart.node(`${webhook.address}_event`, `pull request into ${branch}`, 'event'), repositoryId);
      const webhookId = chart.node(webhook.address, `CodeBuild webhook<br/>${filtersLabel}`);
      chart.edge(repositoryId, webhookId);
      const projectId = projectNode(chart, project);
      chart.edge(webhookId, projectId);
      addProject(stack, chart, project, kmsEncrypts);
      addSourceAccess(stack, chart, project, projectId, repositoryId, kmsEncrypts);
    }
  }
}

/** The branch a webhook's filters build pull requests into, and its filters as a label. */
function webhookFilters(webhook: Element): { branch: string; filtersLabel: string } {
  const filters = blocks(webhook.body.filter_group).flatMap((group) =>
    blocks(group.filter).filter((filter) => filter.exclude_matched_pattern !== true),
  );
  const pattern = (type: string) => filters.find((filter) => filter.type === type)?.pattern as string | undefined;
  const baseRef = pattern('BASE_REF');
  const events = (pattern('EVENT') ?? '')
    .split(',')
    .map((event) =>
      event
        .trim()
        .replace(/^PULL_REQUEST_/, '')
        .toLowerCase(),
    )
    .filter((event) => event !== '');
  const filePath = pattern('FILE_PATH');
  return {
    branch: baseRef === undefined ? 'any branch' : matchedText(baseRef, 'refs/heads/'),
    filtersLabel: [
      `pull request ${events.join(', ')}`,
      ...(filePath === undefined ? [] : [`files under ${matchedText(filePath)}`]),
    ].join('<br/>'),
  };
}

/** How a pull-request project reads its source (a token or a connection) and reports its status. */
function addSourceAccess(
  stack: SynthesizedStack,
  chart: Flowchart,
  project: Element,
  projectId: string,
  repositoryId: string,
  kmsEncrypts: KeyEdges,
): void {
  const source = block(project.body.source);
  const auth = block(source.auth);
  if (auth.type === 'SECRETS_MANAGER') {
    const secretId = secretNode(stack, chart, auth.resource, `${project.address}_token`, kmsEncrypts);
    chart.edge(secretId, projectId, 'GitHub token');
  }
  if (auth.type === 'CODECONNECTIONS') {
    const connectionId = connectionNode(stack, chart, auth.resource, `${project.address}_connection`);
    chart.edge(connectionId, projectId, 'GitHub access');
  }
  if (source.report_build_status === true) {
    const context = literal(block(source.build_status_config).context, "CodeBuild's default context");
    addStatus(stack, chart, projectId, repositoryId, context);
  }
}

/**
 * The commit status a project reports: to each branch protection that requires it, else to the pull request in the
 * repository.
 */
function addStatus(
  stack: SynthesizedStack,
  chart: Flowchart,
  projectId: string,
  repositoryId: string,
  context: string,
): void {
  const protections = stack
    .ofType('github_branch_protection')
    .filter((protection) =>
      blocks(protection.body.required_status_checks).some(
        (checks) => Array.isArray(checks.contexts) && checks.contexts.includes(context),
      ),
    );
  if (protections.length === 0) chart.edge(projectId, repositoryId, `status ${context}`);
  for (const protection of protections) {
    const strict = blocks(protection.body.required_status_checks).some((checks) => checks.strict === true)
      ? ', branch up to date'
      : '';
    const approvals = block(protection.body.required_pull_request_reviews).required_approving_review_count;
    const reviews = approvals === undefined ? '' : `, ${approvals} approval${approvals === 1 ? '' : 's'}`;
    const protectionId = chart.node(
      protection.address,
      `Branch protection<br/>merge needs ${context}${strict}${reviews}`,
    );
    chart.edge(projectId, protectionId, `status ${context}`);
    // A merge is the push to the branch that starts the pipeline.
    if (chart.has('push')) chart.edge(protectionId, mermaidId('push'), 'merge');
  }
}

/**
 * An event type ID of CodeStar Notifications in words: `codebuild-project-build-state-failed` is "build state failed".
 */
const eventInWords = (id: string) => id.replace(/^codepipeline-pipeline-|^codebuild-project-/, '').replace(/-/g, ' ');

/**
 * Failure notifications: each notification rule, from the pipeline or project
 * whose events it sends, to its SNS topic (with the topic's key and its
 * subscriptions) and to any AWS Chatbot Slack channel.
 */
function addFailureNotifications(stack: SynthesizedStack, chart: Flowchart, kmsEncrypts: KeyEdges): void {
  for (const rule of stack.ofType('aws_codestarnotifications_notification_rule')) {
    const ruleId = chart.node(
      rule.address,
      `Notification rule ${literal(rule.body.name, rule.address)}<br/>detail ` +
        `${literal(rule.body.detail_type, 'BASIC')}`,
    );
    const events = (Array.isArray(rule.body.event_type_ids) ? rule.body.event_type_ids : [])
      .map((id: unknown) => eventInWords(literal(id, '…')))
      .join(', ');
    for (const source of referenced(stack, rule.body.resource, ['aws_codepipeline', 'aws_codebuild_project'])) {
      chart.edge(
        source.type === 'aws_codepipeline' ? mermaidId(source.address) : projectNode(chart, source),
        ruleId,
        events,
      );
    }
    for (const target of blocks(rule.body.target)) {
      if (target.type === 'AWSChatbotSlack') {
        chart.edge(
          ruleId,
          chart.node(
            `slack_${target.address}`,
            `Slack, through AWS Chatbot<br/>${literal(target.address, '').split('/').pop()}`,
          ),
        );
        continue;
      }
      for (const topic of referenced(stack, target.address, ['aws_sns_topic']))
        chart.edge(ruleId, addTopic(stack, chart, topic, kmsEncrypts));
    }
  }
}

/** An SNS topic with its key and its subscriptions, counted by protocol (never the addresses); returns its node. */
function addTopic(stack: SynthesizedStack, chart: Flowchart, topic: Element, kmsEncrypts: KeyEdges): string {
  const topicId = chart.node(topic.address, `SNS topic ${literal(topic.body.name, topic.address)}`);
  if (!chart.once(topic.address)) return topicId;
  kmsEncrypts(topicId, topic.body.kms_master_key_id);
  const byProtocol = new Map<string, number>();
  for (const subscription of stack.attachedTo(topic, 'aws_sns_topic_subscription', 'topic_arn')) {
    const protocol = literal(subscription.body.protocol, 'unknown');
    byProtocol.set(protocol, (byProtocol.get(protocol) ?? 0) + 1);
  }
  for (const [protocol, count] of byProtocol) {
    const confirmed = protocol === 'email' || protocol === 'email-json' ? ', each confirmed by its recipient' : '';
    chart.edge(
      topicId,
      chart.node(`${topic.address}_${protocol}`, `${protocol} subscriptions<br/>${count}${confirmed}`),
    );
  }
  return topicId;
}

/** The Markdown file for one stack. */
export function diagramMarkdown(stackName: string, flowchart: string, source: string): string {
  return (
    `# Pipeline of stack \`${stackName}\`\n\nGenerated by \`npm run diagram\` from ` +
    `\`${source}\`.\n\n\`\`\`mermaid\n${flowchart}\n\`\`\`\n`
  );
}

/** Replaces the README's generated block with the stack's flowchart. */
export function updateReadme(readme: string, flowchartOf: (stackName: string) => string | undefined): string {
  const match = README_DIAGRAM.exec(readme);
  if (match === null) throw new DiagramError('README.md has no `<!-- diagram:<stack> -->` … `<!-- /diagram -->` block');
  const flowchart = flowchartOf(match[1]);
  if (flowchart === undefined)
    throw new DiagramError(
      `README.md's diagram names stack "${match[1]}", which has no pipeline in the synthesized output`,
    );
  return readme.replace(
    README_DIAGRAM,
    `<!-- diagram:${match[1]} -->\n\`\`\`mermaid\n${flowchart}\n\`\`\`\n<!-- /diagram -->`,
  );
}

/** A synth's stacks by name, from its manifest. */
type SynthStacks = Record<string, { synthesizedStackPath: string; dependencies?: string[] }>;

function synthStacks(outdir: string): SynthStacks {
  const manifestPath = join(outdir, 'manifest.json');
  if (!existsSync(manifestPath))
    throw new DiagramError(`${manifestPath} does not exist: run \`npm run synth\` first (or pass --outdir)`);
  return JSON.parse(readFileSync(manifestPath, 'utf8')).stacks;
}

function readStack(outdir: string, stacks: SynthStacks, stackName: string): TerraformJson {
  const stackPath = join(outdir, stacks[stackName].synthesizedStackPath);
  if (!stackPath.endsWith('.json'))
    throw new DiagramError(`${stackPath} is HCL: synthesize JSON (without --hcl) to draw diagrams`);
  return JSON.parse(readFileSync(stackPath, 'utf8'));
}

/**
 * The flowchart of the stack `stackName` of the synth in `outdir`, drawn with the stacks it depends on (its
 * repository's); undefined when it holds no pipeline.
 */
export function synthFlowchart(outdir: string, stackName: string): string | undefined {
  return flowchartOf(outdir, stackName, synthStacks(outdir));
}

function flowchartOf(outdir: string, stackName: string, stacks: SynthStacks): string | undefined {
  const dependencies = (stacks[stackName].dependencies ?? [])
    .filter((name) => stacks[name] !== undefined)
    .map((name) => readStack(outdir, stacks, name));
  return pipelineFlowchart(readStack(outdir, stacks, stackName), stackName, dependencies);
}

/** Writes one diagram per pipeline stack in `outdir`; returns the files written. */
export function writeDiagrams(outdir: string): Map<string, string> {
  const stacks = synthStacks(outdir);
  const written = new Map<string, string>();
  for (const stackName of Object.keys(stacks)) {
    const flowchart = flowchartOf(outdir, stackName, stacks);
    if (flowchart === undefined) continue;
    const file = join(outdir, 'diagrams', `${stackName}.md`);
    mkdirSync(join(outdir, 'diagrams'), { recursive: true });
    writeFileSync(file, diagramMarkdown(stackName, flowchart, join(outdir, stacks[stackName].synthesizedStackPath)));
    written.set(stackName, file);
  }
  return written;
}

export const USAGE = `Usage: cdktf-ci-diagram [--outdir <dir>] [--update-readme]
       (in this repository: npm run diagram [-- <options>])

Draws a Mermaid flowchart of each pipeline stack that cdktf synthesized into
<dir> (default: $CDKTF_OUTDIR, else cdktf.out), into <dir>/diagrams/<stack>.md.

Options:
  --outdir <dir>    the synth output to read
  --update-readme   also replace the <!-- diagram:<stack> --> block of ./README.md
  --help            this text

Exit codes: 0 drawn; 1 nothing to draw or no synth output to read; 2 a usage error.`;

export function main(argv: readonly string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        outdir: { type: 'string' },
        'update-readme': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    const outdir = values.outdir ?? env.CDKTF_OUTDIR ?? 'cdktf.out';
    const written = writeDiagrams(outdir);
    if (written.size === 0) throw new DiagramError(`no stack in ${outdir} holds a CodePipeline`);
    for (const file of written.values()) process.stdout.write(`${file}\n`);
    if (values['update-readme']) {
      // The README of the project the command runs in.
      const readmePath = join(process.cwd(), 'README.md');
      const flowchartOf = (stackName: string) => {
        const file = written.get(stackName);
        return file === undefined ? undefined : /```mermaid\n([\s\S]*?)\n```/.exec(readFileSync(file, 'utf8'))?.[1];
      };
      writeFileSync(readmePath, updateReadme(readFileSync(readmePath, 'utf8'), flowchartOf));
      process.stdout.write(`${readmePath}\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof DiagramError || (error as NodeJS.ErrnoException).code === 'ENOENT') {
      process.stderr.write(`cdktf-ci-diagram: ${(error as Error).message}\n`);
      return 1;
    }
    throw error;
  }
}

if (require.main === module) process.exitCode = main();
