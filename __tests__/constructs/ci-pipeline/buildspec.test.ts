import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildStacks } from '../../../main';
import { DEFAULT_CONFIG_PATH, loadConfigFile, parseConfig } from '../../../config/load';
import { parse } from 'yaml';
import { UNIT_TEST_REPORT_KEY } from '../../../constructs/aws/build-project';
import { BUILD_ENVIRONMENT_VARIABLES } from '../../../constructs/ci-pipeline/build-environment';
import { pipInstalls } from '../../sample-app-requirements';
import { testApp } from '../../helpers';

const ROOT = resolve(__dirname, '..', '..', '..');
const text = readFileSync(join(ROOT, 'sample-flask-app', 'buildspec.yml'), 'utf8');
const buildspec = parse(text);
const commands: string[] = Object.values<any>(buildspec.phases).flatMap((phase) => phase.commands ?? []);
const script = commands.join('\n');

/** Variables CodeBuild sets itself. */
const isBuiltIn = (name: string) =>
  name.startsWith('CODEBUILD_') || name.startsWith('AWS_') || ['HOME', 'PATH'].includes(name);

describe('sample-flask-app/buildspec.yml', () => {
  test('is a version 0.2 buildspec that stops at the first failing phase', () => {
    expect(buildspec.version).toBe(0.2);
    expect(Object.keys(buildspec.phases)).toEqual(['install', 'pre_build', 'build']);
    for (const phase of Object.values<any>(buildspec.phases)) expect(phase['on-failure']).toBe('ABORT');
  });

  test('uses exactly the environment variables the construct provides', () => {
    const referenced = new Set([...script.matchAll(/\$\{?([A-Z_][A-Z0-9_]*)/g)].map((match) => match[1]));
    const assigned = new Set([...script.matchAll(/^\s*([A-Z_][A-Z0-9_]*)=/gm)].map((match) => match[1]));
    const fromConstruct = [...referenced].filter((name) => !isBuiltIn(name) && !assigned.has(name)).sort();
    expect(fromConstruct).toEqual(Object.keys(BUILD_ENVIRONMENT_VARIABLES).sort());
  });

  test('runs the tests into the report group the construct creates', () => {
    expect(Object.keys(buildspec.reports)).toEqual([UNIT_TEST_REPORT_KEY]);
    const report = buildspec.reports[UNIT_TEST_REPORT_KEY];
    expect(report['file-format']).toBe('JUNITXML');
    expect(script).toContain(`--junitxml="$CODEBUILD_SRC_DIR/${report['base-directory']}/${report.files[0]}"`);
  });

  test('logs in with --password-stdin, tags with the commit, pushes, and writes imagedefinitions.json', () => {
    expect(script).toMatch(
      /printf '%s' "\$DOCKERHUB_PASSWORD" \| docker login --username "\$DOCKERHUB_USERNAME" --password-stdin/,
    );
    expect(script).toMatch(
      /aws ecr get-login-password .* \| docker login --username AWS --password-stdin "\$ECR_REGISTRY"/,
    );
    expect(script).not.toMatch(/docker login[^\n|]*--password[= ](?!-stdin)/);
    expect(script).toContain('IMAGE_TAG="$CODEBUILD_RESOLVED_SOURCE_VERSION"');
    expect(script).toContain('docker push "$IMAGE_REPOSITORY_URI:$IMAGE_TAG"');
    expect(script).toMatch(
      /if \[ "\$PUSH_LATEST_TAG" = "true" \]; then[\s\S]*docker push "\$IMAGE_REPOSITORY_URI:latest"/,
    );
    expect(buildspec.artifacts.files).toEqual(['imagedefinitions.json']);
    expect(script).toContain('> "$CODEBUILD_SRC_DIR/imagedefinitions.json"');
  });

  test('installs the hash-pinned requirements in the install phase, before the tests run', () => {
    const installs = pipInstalls(buildspec.phases.install.commands.join('\n'));
    expect(installs).toEqual([
      {
        args: expect.arrayContaining(['--require-hashes', '--only-binary=:all:']),
        files: ['requirements.txt', 'requirements-dev.txt'],
      },
    ]);
    expect(pipInstalls(script)).toHaveLength(1);
    expect(
      buildspec.phases.pre_build.commands.findIndex((command: string) => command.startsWith('python -m pytest')),
    ).toBeGreaterThan(0);
  });

  test('works from the app directory the construct configures', () => {
    expect(
      commands
        .filter((command) => command.startsWith('cd '))
        .every((command) => command === 'cd "$CODEBUILD_SRC_DIR/$APP_DIR"'),
    ).toBe(true);
    const appPath = loadConfigFile(DEFAULT_CONFIG_PATH).pipelines[0].appPath ?? '.';
    expect(readFileSync(join(ROOT, appPath, 'buildspec.yml'), 'utf8')).toBe(text);
  });
});

/**
 * Runs the buildspec's commands, phase by phase in one bash (buildspec 0.2 keeps
 * one shell; `on-failure: ABORT` stops at the first failure), with the variables
 * a synthesized project sets and stand-ins for docker, aws and python that
 * record how they were called. Secret variables get placeholders.
 */
function runBuildspec(variables: readonly { name: string; value: string; type: string }[]): {
  status: number | null;
  calls: string[];
  files: string[];
  stderr: string;
} {
  const root = mkdtempSync(join(tmpdir(), 'buildspec-'));
  try {
    const bin = join(root, 'bin');
    const source = join(root, 'src');
    mkdirSync(bin);
    const environment: Record<string, string> = {
      PATH: `${bin}:/usr/bin:/bin`,
      CODEBUILD_SRC_DIR: source,
      CODEBUILD_RESOLVED_SOURCE_VERSION: 'a'.repeat(40),
      AWS_REGION: 'eu-west-1',
      CALLS: join(root, 'calls'),
    };
    for (const variable of variables) {
      // References known only after apply (an ECR repository's URL) become a value of their shape.
      const value =
        variable.type === 'PLAINTEXT'
          ? variable.value.replace(/\$\{[^}]+\}/g, 'resolved')
          : `placeholder-${variable.name.toLowerCase()}`;
      environment[variable.name] = value;
    }
    mkdirSync(join(source, environment.APP_DIR ?? '.'), { recursive: true });
    for (const tool of ['docker', 'aws', 'python']) {
      writeFileSync(
        join(bin, tool),
        `#!/bin/bash\necho "${tool} $*" >> "$CALLS"\n[ "${tool}" = aws ] && echo token\nexit 0\n`,
      );
      chmodSync(join(bin, tool), 0o755);
    }
    const script = ['set -e', ...Object.values<any>(buildspec.phases).flatMap((phase) => phase.commands ?? [])].join(
      '\n',
    );
    const result = spawnSync('bash', ['--norc', '--noprofile', '-c', script], { env: environment, encoding: 'utf8' });
    const calls = spawnSync('cat', [environment.CALLS], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter((line) => line !== '');
    const files = spawnSync('find', [source, '-type', 'f'], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter((line) => line !== '')
      .map((file) => file.slice(source.length + 1));
    return { status: result.status, calls, files, stderr: result.stderr };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe('the buildspec, run with the variables of both synthesized projects', () => {
  const document = JSON.parse(readFileSync(DEFAULT_CONFIG_PATH, 'utf8'));
  const ecr = {
    ...document,
    pipelines: [{ ...document.pipelines[0], registry: { type: 'ecr', image: 'sample-flask-app' } }],
  };
  const synthesizeProjects = (config: unknown) => {
    const json: any = JSON.parse(
      JSON.stringify(buildStacks(testApp(), parseConfig(config)).pipelines[0].toTerraform()),
    );
    const projects = Object.values<any>(json.resource.aws_codebuild_project);
    const at = (suffix: string) =>
      projects.find((project) => project['//'].metadata.path.endsWith(suffix)).environment.environment_variable;
    return { pipeline: at('ci/build/project'), pullRequest: at('ci/pull-request-build/project') };
  };
  // One synth per configuration, shared by its two tests, which only read the variables.
  const synthesized = new Map<unknown, { pipeline: any; pullRequest: any }>();
  const projectsOf = (config: unknown) => {
    if (!synthesized.has(config)) synthesized.set(config, synthesizeProjects(config));
    return synthesized.get(config)!;
  };

  test.each([
    ['Docker Hub', document],
    ['ECR', ecr],
  ])("with %s, the pipeline's build logs in, tests, builds, pushes and writes imagedefinitions.json", (_, config) => {
    const run = runBuildspec(projectsOf(config).pipeline);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.calls.some((call) => call.startsWith('docker login'))).toBe(true);
    expect(run.calls.filter((call) => call.startsWith('python -m pytest'))).toHaveLength(1);
    expect(run.calls.filter((call) => call.startsWith('docker push'))).not.toHaveLength(0);
    expect(run.files).toContain('imagedefinitions.json');
  });

  test.each([
    ['Docker Hub', document],
    ['ECR', ecr],
  ])('with %s, the pull-request build tests and builds the image, and neither logs in nor pushes', (_, config) => {
    const run = runBuildspec(projectsOf(config).pullRequest);
    expect(run.status).toBe(0);
    expect(run.calls.filter((call) => call.startsWith('python -m pytest'))).toHaveLength(1);
    expect(run.calls.filter((call) => call.startsWith('docker build'))).toEqual([
      `docker build --tag local/sample-flask-app:${'a'.repeat(40)} .`,
    ]);
    expect(run.calls.filter((call) => /^(docker (login|push|tag)|aws ecr)/.test(call))).toEqual([]);
    expect(run.files).not.toContain('imagedefinitions.json');
  });
});
