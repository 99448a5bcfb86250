import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  actionOf,
  countActions,
  main,
  parsePlan,
  PlanError,
  readPlan,
  DATA_FREE_RESOURCE_TYPES,
  DATA_GUARD_ARGUMENTS,
  DATA_LOSING_RESOURCE_TYPES,
  dataLossOf,
  summarizePlan,
  summarizePlanFiles,
  terraformCounts,
} from '../../tools/plan-summary';
import { RUN_TYPESCRIPT } from '../../scripts/app-command';

const FIXTURES = join(__dirname, '..', 'fixtures', 'plans');
const fixture = (name: string) => join(FIXTURES, `${name}.json`);
const rows = (markdown: string) =>
  markdown
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| ---') && !line.startsWith('| Action'));
const rowOf = (markdown: string, address: string) => rows(markdown).find((line) => line.includes(`\`${address}\``));

describe('actionOf', () => {
  const change = (actions: string[], extra: object = {}) =>
    ({ address: 'a.b', change: { actions, ...extra }, ...extra }) as never;
  test.each([
    [['create'], 'create'],
    [['update'], 'update'],
    [['delete', 'create'], 'replace'],
    [['create', 'delete'], 'replace'],
    [['delete'], 'delete'],
    [['read'], 'read'],
    [['forget'], 'forget'],
    [['no-op'], 'no-op'],
  ])('%j is %s', (actions, action) => {
    expect(actionOf(change(actions))).toBe(action);
  });

  test('an import is an import, with or without an update; a move is a move', () => {
    expect(actionOf({ address: 'a.b', change: { actions: ['no-op'], importing: { id: 'x' } } } as never)).toBe(
      'import',
    );
    expect(actionOf({ address: 'a.b', change: { actions: ['update'], importing: { id: 'x' } } } as never)).toBe(
      'import',
    );
    expect(actionOf({ address: 'a.b', previous_address: 'a.old', change: { actions: ['no-op'] } } as never)).toBe(
      'move',
    );
    expect(actionOf({ address: 'a.b', previous_address: 'a.old', change: { actions: ['update'] } } as never)).toBe(
      'update',
    );
  });
});

// The fixtures are real plans of the default pipeline stack (`npm run plan-fixtures` regenerates them).
const summaryOf = (name: string) => summarizePlan(readPlan(fixture(name)), name);

