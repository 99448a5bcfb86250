import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionOf, parsePlan, PlanError, readPlan, STATEFUL_RESOURCE_TYPES, summarizePlan, summarizePlanFiles } from '../../tools/plan-summary';

const FIXTURES = join(__dirname, '..', 'fixtures', 'plans');
const fixture = (name: string) => join(FIXTURES, `${name}.json`);
const rows = (markdown: string) => markdown.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| ---') && !line.startsWith('| Action'));
const rowOf = (markdown: string, address: string) => rows(markdown).find((line) => line.includes(`\`${address}\``));

describe('actionOf', () => {
  const change = (actions: string[], extra: object = {}) => ({ address: 'a.b', change: { actions, ...extra }, ...extra }) as never;
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
    expect(actionOf({ address: 'a.b', change: { actions: ['no-op'], importing: { id: 'x' } } } as never)).toBe('import');
    expect(actionOf({ address: 'a.b', change: { actions: ['update'], importing: { id: 'x' } } } as never)).toBe('import');
    expect(actionOf({ address: 'a.b', previous_address: 'a.old', change: { actions: ['no-op'] } } as never)).toBe('move');
    expect(actionOf({ address: 'a.b', previous_address: 'a.old', change: { actions: ['update'] } } as never)).toBe('update');
  });
});

