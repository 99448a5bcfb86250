import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { OutputDirError, synthesizeChecked } from '../../app/synthesize';
import { CiPipelineStack } from '../../constructs/stacks/ci-pipeline-stack';
import { GuardrailsError } from '../../guardrails';
import { pipelineProps } from '../helpers';

describe('synthesizeChecked', () => {
  const pipelineStack = (app: App, id = 'ci-app') =>
    new CiPipelineStack(app, id, {
      pipeline: pipelineProps(),
      region: 'eu-west-1',
      state: { bucket: 'my-state-bucket', region: 'eu-west-1', key: `${id}/terraform.tfstate`, kmsKeyId: 'alias/terraform-state/my-state-bucket' },
    });
  /** An output directory from an earlier synth and `terraform init`. */
  function earlierOutput(): string {
    const outdir = join(mkdtempSync(join(tmpdir(), 'ci-checked-')), 'cdktf.out');
    mkdirSync(join(outdir, 'stacks', 'ci-app', '.terraform'), { recursive: true });
    writeFileSync(join(outdir, 'stacks', 'ci-app', '.terraform', 'providers.marker'), 'kept');
    writeFileSync(join(outdir, 'stacks', 'ci-app', 'cdk.tf.json'), '{"earlier": true}');
    return outdir;
  }
  /** What is beside the output directory, where synth stages its files. */
  const beside = (outdir: string) => readdirSync(dirname(outdir));

  test('writes the stacks, checks each as written, and keeps what Terraform left in the output directory', () => {
    const outdir = earlierOutput();
    let resolve: jest.SpyInstance | undefined;
    const reports = synthesizeChecked(outdir, (app) => {
      const stack = pipelineStack(app);
      resolve = jest.spyOn(stack, 'toTerraform');
      return [stack];
    });
    expect(reports.map((report) => [report.stack, report.findings.length])).toEqual([['ci-app', 0]]);
    expect(reports[0].checks).toBeGreaterThan(50);
    expect(resolve).toHaveBeenCalledTimes(1);
    expect(JSON.parse(readFileSync(join(outdir, 'stacks', 'ci-app', 'cdk.tf.json'), 'utf8')).resource.aws_codebuild_project).toBeDefined();
    expect(JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')).stacks['ci-app']).toBeDefined();
    expect(readFileSync(join(outdir, 'stacks', 'ci-app', '.terraform', 'providers.marker'), 'utf8')).toBe('kept');
    expect(beside(outdir)).toEqual(['cdktf.out']);
  });

  test("a stack's file in the other format, left by an earlier synth, is removed: Terraform would load both", () => {
    const outdir = earlierOutput();
    writeFileSync(join(outdir, 'stacks', 'ci-app', 'cdk.tf'), 'terraform {}');
    synthesizeChecked(outdir, (app) => [pipelineStack(app)]);
    expect(readdirSync(join(outdir, 'stacks', 'ci-app')).sort()).toEqual(['.terraform', 'cdk.tf.json']);
  });

  test('a finding in any stack leaves the output directory as it was', () => {
    const outdir = earlierOutput();
    let error: unknown;
    try {
      synthesizeChecked(outdir, (app) => {
        const failing = pipelineStack(app, 'ci-other');
        failing.ciPipeline.buildProject.role.addToPolicy({ sid: 'Admin', actions: ['*'], resources: ['*'] });
        return [pipelineStack(app), failing];
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GuardrailsError);
    expect((error as GuardrailsError).message).toContain('[ci-other/ci/build/role/policy] CKV_AWS_62 ');
    expect(readdirSync(join(outdir, 'stacks'))).toEqual(['ci-app']);
    expect(readFileSync(join(outdir, 'stacks', 'ci-app', 'cdk.tf.json'), 'utf8')).toBe('{"earlier": true}');
    expect(existsSync(join(outdir, 'manifest.json'))).toBe(false);
    expect(beside(outdir)).toEqual(['cdktf.out']);
  });

  describe('file system errors', () => {
    // The module object itself, which synthesize.ts reads through: a namespace import's bindings cannot be spied on.
    const fs: typeof import('node:fs') = jest.requireActual('node:fs');
    const failWith = (code: string, path: string) => () => {
      throw Object.assign(new Error(`${code}: simulated`), { code, path });
    };
    afterEach(() => jest.restoreAllMocks());

    test.each([
      ['EROFS', 'the file system is read-only'],
      ['EACCES', 'permission denied'],
      ['ENOSPC', 'no space is left on the device'],
    ])('%s where the staging directory is made is one OutputDirError saying so', (code, meaning) => {
      const outdir = join(mkdtempSync(join(tmpdir(), 'ci-checked-')), 'cdktf.out');
      jest.spyOn(fs, 'mkdtempSync').mockImplementation(failWith(code, dirname(outdir)));
      expect(() => synthesizeChecked(outdir, (app) => [pipelineStack(app)])).toThrow(
        new OutputDirError(outdir, `${meaning} (${code} on ${dirname(outdir)})`),
      );
      expect(existsSync(outdir)).toBe(false);
    });

    test('an error that is not the file system\'s is not disguised as one', () => {
      jest.spyOn(fs, 'mkdtempSync').mockImplementation(() => {
        throw new TypeError('a bug');
      });
      expect(() => synthesizeChecked(join(tmpdir(), 'x'), (app) => [pipelineStack(app)])).toThrow(TypeError);
    });

    test('an output directory on another file system (EXDEV on rename) gets copies, and no staging is left', () => {
      const outdir = earlierOutput();
      const rename = jest.spyOn(fs, 'renameSync').mockImplementation(failWith('EXDEV', outdir));
      synthesizeChecked(outdir, (app) => [pipelineStack(app)]);
      expect(rename).toHaveBeenCalled();
      expect(JSON.parse(readFileSync(join(outdir, 'stacks', 'ci-app', 'cdk.tf.json'), 'utf8')).resource).toBeDefined();
      expect(beside(outdir)).toEqual(['cdktf.out']);
    });
  });

  test('with HCL output (`cdktf synth --hcl`) it checks the stacks as JSON', () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'ci-checked-')), 'cdktf.out');
    const saved = process.env.SYNTH_HCL_OUTPUT;
    process.env.SYNTH_HCL_OUTPUT = 'true';
    try {
      const build = (admin: boolean) => (app: App) => {
        const stack = new TerraformStack(app, 'plain');
        new LocalBackend(stack, {});
        const ci = pipelineStack(app);
        if (admin) ci.ciPipeline.buildProject.role.addToPolicy({ sid: 'Admin', actions: ['*'], resources: ['*'] });
        return [stack, ci];
      };
      expect(() => synthesizeChecked(outdir, build(true))).toThrow(GuardrailsError);
      const reports = synthesizeChecked(outdir, build(false));
      expect(reports.find((report) => report.stack === 'ci-app')!.checks).toBeGreaterThan(50);
      expect(readFileSync(join(outdir, 'stacks', 'ci-app', 'cdk.tf'), 'utf8')).toContain('resource "aws_codebuild_project"');
    } finally {
      if (saved === undefined) delete process.env.SYNTH_HCL_OUTPUT;
      else process.env.SYNTH_HCL_OUTPUT = saved;
    }
  });
});