describe('a real plan with every kind of change (mixed.json)', () => {
  let summary: string;
  beforeAll(() => {
    summary = summaryOf('mixed');
  });

  test('counts each action in the headline and the table', () => {
    expect(summary.split('\n')[0]).toBe('### mixed: 0 to create, 12 to update, 7 to replace, 1 to delete');
    expect(summary).toContain(
      '| Create | Update | Replace | Delete | Unchanged | Forget | Read |\n| ---: | ---: | ---: | ---: | ---: | ' +
        '---: | ---: |\n| 0 | 12 | 7 | 1 | 10 | 1 | 5 |',
    );
  });

  test('warns loudly about each resource holding data that is replaced, and only those', () => {
    const caution = summary.slice(
      summary.indexOf('> [!CAUTION]'),
      summary.indexOf('\n\n', summary.indexOf('> [!CAUTION]')),
    );
    expect(caution).toContain('**2 resources holding data or history would be replaced.**');
    const cautionRows = caution.split('\n').filter((line) => line.startsWith('> | **'));
    expect(cautionRows.map((line) => line.split('`')[1])).toEqual([
      'aws_kms_key.ci_key_3C3C3511',
      'aws_s3_bucket.ci_artifacts_bucket_AEE149AA',
    ]);
    expect(cautionRows[1]).toContain(DATA_LOSING_RESOURCE_TYPES.aws_s3_bucket.loses);
    expect(cautionRows[1]).toContain(`([documented](${DATA_LOSING_RESOURCE_TYPES.aws_s3_bucket.documentation}))`);
    expect(caution).not.toContain('aws_codepipeline_webhook');
  });

  test('lists every change but the unchanged, most dangerous first, with why', () => {
    expect(
      rows(summary.slice(summary.indexOf('| Action | Resource | Type |'))).map((line) =>
        line.split(' | ')[0].replace(/[|* ]/g, ''),
      ),
    ).toEqual([...Array(7).fill('replace'), 'delete', 'forget', ...Array(12).fill('update'), ...Array(5).fill('read')]);
    expect(rowOf(summary, 'aws_codepipeline_webhook.ci_webhook_pipeline-webhook_CF123E5E')).toContain(
      'an argument cannot be changed in place; forced by `name`; the new one is created before the old one is deleted',
    );
    expect(rowOf(summary, 'aws_kms_key.ci_key_3C3C3511')).toContain('requested with -replace');
    expect(rowOf(summary, 'aws_s3_bucket.ci_artifacts_bucket_AEE149AA')).toContain('forced by `bucket_prefix`');
    expect(rowOf(summary, 'aws_s3_bucket_lifecycle_configuration.ci_artifacts_lifecycle_C6840366')).toContain(
      'the resource was removed from the configuration',
    );
    expect(summary).toContain(
      '| update | `aws_codebuild_project.ci_build_project_7FD7DB46` | aws_codebuild_project | changes ' +
        '`build_timeout`, `encryption_key` |',
    );
    expect(rowOf(summary, 'aws_kms_alias.renamed_alias')).toContain('moved from `aws_kms_alias.ci_key_alias_E5B0243D`');
    expect(rowOf(summary, 'data.aws_iam_policy_document.ci_build_role_permissions_D503EACF')).toContain(
      'its arguments are known only after apply',
    );
  });

  test('mentions the outputs that change', () => {
    expect(summary).toContain('Outputs that change: `webhook_url`.');
  });

  test('prints no attribute value', () => {
    const document = readFileSync(fixture('mixed'), 'utf8');
    for (const value of [
      'renamed-artifacts-',
      'sample-flask-app-github-v2',
      'ci/sample-flask-app/dockerhub',
      'alias/ci/sample-flask-app',
    ]) {
      expect(document).toContain(value);
      expect(summary).not.toContain(value);
    }
  });
});

