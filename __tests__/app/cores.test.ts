import { join } from 'node:path';
import { Testing } from 'cdktf';
import { CORE_NAMES, CORE_SWITCH, CoreSwitchError, selectedCore, specifierFor } from '../../app/cores.cjs';
import { loadedCore } from '../../constructs/core/loaded-core';
import {
  leftoverVendoredSpecifiers,
  leftoverSpecifiers,
  OUT_DIRS,
  renameSpecifiers,
  vendorSpecifiers,
} from '../../scripts/build-lib';
import { CiPipelineStack } from '../../stacks/ci-pipeline-stack';
import { StateBootstrapStack } from '../../stacks/state-bootstrap-stack';
import { pipelineProps } from '../helpers';

describe(`${CORE_SWITCH}: the app's core`, () => {
  test('unset or empty: cdktf; "cdktf" and "cdktn" pick theirs', () => {
    expect(selectedCore({})).toBe('cdktf');
    expect(selectedCore({ [CORE_SWITCH]: '' })).toBe('cdktf');
    for (const core of CORE_NAMES) expect(selectedCore({ [CORE_SWITCH]: core })).toBe(core);
  });

  test.each(['CDKTN', 'terrain', 'cdktf ', 'constructor'])(
    '%j is refused, naming the variable and the choices',
    (value) => {
      expect(() => selectedCore({ [CORE_SWITCH]: value })).toThrow(CoreSwitchError);
      expect(() => selectedCore({ [CORE_SWITCH]: value })).toThrow(
        `${CORE_SWITCH}: got ${JSON.stringify(value)}; must be one of "cdktf", "cdktn" (unset means "cdktf")`,
      );
    },
  );
});

describe('specifierFor: the module a source import names, in a core', () => {
  test.each([
    ['cdktf', 'cdktn'],
    ['cdktf/lib/tokens/private/resolve', 'cdktn/lib/tokens/private/resolve'],
    ['cdktf/package.json', 'cdktn/package.json'],
    ['@cdktf/provider-aws/lib/codebuild-project', '@cdktn/provider-aws/lib/codebuild-project'],
    ['@cdktf/provider-random/lib/password', '@cdktn/provider-random/lib/password'],
    // No cdktn build of the github provider yet: both cores use cdktf's.
    ['@cdktf/provider-github/lib/repository', '@cdktf/provider-github/lib/repository'],
    // Only whole package names: another package that starts alike is not renamed.
    ['cdktf-cli', 'cdktf-cli'],
    ['@cdktf/provider-aws-extra', '@cdktf/provider-aws-extra'],
    ['constructs', 'constructs'],
    ['./cdktf', './cdktf'],
  ])('%s on cdktn: %s', (source, cdktn) => {
    expect(specifierFor('cdktn', source)).toBe(cdktn);
    expect(specifierFor('cdktf', source)).toBe(source);
  });
});

describe("scripts/build-lib.ts: the cdktn form's module names", () => {
  const javascript = [
    'const cdktf_1 = require("cdktf");',
    'const project_1 = require("@cdktf/provider-aws/lib/codebuild-project");',
    'const repository_1 = require("@cdktf/provider-github/lib/repository");',
    "const tags = { ManagedBy: 'cdktf' };",
    'const lazy = () => import("cdktf/lib/tokens/token");',
  ].join('\n');

  test('renames every require and dynamic import of a renamed package, and nothing else', () => {
    expect(renameSpecifiers(javascript, 'cdktn').split('\n')).toEqual([
      'const cdktf_1 = require("cdktn");',
      'const project_1 = require("@cdktn/provider-aws/lib/codebuild-project");',
      'const repository_1 = require("@cdktf/provider-github/lib/repository");',
      "const tags = { ManagedBy: 'cdktf' };",
      'const lazy = () => import("cdktn/lib/tokens/token");',
    ]);
    expect(renameSpecifiers(javascript, 'cdktf')).toBe(javascript);
  });

  test("renames the declarations' imports, re-exports and import types", () => {
    const declarations = [
      "import { TerraformStack } from 'cdktf';",
      "export { Password } from '@cdktf/provider-random/lib/password';",
      "export declare function f(): import('cdktf').TerraformOutput;",
    ].join('\n');
    expect(renameSpecifiers(declarations, 'cdktn').split('\n')).toEqual([
      "import { TerraformStack } from 'cdktn';",
      "export { Password } from '@cdktn/provider-random/lib/password';",
      "export declare function f(): import('cdktn').TerraformOutput;",
    ]);
  });

  test('finds, without TypeScript, any renamed package a file still names as a module', () => {
    expect(leftoverSpecifiers(renameSpecifiers(javascript, 'cdktn'), 'cdktn')).toEqual([]);
    expect(leftoverSpecifiers(javascript, 'cdktn')).toEqual([
      'require("cdktf"',
      'require("@cdktf/provider-aws/lib/codebuild-project"',
      'import("cdktf/lib/tokens/token"',
    ]);
    expect(leftoverSpecifiers(javascript, 'cdktf')).toEqual([]);
  });
});

