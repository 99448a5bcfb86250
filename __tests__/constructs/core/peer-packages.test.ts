import { loadedCore } from '../../../constructs/core/loaded-core';
import {
  GithubProviderCoreError,
  githubProviderCore,
  MissingPeerPackagesError,
  missingPeerPackages,
  otherFormHint,
  requirePeerPackages,
} from '../../../constructs/core/peer-packages';

/** A peer's loader as Node.js fails it when the package is not installed. */
const notInstalled = (name: string) => () => {
  const error = new Error(`Cannot find module '${name}/package.json'\nRequire stack:\n- /app/x.js`);
  throw Object.assign(error, { code: 'MODULE_NOT_FOUND' });
};

describe('the peers this form of the package needs', () => {
  test(`are all installed here, with the github provider on this form's core (${loadedCore().name})`, () => {
    expect(missingPeerPackages()).toEqual([]);
    expect(githubProviderCore().name).toBe(loadedCore().name);
    expect(() => requirePeerPackages()).not.toThrow();
  });

  test('one error names every missing package and the command that installs them', () => {
    const peers = [() => ({}), notInstalled('@cdktn/provider-random'), notInstalled('@cdktn/provider-aws')];
    expect(missingPeerPackages(peers)).toEqual(['@cdktn/provider-random', '@cdktn/provider-aws']);
    expect(() => requirePeerPackages(peers)).toThrow(MissingPeerPackagesError);
    expect(new MissingPeerPackagesError(['@cdktn/provider-random', '@cdktn/provider-aws']).message).toBe(
      'cdktf-github-codepipeline-ci needs @cdktn/provider-random, @cdktn/provider-aws in your project (peer ' +
        'dependencies of the form you import; docs/cdktf-or-cdk-terrain.md says which packages go with which core). ' +
        'Install them: npm install @cdktn/provider-random @cdktn/provider-aws',
    );
  });

  describe("the other core's packages missing, in a project of the other core: the form to import instead", () => {
    const installedOnly =
      (...names: string[]) =>
      (name: string) =>
        names.includes(name);

    test("the cdktf form in a CDK Terrain project (cdktf there is cdktn, by the github provider's override)", () => {
      const missing = ['@cdktf/provider-aws', '@cdktf/provider-random'];
      const hint = otherFormHint(missing, installedOnly('cdktf', 'cdktn', 'constructs'));
      expect(hint).toBe(
        "Your project runs on CDK Terrain: import cdktf-github-codepipeline-ci/cdktn, the package's form for it, " +
          'instead. ',
      );
      expect(new MissingPeerPackagesError(missing, hint).message).toMatch(
        /\. Your project runs on CDK Terrain: .* instead\. Otherwise install them: npm install @cdktf\/provider-aws/,
      );
    });

    test('the cdktn form in a cdktf project', () => {
      const missing = ['cdktn', '@cdktn/provider-aws', '@cdktn/provider-random'];
      expect(otherFormHint(missing, installedOnly('cdktf', 'constructs'))).toBe(
        "Your project runs on cdktf: import cdktf-github-codepipeline-ci, the package's form for it, instead. ",
      );
    });

    test("no hint when the project has its form's core: a provider of its own core is missing", () => {
      expect(otherFormHint(['@cdktn/provider-random'], installedOnly('cdktf', 'cdktn'))).toBe('');
      expect(otherFormHint(['@cdktf/provider-random'], installedOnly('cdktf'))).toBe('');
      expect(otherFormHint(['@cdktf/provider-github'], installedOnly('cdktf'))).toBe('');
      expect(otherFormHint(['@cdktf/provider-github'], installedOnly('cdktf', 'cdktn'))).toBe('');
    });
  });

  test('an installed package that fails to load keeps its own error', () => {
    const broken = () => {
      throw new SyntaxError('Unexpected token in JSON');
    };
    expect(() => missingPeerPackages([broken])).toThrow(SyntaxError);
    const missingDependency = () => {
      throw Object.assign(new Error("Cannot find module 'semver'"), { code: 'MODULE_NOT_FOUND' });
    };
    expect(() => missingPeerPackages([missingDependency])).toThrow("Cannot find module 'semver'");
  });

  test('a github provider on another core is refused with the override that fixes it', () => {
    const error = new GithubProviderCoreError(
      { name: 'cdktn', version: '0.24.0' },
      { name: 'cdktf', version: '0.21.0' },
    );
    expect(error.message).toBe(
      'cdktf-github-codepipeline-ci: @cdktf/provider-github runs on cdktf 0.21.0 here, beside cdktn 0.24.0, ' +
        'and a resource of one core fails in a stack of the other. There is no @cdktn/provider-github yet: make the ' +
        'cdktf one run on cdktn by adding "overrides": { "cdktf": "npm:cdktn@^0.24.0" } to your package.json, then ' +
        'npm install (docs/cdktf-or-cdk-terrain.md).',
    );
  });
});