describe('other real plans', () => {
  test('a first deploy creates everything and warns about nothing', () => {
    const summary = summaryOf('create');
    expect(summary.split('\n')[0]).toBe('### create: 31 to create, 0 to update, 0 to replace, 0 to delete');
    expect(summary).not.toContain('[!CAUTION]');
    expect(summary).toContain('Outputs that change: `build_project_console_url`');
  });

  test('a plan without changes says so', () => {
    const summary = summaryOf('no-op');
    expect(summary).toContain('| 0 | 0 | 0 | 0 | 31 |');
    expect(summary).toContain('No changes: the infrastructure matches the configuration.');
    expect(summary).not.toContain('Outputs that change');
  });

  test('an update of the build changes only the build: its ARN in the policies is built from its name', () => {
    const summary = summaryOf('update');
    expect(summary.split('\n')[0]).toBe('### update: 0 to create, 1 to update, 0 to replace, 0 to delete');
    expect(rows(summary.slice(summary.indexOf('| Action | Resource | Type |')))).toEqual([
      '| update | `aws_codebuild_project.ci_build_project_7FD7DB46` | aws_codebuild_project | changes ' +
        '`build_timeout` |',
    ]);
  });

  test('a replacement of the bucket and the key warns, and a delete of the alias does not', () => {
    expect(summaryOf('replace')).toContain('**2 resources holding data or history would be replaced.**');
    const deleted = summaryOf('delete');
    expect(deleted.split('\n')[0]).toBe('### delete: 0 to create, 0 to update, 0 to replace, 1 to delete');
    expect(deleted).not.toContain('[!CAUTION]');
  });

  test(
    'replacing or deleting the notification topic, a subscription or the pull-request webhook warns; a ' +
      'notification rule does not',
    () => {
      const change = (type: string, name: string, actions: string[]) => ({
        address: `${type}.${name}`,
        mode: 'managed',
        type,
        change: { actions, before: {}, after: {} },
      });
      const plan = parsePlan(
        {
          format_version: '1.2',
          resource_changes: [
            change('aws_sns_topic', 'topic', ['delete', 'create']),
            change('aws_sns_topic_subscription', 'email', ['delete']),
            change('aws_codebuild_webhook', 'webhook', ['create', 'delete']),
            change('aws_codestarnotifications_notification_rule', 'rule', ['delete', 'create']),
            change('aws_sns_topic_policy', 'policy', ['delete']),
          ],
        },
        'notifications',
      );
      const summary = summarizePlan(plan, 'notifications');
      const caution = summary.slice(
        summary.indexOf('> [!CAUTION]'),
        summary.indexOf('\n\n', summary.indexOf('> [!CAUTION]')),
      );
      expect(caution).toContain('**3 resources holding data or history would be destroyed.**');
      const cautionRows = caution.split('\n').filter((line) => line.startsWith('> | **'));
      expect(cautionRows.map((line) => line.split('`')[1])).toEqual([
        'aws_sns_topic.topic',
        'aws_sns_topic_subscription.email',
        'aws_codebuild_webhook.webhook',
      ]);
      expect(cautionRows[0]).toContain(DATA_LOSING_RESOURCE_TYPES.aws_sns_topic.loses);
      expect(cautionRows[1]).toContain(DATA_LOSING_RESOURCE_TYPES.aws_sns_topic_subscription.loses);
      expect(cautionRows[2]).toContain(DATA_LOSING_RESOURCE_TYPES.aws_codebuild_webhook.loses);
      expect(caution).not.toMatch(/notification_rule|aws_sns_topic_policy/);
    },
  );

  test(
    "the counts equal Terraform's own (its `plan -json` change summary, kept beside the fixtures), for every " +
      'fixture',
    () => {
      const terraform = JSON.parse(readFileSync(join(FIXTURES, 'terraform-counts.json'), 'utf8'));
      expect(Object.keys(terraform)).toEqual([
        'create',
        'no-op',
        'update',
        'replace',
        'delete',
        'mixed',
        'history',
        'destroy',
        'branch',
        'rename',
        'retire',
      ]);
      for (const [name, counts] of Object.entries<any>(terraform)) {
        expect([name, terraformCounts(countActions(readPlan(fixture(name))))]).toEqual([
          name,
          { add: counts.add, change: counts.change, remove: counts.remove },
        ]);
      }
    },
  );

  test('drift, as a refreshed plan reports it, is named', () => {
    const plan = readPlan(fixture('update'));
    const drifted = summarizePlan(
      {
        ...plan,
        resource_drift: plan.resource_changes.filter(
          (change) => change.address === 'aws_codebuild_project.ci_build_project_7FD7DB46',
        ),
      },
      'drift',
    );
    expect(drifted).toContain(
      'Changed outside Terraform since the last apply (drift): `aws_codebuild_project.ci_build_project_7FD7DB46`.',
    );
  });

  test('several plans make one comment, one section each', () => {
    const comment = summarizePlanFiles([fixture('create'), fixture('mixed')]);
    expect(comment.match(/^### Terraform plan /gm)).toHaveLength(2);
    expect(comment.trimEnd().endsWith('_No attribute values are shown: a plan can hold secrets._')).toBe(true);
  });
});

describe('data loss, as a class (tools/data-loss.ts)', () => {
  const GOLDEN = join(__dirname, '..', 'golden');
  const goldenTypes = () =>
    new Set(
      readdirSync(GOLDEN, { recursive: true, encoding: 'utf8' })
        .filter((path) => path.endsWith('.tf.json'))
        .flatMap((path) => Object.keys(JSON.parse(readFileSync(join(GOLDEN, path), 'utf8')).resource ?? {})),
    );
  const cautionOf = (summary: string) => {
    const start = summary.indexOf('> [!CAUTION]');
    return start < 0 ? '' : summary.slice(start, summary.indexOf('\n\n', start));
  };
  const flagged = (summary: string) =>
    cautionOf(summary)
      .split('\n')
      .filter((line) => line.startsWith('> | **'))
      .map((line) => line.split('`')[1]);

  test('every resource type any golden shape synthesizes is judged: it loses data, or it holds none', () => {
    const unjudged = [...goldenTypes()].filter(
      (type) => type in DATA_LOSING_RESOURCE_TYPES === type in DATA_FREE_RESOURCE_TYPES,
    );
    expect(unjudged).toEqual([]);
  });

  test('every entry cites an https page of the owning service or provider', () => {
    for (const [type, { documentation }] of Object.entries(DATA_LOSING_RESOURCE_TYPES))
      expect([type, documentation]).toEqual([
        type,
        expect.stringMatching(/^https:\/\/(docs\.aws\.amazon\.com|docs\.github\.com|registry\.terraform\.io)\//),
      ]);
  });

  test('the plan fixtures cover every AWS resource type of the current default pipeline stack', () => {
    // The fixtures plan the stack as `npm run validate` prepares it: the providers the mirror lacks (github, random)
    // are cut, so their types are not planned. Run `npm run plan-fixtures` when this fails.
    const stack = JSON.parse(readFileSync(join(GOLDEN, 'default', 'ci-sample-flask-app.tf.json'), 'utf8'));
    const current = Object.keys(stack.resource)
      .filter((type) => type.startsWith('aws_'))
      .sort();
    const planned = [
      ...new Set(
        readPlan(fixture('create'))
          .resource_changes.filter((change) => change.mode === 'managed')
          .map((change) => change.type),
      ),
    ].sort();
    expect(planned).toEqual(current);
  });

  test('real plans that destroy (history.json, destroy.json) flag exactly the types that hold data', () => {
    for (const name of ['history', 'destroy', 'rename', 'retire']) {
      const plan = readPlan(fixture(name));
      const destroyed = plan.resource_changes.filter(
        (change) => change.mode === 'managed' && change.change.actions.includes('delete'),
      );
      const holding = destroyed.filter((change) => change.type in DATA_LOSING_RESOURCE_TYPES);
      expect(holding.length).toBeGreaterThan(0);
      expect(flagged(summarizePlan(plan, name)).sort()).toEqual(holding.map((change) => change.address).sort());
    }
  });

  test('a renamed log group and a removed report group: their logs and reports are flagged, the project is not', () => {
    const summary = summarizePlan(readPlan(fixture('history')), 'history');
    expect(flagged(summary)).toEqual([
      'aws_cloudwatch_log_group.ci_build_logs_AB8D340F',
      'aws_codebuild_report_group.ci_build_unit-test-reports_CDA9822C',
      'aws_codebuild_report_group.ci_pull-request-build_unit-test-reports_CB9F7F39',
    ]);
    expect(cautionOf(summary)).toContain(DATA_LOSING_RESOURCE_TYPES.aws_cloudwatch_log_group.loses);
    expect(cautionOf(summary)).toContain('**3 resources holding data or history would be destroyed.**');
    expect(rowOf(summary, 'aws_codebuild_project.ci_build_project_7FD7DB46')).toMatch(/^\| update \|/);
  });

  test('renaming a pipeline by its id (rename.json, a real plan against its state) replaces, never duplicates', () => {
    const plan = readPlan(fixture('rename'));
    const byType = (action: string) =>
      plan.resource_changes
        .filter((change) => change.mode === 'managed' && actionOf(change) === action)
        .map((change) => change.type)
        .sort();
    // What is created new (notification rules, whose addresses carry the name) goes with the destroy of the old one.
    expect(byType('create')).toEqual(byType('delete'));
    expect(byType('replace')).toEqual(
      expect.arrayContaining(['aws_codebuild_project', 'aws_codepipeline', 'aws_iam_role']),
    );
    expect(flagged(summarizePlan(plan, 'rename'))).toContain('aws_cloudwatch_log_group.ci_build_logs_AB8D340F');
  });

  test('changing the branch (branch.json, a real plan against its state) updates in place, and loses nothing', () => {
    const plan = readPlan(fixture('branch'));
    const changed = plan.resource_changes
      .filter((change) => change.mode === 'managed' && actionOf(change) !== 'no-op')
      .map((change) => [actionOf(change), change.type]);
    // What filters on the branch: the pipeline's source action, and the pull-request builds' webhook and project.
    expect(changed.sort()).toEqual([
      ['update', 'aws_codebuild_project'],
      ['update', 'aws_codebuild_webhook'],
      ['update', 'aws_codepipeline'],
    ]);
    expect(flagged(summarizePlan(plan, 'branch'))).toEqual([]);
  });

  test('retiring a pipeline (retire.json) plans, from its own state, what `terraform destroy` plans', () => {
    const addresses = (name: string) =>
      readPlan(fixture(name))
        .resource_changes.filter((change) => change.mode === 'managed' && actionOf(change) === 'delete')
        .map((change) => change.address)
        .sort();
    expect(addresses('retire')).toHaveLength(31);
    expect(addresses('retire')).toEqual(addresses('destroy'));
    expect(flagged(summarizePlan(readPlan(fixture('retire')), 'retire')).sort()).toEqual(
      flagged(summarizePlan(readPlan(fixture('destroy')), 'destroy')).sort(),
    );
  });

  test('a subscription its endpoint confirms loses the confirmation; one SNS subscribes at once does not', () => {
    for (const protocol of ['email', 'email-json', 'http', 'https'])
      expect(dataLossOf('aws_sns_topic_subscription', { protocol })).toBeDefined();
    for (const protocol of ['sqs', 'lambda', 'firehose', 'application'])
      expect(dataLossOf('aws_sns_topic_subscription', { protocol })).toBeUndefined();
  });

  test('a repository archived on destroy keeps what it holds; one deleted loses it', () => {
    expect(dataLossOf('github_repository', { archive_on_destroy: true })).toBeUndefined();
    expect(dataLossOf('github_repository', { archive_on_destroy: false })).toBe(
      DATA_LOSING_RESOURCE_TYPES.github_repository,
    );
  });

  test("a type no one listed is judged by the provider's own data-guard arguments in its prior state", () => {
    expect(dataLossOf('aws_db_instance', { identifier: 'db', skip_final_snapshot: false })?.loses).toContain(
      '`skip_final_snapshot`',
    );
    expect(dataLossOf('aws_neptune_cluster', { deletion_protection: null })?.loses).toContain('`deletion_protection`');
    expect(dataLossOf('aws_iam_role', { name: 'r', force_detach_policies: false })).toBeUndefined();
    expect(dataLossOf('aws_iam_role', null)).toBeUndefined();
    // A guard argument that guards something else, as the provider documents it.
    expect(dataLossOf('aws_cloudwatch_event_rule', { force_destroy: true })).toBeUndefined();
    // A setting of how long the resource keeps data, at any depth, says it keeps data.
    expect(dataLossOf('aws_kinesis_video_stream', { data_retention_in_hours: 24 })?.loses).toContain(
      '`data_retention_in_hours`',
    );
    expect(
      dataLossOf('aws_fsx_lustre_file_system', { backup: [{ automatic_backup_retention_days: 0 }] })?.loses,
    ).toContain('`automatic_backup_retention_days`');
    expect(dataLossOf('aws_config_retention_configuration', { retention_period_in_days: 30 })).toBeUndefined();
    for (const argument of DATA_GUARD_ARGUMENTS) expect(dataLossOf('x_y', { [argument]: 0 })).toBeDefined();
    const plan = parsePlan(
      {
        format_version: '1.2',
        resource_changes: [
          {
            address: 'aws_db_instance.db',
            mode: 'managed',
            type: 'aws_db_instance',
            change: { actions: ['delete'], before: { skip_final_snapshot: true } },
          },
          {
            address: 'aws_db_instance.other',
            mode: 'managed',
            type: 'aws_db_instance',
            change: { actions: ['update'], before: { skip_final_snapshot: true }, after: {} },
          },
        ],
      },
      'guards',
    );
    expect(flagged(summarizePlan(plan, 'guards'))).toEqual(['aws_db_instance.db']);
  });
});

describe('files that are not plans', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ci-plans-'));
  const file = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const messageOf = (action: () => unknown) => {
    try {
      action();
    } catch (error) {
      expect(error).toBeInstanceOf(PlanError);
      return (error as Error).message;
    }
    throw new Error('expected a PlanError');
  };

  test.each([
    [
      'state',
      JSON.stringify({ format_version: '1.0', values: { root_module: {} } }),
      'this is Terraform state, not a plan',
    ],
    [
      'a state file as Terraform keeps it (terraform.tfstate)',
      JSON.stringify({ version: 4, terraform_version: '1.11.4', serial: 3, lineage: 'l', outputs: {}, resources: [] }),
      'this is Terraform state, not a plan',
    ],
    [
      'binary plan',
      Buffer.from('PK\u0003\u0004tfplan'),
      'this is a binary plan file: convert it with `terraform show -json <planfile> > plan.json`',
    ],
    ['text', 'Terraform will perform the following actions:', 'not JSON'],
    [
      'format 2',
      JSON.stringify({ format_version: '2.0', resource_changes: [] }),
      'format_version: must be a 1.x format version',
    ],
    [
      'a change without actions',
      JSON.stringify({
        format_version: '1.2',
        resource_changes: [{ address: 'a.b', mode: 'managed', type: 'a', change: {} }],
      }),
      'resource_changes.0.change.actions:',
    ],
  ])('%s: names what is wrong', (name, content, expected) => {
    expect(messageOf(() => readPlan(file(`${name}.json`, content)))).toContain(expected);
  });

  test('a missing file', () => {
    expect(messageOf(() => readPlan(join(dir, 'absent.json')))).toBe(
      `${join(dir, 'absent.json')}: cannot read the file: it does not exist`,
    );
  });

  test('parsePlan reads documents already parsed', () => {
    expect(parsePlan({ format_version: '1.2' }, 'inline').resource_changes).toEqual([]);
  });

  /** `main` as the command calls it, with what it writes to stdout and stderr. */
  function mainWith(...args: string[]) {
    let [stdout, stderr] = ['', ''];
    const out = jest.spyOn(process.stdout, 'write').mockImplementation((text) => ((stdout += String(text)), true));
    const err = jest.spyOn(process.stderr, 'write').mockImplementation((text) => ((stderr += String(text)), true));
    try {
      return { status: main(args), stdout, stderr };
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  }

  test('the command exits 0 with the summary, 1 with the problem, 2 with its usage', () => {
    const good = mainWith(fixture('no-op'));
    expect(good).toEqual({ status: 0, stdout: expect.stringContaining('No changes'), stderr: '' });
    const bad = mainWith(fixture('no-op'), file('state-again.json', JSON.stringify({ values: {} })));
    expect(bad).toEqual({
      status: 1,
      stdout: '',
      stderr: expect.stringContaining('this is Terraform state, not a plan'),
    });
    expect(mainWith()).toEqual({ status: 2, stdout: '', stderr: expect.stringContaining('no plan file given') });
    expect(mainWith('--verbose')).toEqual({
      status: 2,
      stdout: '',
      stderr: expect.stringContaining('unknown option --verbose'),
    });
  });

  test('as a process, a problem is its message and exit code 1, without a stack trace', () => {
    const tool = join(__dirname, '..', '..', 'tools', 'plan-summary.ts');
    const bad = spawnSync(
      process.execPath,
      [...RUN_TYPESCRIPT, tool, file('state-twice.json', JSON.stringify({ values: {} }))],
      { encoding: 'utf8' },
    );
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('this is Terraform state, not a plan');
    expect(bad.stderr).not.toMatch(/^\s+at /m);
  });
});
