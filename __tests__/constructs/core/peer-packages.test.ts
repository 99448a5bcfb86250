import { loadedCore } from '../../../app/loaded-core';
import {
  GithubProviderCoreError,
  githubProviderCore,
  MissingPeerPackagesError,
  missingPeerPackages,
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
    expect(() => requirePeerPackages(peers)).toThrow(
      'cdktf-github-codepipeline-ci needs @cdktn/provider-random, @cdktn/provider-aws in your project (peer ' +
        'dependencies of the form you import; docs/cdktf-or-cdk-terrain.md says which packages go with which core). ' +
        'Install them: npm install @cdktn/provider-random @cdktn/provider-aws',
    );
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
    expect(new GithubProviderCoreError({ name: 'cdktn', version: '0.24.0' }).message).toBe(
      'cdktf-github-codepipeline-ci: @cdktf/provider-github runs on a core of its own here, not on cdktn 0.24.0, ' +
        'and a resource of one core fails in a stack of the other. There is no @cdktn/provider-github yet: make the ' +
        'cdktf one run on cdktn by adding "overrides": { "cdktf": "npm:cdktn@^0.24.0" } to your package.json, then ' +
        'npm install (docs/cdktf-or-cdk-terrain.md).',
    );
  });
});
