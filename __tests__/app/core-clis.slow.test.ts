/**
 * Each core's own CLI in this repository, as users run it: `cdktf synth` (cdktf-cli 0.21) runs the app on cdktf, and
 * `cdktn synth` (cdktn-cli) with `CI_PIPELINES_CORE=cdktn` runs it on CDK Terrain. Each writes what `npm run synth`
 * writes on the same core; the two cores' stacks differ only as `goldenOnCore` says (docs/cdktf-or-cdk-terrain.md).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CORE_SWITCH } from '../../app/cores.cjs';
import { appCommand } from '../../scripts/app-command';
import { goldenOnCore } from '../../scripts/golden';

const ROOT = resolve(__dirname, '..', '..');
const app = appCommand();
const work = mkdtempSync(join(tmpdir(), 'ci-core-clis-'));

/** Each stack's cdk.tf.json in an output directory, by stack ID. */
const stacksIn = (outdir: string): Record<string, string> =>
  Object.fromEntries(
    readdirSync(join(outdir, 'stacks'))
      .sort()
      .map((id) => [id, readFileSync(join(outdir, 'stacks', id, 'cdk.tf.json'), 'utf8')]),
  );

/** Runs `command` in the repository with the core switch set as given; returns its exit and output. */
function runIn(command: string, args: readonly string[], core: string | undefined, outdir: string) {
  const env = { ...process.env, CDKTF_OUTDIR: outdir, [CORE_SWITCH]: core };
  if (core === undefined) delete env[CORE_SWITCH];
  const result = spawnSync(command, [...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 180_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const npmRunSynth = (core: string | undefined, outdir: string) => runIn(app.command, app.args, core, outdir);
const cli = (name: 'cdktf' | 'cdktn', core: string | undefined, outdir: string) =>
  runIn(join(ROOT, 'node_modules', '.bin', name), ['synth', '--output', outdir], core, outdir);

describe("each core's CLI in this repository", () => {
  const nodeMajor = Number(process.versions.node.split('.')[0]);

  test('cdktn synth, with CI_PIPELINES_CORE=cdktn, writes what npm run synth writes on cdktn', () => {
    const viaCli = cli('cdktn', 'cdktn', join(work, 'cdktn-cli'));
    expect({ status: viaCli.status, output: viaCli.status === 0 ? '' : viaCli.output }).toEqual({
      status: 0,
      output: '',
    });
    expect(viaCli.output).toMatch(
      /Generated Terraform code for the stacks: ci-sample-flask-app, repo-sample-flask-app, state-bootstrap/,
    );
    const viaApp = npmRunSynth('cdktn', join(work, 'cdktn-app'));
    expect(viaApp.status).toBe(0);
    expect(stacksIn(join(work, 'cdktn-cli'))).toEqual(stacksIn(join(work, 'cdktn-app')));
  });

  test(
    nodeMajor === 22
      ? 'cdktf synth writes what npm run synth writes on cdktf, and cdktn only as the core differs'
      : `cdktf synth does not start on Node.js ${nodeMajor}, as the docs say (node-pty has no binary for it)`,
    () => {
      const viaCli = cli('cdktf', undefined, join(work, 'cdktf-cli'));
      if (nodeMajor !== 22) {
        expect(viaCli.status).not.toBe(0);
        expect(viaCli.output).toContain("Cannot find module '../build/Debug/pty.node'");
        return;
      }
      expect({ status: viaCli.status, output: viaCli.status === 0 ? '' : viaCli.output }).toEqual({
        status: 0,
        output: '',
      });
      const cdktf = stacksIn(join(work, 'cdktf-cli'));
      expect(npmRunSynth(undefined, join(work, 'cdktf-app')).status).toBe(0);
      expect(cdktf).toEqual(stacksIn(join(work, 'cdktf-app')));
      expect(npmRunSynth('cdktn', join(work, 'cdktn-app-beside-cdktf')).status).toBe(0);
      const cdktn = stacksIn(join(work, 'cdktn-app-beside-cdktf'));
      const cdktnVersion = JSON.parse(
        readFileSync(join(ROOT, 'node_modules', 'cdktn', 'package.json'), 'utf8'),
      ).version;
      for (const [id, text] of Object.entries(cdktf)) {
        expect({ id, text: goldenOnCore(text, { name: 'cdktn', version: cdktnVersion }) }).toEqual({
          id,
          text: cdktn[id],
        });
      }
    },
  );

  test('a core switch that names no core is refused, naming the variable, the value and the choices', () => {
    const result = npmRunSynth('terrain', join(work, 'refused'));
    expect(result).toEqual({
      status: 1,
      output: `${CORE_SWITCH}: got "terrain"; must be one of "cdktf", "cdktn" (unset means "cdktf")\n`,
    });
  });
});