describe('scripts/build-lib.ts: dependencies published only as ES modules, required from dist/vendor/', () => {
  const javascript = [
    'const preset_1 = require("@secretlint/secretlint-rule-preset-recommend");',
    'const yaml_1 = require("yaml");',
  ].join('\n');

  test("each form's files require the vendored file, by a path from where they are", () => {
    for (const [form, vendored] of [
      [OUT_DIRS.cdktf, '../../vendor/secretlint-rule-preset-recommend.cjs'],
      [OUT_DIRS.cdktn, '../../../vendor/secretlint-rule-preset-recommend.cjs'],
    ]) {
      const rewritten = vendorSpecifiers(javascript, join(form, 'guardrails', 'secrets', 'detector.js'));
      expect(rewritten.split('\n')).toEqual([
        `const preset_1 = require("${vendored}");`,
        'const yaml_1 = require("yaml");',
      ]);
      expect(leftoverVendoredSpecifiers(rewritten)).toEqual([]);
    }
    expect(leftoverVendoredSpecifiers(javascript)).toEqual(['@secretlint/secretlint-rule-preset-recommend']);
  });
});

describe(`the stacks on ${loadedCore().name} ${loadedCore().version}`, () => {
  const props = { region: 'eu-west-1', bucketName: 'acme-terraform-state' };

  test("target the Terraform releases they run on (cdktn's targetVersions), when the project declares none", () => {
    const stack = new StateBootstrapStack(Testing.app(), 'state-bootstrap', props);
    expect(stack.node.tryGetContext('targetVersions')).toEqual({ terraform: '>=1.11.0' });
  });

  test("keep the project's own targets: cdktn checks the stacks' features against those", () => {
    const targets = { terraform: '>=1.12.0', opentofu: '>=1.11.0' };
    const stack = new StateBootstrapStack(
      Testing.app({ context: { targetVersions: targets } }),
      'state-bootstrap',
      props,
    );
    expect(stack.node.tryGetContext('targetVersions')).toEqual(targets);
  });
});

describe('a project that targets a Terraform older than the write-only arguments the registry credentials use', () => {
  const STATE = {
    bucket: 'my-state-bucket',
    region: 'eu-west-1',
    key: 'ci/app/terraform.tfstate',
    kmsKeyId: 'alias/terraform-state/my-state-bucket',
  };
  const synthesize = () => {
    const app = Testing.app({ context: { targetVersions: { terraform: '>=1.5.7' } } });
    const stack = new CiPipelineStack(app, 'ci-app', { pipeline: pipelineProps(), region: 'eu-west-1', state: STATE });
    return () => Testing.synth(stack, true);
  };

  test(
    loadedCore().name === 'cdktn'
      ? "is refused by cdktn's validation, naming the construct and the releases"
      : 'synthesizes on cdktf, which has no such check (Terraform refuses it by required_version)',
    () => {
      if (loadedCore().name === 'cdktn') {
        expect(synthesize()).toThrow(
          '[ci-app/ci/dockerhub-credentials/value] write-only attributes requires terraform >=1.11.0, ' +
            'but the project targets terraform >=1.5.7',
        );
      } else {
        expect(JSON.parse(synthesize()()).terraform.required_version).toBe('>= 1.11.0');
      }
    },
  );
});