describe('a plan with every kind of change', () => {
  let summary: string;
  beforeAll(() => {
    summary = summarizePlan(readPlan(fixture('mixed')), 'Plan');
  });

  test('counts each action in the headline and the table', () => {
    expect(summary.split('\n')[0]).toBe('### Plan: 1 to create, 1 to update, 3 to replace, 2 to delete');
    expect(summary).toContain('| Create | Update | Replace | Delete | Unchanged | Forget | Import | Move | Read |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n| 1 | 1 | 3 | 2 | 1 | 1 | 1 | 1 | 1 |');
  });

  test('warns loudly about each stateful resource replaced or deleted, and only those', () => {
    const caution = summary.slice(summary.indexOf('> [!CAUTION]'), summary.indexOf('\n\n', summary.indexOf('> [!CAUTION]')));
    expect(caution).toContain('**3 stateful resources would be destroyed.**');
    const cautionRows = caution.split('\n').filter((line) => line.startsWith('> | **'));
    expect(cautionRows.map((line) => line.split('`')[1])).toEqual([
      'aws_kms_key.ci_key_kms-key_8E5E8A5C',
      'aws_ecr_repository.ci_image-repository_repository_0A1B2C3D',
      'aws_s3_bucket.state-bucket_bucket_9F8E7D6C',
    ]);
    expect(cautionRows[2]).toContain(STATEFUL_RESOURCE_TYPES.aws_s3_bucket);
    expect(caution).not.toContain('aws_codepipeline_webhook');
    expect(caution).not.toContain('aws_iam_role_policy');
  });

  test('lists every change but the unchanged, most dangerous first, with why', () => {
    expect(rows(summary.slice(summary.indexOf('| Action | Resource | Type |'))).map((line) => line.split(' | ')[0].replace(/[|* ]/g, ''))).toEqual([
      'replace', 'replace', 'replace', 'delete', 'delete', 'forget', 'update', 'create', 'import', 'move', 'read',
    ]);
    expect(rowOf(summary, 'aws_codepipeline_webhook.ci_webhook_pipeline-webhook_CF123E5E')).toContain('an argument cannot be changed in place; forced by `name`');
    expect(rowOf(summary, 'aws_ecr_repository.ci_image-repository_repository_0A1B2C3D')).toContain('the new one is created before the old one is deleted');
    expect(rowOf(summary, 'aws_kms_key.ci_key_kms-key_8E5E8A5C')).toContain('requested with -replace');
    expect(summary).toContain('| update | `aws_codebuild_project.ci_build_project_7FD7DB46` | aws_codebuild_project | changes `build_timeout`, `tags` |');
    expect(rowOf(summary, 'github_repository.ci_repository_repository_3A9A6C2B')).toContain('imports `sample-flask-app`');
    expect(rowOf(summary, 'aws_secretsmanager_secret.ci_dockerhub-credentials_secret_1B2C3D4E')).toContain('moved from `aws_secretsmanager_secret.old_secret_00000000`');
    expect(summary).not.toContain('aws_codepipeline.ci_pipeline_E3513F99');
  });

  test('mentions drift and the outputs that change', () => {
    expect(summary).toContain('Changed outside Terraform since the last apply (drift): `aws_codebuild_project.ci_build_project_7FD7DB46`.');
    expect(summary).toContain('Outputs that change: `webhook_url`.');
  });

  test('prints no attribute value', () => {
    const document = readFileSync(fixture('mixed'), 'utf8');
    for (const value of ['example-org-terraform-state-eu-west-1', 'https://a', '"b"', 'IMMUTABLE', 'app-renamed', 'sample-flask-app-github']) {
      expect(document).toContain(value.replace(/"/g, ''));
      expect(summary).not.toContain(value);
    }
  });
});

describe('other plans', () => {
  test('a first deploy creates everything and warns about nothing', () => {
    const summary = summarizePlan(readPlan(fixture('first-deploy')), 'First');
    expect(summary.split('\n')[0]).toBe('### First: 6 to create, 0 to update, 0 to replace, 0 to delete');
    expect(summary).not.toContain('[!CAUTION]');
    expect(summary).toContain('Outputs that change: `pipeline_name`.');
  });

  test('a plan without changes says so', () => {
    const summary = summarizePlan(readPlan(fixture('no-changes')), 'Same');
    expect(summary).toContain('| 0 | 0 | 0 | 0 | 2 |');
    expect(summary).toContain('No changes: the infrastructure matches the configuration.');
  });

  test('several plans make one comment, one section each', () => {
    const comment = summarizePlanFiles([fixture('first-deploy'), fixture('mixed')]);
    expect(comment.match(/^### Terraform plan /gm)).toHaveLength(2);
    expect(comment.trimEnd().endsWith('_No attribute values are shown: a plan can hold secrets._')).toBe(true);
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
    ['state', JSON.stringify({ format_version: '1.0', values: { root_module: {} } }), 'this is Terraform state, not a plan'],
    ['binary plan', Buffer.from('PK\u0003\u0004tfplan'), 'this is a binary plan file: convert it with `terraform show -json <planfile> > plan.json`'],
    ['text', 'Terraform will perform the following actions:', 'not JSON'],
    ['format 2', JSON.stringify({ format_version: '2.0', resource_changes: [] }), 'format_version: must be a 1.x format version'],
    [
      'a change without actions',
      JSON.stringify({ format_version: '1.2', resource_changes: [{ address: 'a.b', mode: 'managed', type: 'a', change: {} }] }),
      'resource_changes.0.change.actions:',
    ],
  ])('%s: names what is wrong', (name, content, expected) => {
    expect(messageOf(() => readPlan(file(`${name}.json`, content)))).toContain(expected);
  });

  test('a missing file', () => {
    expect(messageOf(() => readPlan(join(dir, 'absent.json')))).toBe(`${join(dir, 'absent.json')}: cannot read the file: it does not exist`);
  });

  test('parsePlan reads documents already parsed', () => {
    expect(parsePlan({ format_version: '1.2' }, 'inline').resource_changes).toEqual([]);
  });

  test('the command prints the summary, or the problem without a stack trace', () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['--require', 'tsx/cjs', join(__dirname, '..', '..', 'tools', 'plan-summary.ts'), ...args], { encoding: 'utf8' });
    const good = run(fixture('no-changes'));
    expect(good.status).toBe(0);
    expect(good.stdout).toContain('No changes');
    const bad = run(fixture('no-changes'), file('state-again.json', JSON.stringify({ values: {} })));
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('this is Terraform state, not a plan');
    expect(bad.stderr).not.toMatch(/^\s+at /m);
    expect(run().status).toBe(2);
  });
});
