import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { OutputLock, tryLock } from '../../app/output-lock';
import { makeStaging, startSwap } from '../../app/output-swap';
import {
  GUARDRAILS_REPORT_FILE,
  LocalStateError,
  OutputDirError,
  synthesizeChecked,
  synthesizeCheckedUnlessStopped,
} from '../../app/synthesize';
import { CiPipelineStack } from '../../stacks/ci-pipeline-stack';
import { StateBootstrapStack } from '../../stacks/state-bootstrap-stack';
import { GuardrailsError } from '../../guardrails';
import { pipelineProps, withEnvironment } from '../helpers';

describe('synthesizeChecked', () => {
  // As the app builds them: synthesizeChecked checks the JSON it writes, and the stacks add no check of their own.
  const pipelineStack = (app: App, id = 'ci-app') =>
    new CiPipelineStack(app, id, {
      securityChecks: false,
      // One pipeline name per stack: two stacks deploying to one account cannot create the same IAM roles.
      pipeline: pipelineProps(id === 'ci-app' ? {} : { name: id }),
      region: 'eu-west-1',
      state: {
        bucket: 'my-state-bucket',
        region: 'eu-west-1',
        key: `${id}/terraform.tfstate`,
        kmsKeyId: 'alias/terraform-state/my-state-bucket',
      },
    });
  /**
   * The app's smallest stack (the state bootstrap's, a fifth of a pipeline stack's cost), under a pipeline stack's ID:
   * for the tests of the output directory, where what the stack holds does not matter.
   */
  const smallStack = (app: App, id = 'ci-app') =>
    new StateBootstrapStack(app, id, { bucketName: 'my-state-bucket', region: 'eu-west-1', securityChecks: false });
  /** An output directory (by default a new one) as an earlier synth and `terraform init` left it. */
  function earlierOutput(outdir = join(mkdtempSync(join(tmpdir(), 'ci-checked-')), 'cdktf.out')): string {
    mkdirSync(join(outdir, 'stacks', 'ci-app', '.terraform'), { recursive: true });
    writeFileSync(join(outdir, 'stacks', 'ci-app', '.terraform', 'providers.marker'), 'kept');
    writeFileSync(join(outdir, 'stacks', 'ci-app', 'cdk.tf.json'), '{"earlier": true}');
    return outdir;
  }
  /** What is beside the output directory, where synth stages its files. */
  const beside = (outdir: string) => readdirSync(dirname(outdir));
  /** What {@link earlierOutput}'s `terraform init` left, which every synth must keep. */
  const terraformLeftover = (outdir: string) =>
    readFileSync(join(outdir, 'stacks', 'ci-app', '.terraform', 'providers.marker'), 'utf8');
  /** The new output was written inside the output directory itself: its own entries only, nothing left beside it. */
  function expectWrittenInside(outdir: string): void {
    expect(JSON.parse(readFileSync(join(outdir, 'stacks', 'ci-app', 'cdk.tf.json'), 'utf8')).resource).toBeDefined();
    expect(terraformLeftover(outdir)).toBe('kept');
    expect(readdirSync(outdir).sort()).toEqual(['guardrails-report.md', 'manifest.json', 'stacks']);
    expect(beside(outdir)).toEqual(['cdktf.out']);
  }

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
    expect(
      JSON.parse(readFileSync(join(outdir, 'stacks', 'ci-app', 'cdk.tf.json'), 'utf8')).resource.aws_codebuild_project,
    ).toBeDefined();
    expect(JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')).stacks['ci-app']).toBeDefined();
    expect(terraformLeftover(outdir)).toBe('kept');
    expect(beside(outdir)).toEqual(['cdktf.out']);
  });

  test("a stack's file in the other format, left by an earlier synth, is removed: Terraform would load both", () => {
    const outdir = earlierOutput();
    writeFileSync(join(outdir, 'stacks', 'ci-app', 'cdk.tf'), 'terraform {}');
    synthesizeChecked(outdir, (app) => [smallStack(app)]);
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
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs: typeof import('node:fs') = require('node:fs');
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
      expect(() => synthesizeChecked(outdir, (app) => [smallStack(app)])).toThrow(
        new OutputDirError(outdir, `${meaning} (${code} on ${dirname(outdir)})`),
      );
      expect(existsSync(outdir)).toBe(false);
    });

    test('ENOSPC while cdktf writes a stack is one OutputDirError, and the output directory is as it was', () => {
      const outdir = earlierOutput();
      const write = fs.writeFileSync;
      jest
        .spyOn(fs, 'writeFileSync')
        .mockImplementation((file, ...rest) =>
          String(file).endsWith('cdk.tf.json') ? failWith('ENOSPC', String(file))() : write(file, ...rest),
        );
      expect(() => synthesizeChecked(outdir, (app) => [smallStack(app)])).toThrow(
        /^Cannot write the output directory .*: no space is left on the device \(ENOSPC on .*cdk\.tf\.json\)\./,
      );
      expect(readFileSync(join(outdir, 'stacks', 'ci-app', 'cdk.tf.json'), 'utf8')).toBe('{"earlier": true}');
      expect(beside(outdir)).toEqual(['cdktf.out']);
    });

    test("an error that is not the file system's is not disguised as one", () => {
      const outdir = join(mkdtempSync(join(tmpdir(), 'ci-checked-')), 'cdktf.out');
      jest.spyOn(fs, 'mkdtempSync').mockImplementation(() => {
        throw new TypeError('a bug');
      });
      expect(() => synthesizeChecked(outdir, (app) => [smallStack(app)])).toThrow(TypeError);
    });

    test(
      'an output directory that cannot be renamed (a bind mount: EBUSY) gets its entries swapped, and no staging ' +
        'is left',
      () => {
        const outdir = earlierOutput();
        const rename = fs.renameSync;
        const refused = jest
          .spyOn(fs, 'renameSync')
          .mockImplementation((from, to) => (from === outdir ? failWith('EBUSY', outdir)() : rename(from, to)));
        synthesizeChecked(outdir, (app) => [smallStack(app)]);
        expect(refused).toHaveBeenCalledWith(outdir, expect.stringContaining('cdktf.out.old-'));
        expectWrittenInside(outdir);
      },
    );

    test('EACCES while swapping in is one OutputDirError, and the output directory is as it was', () => {
      const outdir = earlierOutput();
      const rename = fs.renameSync;
      jest
        .spyOn(fs, 'renameSync')
        .mockImplementation((from, to) =>
          String(from).includes('.staging-') ? failWith('EACCES', outdir)() : rename(from, to),
        );
      expect(() => synthesizeChecked(outdir, (app) => [smallStack(app)])).toThrow(OutputDirError);
      expect(readFileSync(join(outdir, 'stacks', 'ci-app', 'cdk.tf.json'), 'utf8')).toBe('{"earlier": true}');
      expect(beside(outdir)).toEqual(['cdktf.out']);
    });
  });

  // A real mount point needs root (tmpfs); elsewhere the bind-mount case above stands in for it.
  const canMount = process.getuid?.() === 0 && spawnSync('mount', ['--version']).status === 0;
  (canMount ? test : test.skip)(
    'an output directory that is a mount point (tmpfs) is written inside, entry by entry',
    () => {
      const outdir = join(mkdtempSync(join(tmpdir(), 'ci-checked-')), 'cdktf.out');
      mkdirSync(outdir);
      expect(spawnSync('mount', ['-t', 'tmpfs', 'tmpfs', outdir]).status).toBe(0);
      try {
        earlierOutput(outdir);
        synthesizeChecked(outdir, (app) => [smallStack(app)]);
        expectWrittenInside(outdir);
      } finally {
        spawnSync('umount', [outdir]);
      }
    },
  );

  (canMount ? test : test.skip)(
    'a full file system (a 4 KiB tmpfs) is one OutputDirError, and nothing is left on it',
    () => {
      const full = mkdtempSync(join(tmpdir(), 'ci-full-'));
      expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4k', 'tmpfs', full]).status).toBe(0);
      try {
        const outdir = join(full, 'cdktf.out');
        expect(() => synthesizeChecked(outdir, (app) => [pipelineStack(app)])).toThrow(
          new OutputDirError(outdir, `no space is left on the device (ENOSPC on ${outdir})`),
        );
        expect(readdirSync(full)).toEqual([]);
      } finally {
        spawnSync('umount', [full]);
      }
    },
  );

  test('stacks no longer built do not linger, and the report is part of the tree swapped in', () => {
    const outdir = earlierOutput();
    synthesizeChecked(outdir, (app) => [smallStack(app), smallStack(app, 'ci-other')]);
    expect(readdirSync(join(outdir, 'stacks')).sort()).toEqual(['ci-app', 'ci-other']);
    synthesizeChecked(outdir, (app) => [smallStack(app)]);
    expect(readdirSync(join(outdir, 'stacks'))).toEqual(['ci-app']);
    expect(readFileSync(join(outdir, GUARDRAILS_REPORT_FILE), 'utf8')).toContain('ci-app');
    expect(readFileSync(join(outdir, GUARDRAILS_REPORT_FILE), 'utf8')).not.toContain('ci-other');
    expect(terraformLeftover(outdir)).toBe('kept');
  });

  test('a removed stack whose directory holds local Terraform state stops synth, and nothing changes', () => {
    const outdir = earlierOutput();
    mkdirSync(join(outdir, 'stacks', 'ci-gone'));
    writeFileSync(join(outdir, 'stacks', 'ci-gone', 'terraform.tfstate'), '{"resources": ["still in AWS"]}');
    expect(() => synthesizeChecked(outdir, (app) => [smallStack(app)])).toThrow(
      new LocalStateError(outdir, ['ci-gone']),
    );
    expect(readdirSync(join(outdir, 'stacks')).sort()).toEqual(['ci-app', 'ci-gone']);
    expect(beside(outdir)).toEqual(['cdktf.out']);
    // Once the state is gone (destroyed, or moved elsewhere), the stack's directory goes too.
    rmSync(join(outdir, 'stacks', 'ci-gone', 'terraform.tfstate'));
    synthesizeChecked(outdir, (app) => [smallStack(app)]);
    expect(readdirSync(join(outdir, 'stacks'))).toEqual(['ci-app']);
  });

  describe('refuses an output directory it must not replace', () => {
    test.each([
      [
        'the current directory',
        () => process.cwd(),
        'it holds the current directory, and synth replaces the whole output directory',
      ],
      [
        'a parent of the current directory',
        () => dirname(process.cwd()),
        'it holds the current directory, and synth replaces the whole output directory',
      ],
      [
        'a directory of other files',
        () => {
          // A level below the temporary directory: synth sweeps the output directory's parent, and /tmp may be large.
          const dir = join(mkdtempSync(join(tmpdir(), 'ci-home-')), 'home');
          mkdirSync(dir);
          writeFileSync(join(dir, 'notes.txt'), 'mine');
          return dir;
        },
        "it holds files that are not a synth's output (no manifest.json or stacks/, but notes.txt), and synth " +
          'replaces the whole output directory',
      ],
    ])('%s', (_, outdir, reason) => {
      const dir = outdir();
      expect(() => synthesizeChecked(dir, (app) => [smallStack(app)])).toThrow(new OutputDirError(dir, reason));
      expect([existsSync(join(dir, 'manifest.json')), existsSync(`${dir}.lock`)]).toEqual([false, false]);
    });
  });

  describe('taking turns', () => {
    test('waits while another live process holds the output directory, then synthesizes', async () => {
      const outdir = earlierOutput();
      const held = tryLock(outdir) as OutputLock;
      const waits: string[] = [];
      const synth = synthesizeCheckedUnlessStopped(
        outdir,
        (app) => [smallStack(app)],
        () => false,
        {
          onWait: (message) => {
            waits.push(message);
            held.release();
          },
        },
      );
      expect((await synth)?.map((report) => report.stack)).toEqual(['ci-app']);
      expect(waits).toEqual([
        expect.stringMatching(
          new RegExp(
            `^Waiting for process ${process.pid} on .*, which is synthesizing into ${outdir} \\(if it is not ` +
              `running, delete its lock file ${outdir}\\.lock\\)\\.$`,
          ),
        ),
      ]);
      expect(beside(outdir)).toEqual(['cdktf.out']);
    });

    test(
      'stopped (by a signal) at any of its five pauses, leaves the output directory as it was, no staging and no ' +
        'lock',
      async () => {
        for (let steps = 1; steps <= 5; steps++) {
          const outdir = earlierOutput();
          let asked = 0;
          const result = await synthesizeCheckedUnlessStopped(
            outdir,
            (app) => [smallStack(app)],
            () => ++asked >= steps,
          );
          expect({ steps, result }).toEqual({ steps, result: undefined });
          expect({ steps, file: readFileSync(join(outdir, 'stacks', 'ci-app', 'cdk.tf.json'), 'utf8') }).toEqual({
            steps,
            file: '{"earlier": true}',
          });
          expect({ steps, beside: beside(outdir) }).toEqual({ steps, beside: ['cdktf.out'] });
        }
      },
    );

    test('a synth killed half-way through its swap is completed by the next one', () => {
      const outdir = earlierOutput();
      const staging = makeStaging(outdir, false);
      writeFileSync(join(staging, 'manifest.json'), '{"stacks": {}}');
      const journal = startSwap(outdir, staging, false);
      renameSync(outdir, journal.old); // killed here, between the two renames
      expect(existsSync(outdir)).toBe(false);
      synthesizeChecked(outdir, (app) => [smallStack(app)]);
      expect(readdirSync(join(outdir, 'stacks'))).toEqual(['ci-app']);
      expect(terraformLeftover(outdir)).toBe('kept');
      expect(beside(outdir)).toEqual(['cdktf.out']);
    });
  });

  test('with HCL output (`cdktf synth --hcl`) it checks the stacks as JSON', () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'ci-checked-')), 'cdktf.out');
    withEnvironment({ SYNTH_HCL_OUTPUT: 'true' }, () => {
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
      expect(readFileSync(join(outdir, 'stacks', 'ci-app', 'cdk.tf'), 'utf8')).toContain(
        'resource "aws_codebuild_project"',
      );
    });
  });
});
