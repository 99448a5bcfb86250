import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { DEFAULT_CONFIG_PATH, loadConfigFile } from '../../../config/load';
import { UNIT_TEST_REPORT_KEY } from '../../../constructs/aws/build-project';
import { BUILD_ENVIRONMENT_VARIABLES } from '../../../constructs/ci-pipeline/build-environment';
import { pipInstalls } from '../../sample-app-requirements';

const ROOT = resolve(__dirname, '..', '..', '..');
const text = readFileSync(join(ROOT, 'sample-flask-app', 'buildspec.yml'), 'utf8');
const buildspec = parse(text);
const commands: string[] = Object.values<any>(buildspec.phases).flatMap((phase) => phase.commands ?? []);
const script = commands.join('\n');

/** Variables CodeBuild sets itself. */
const isBuiltIn = (name: string) => name.startsWith('CODEBUILD_') || name.startsWith('AWS_') || ['HOME', 'PATH'].includes(name);

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
    expect(script).toMatch(/printf '%s' "\$DOCKERHUB_PASSWORD" \| docker login --username "\$DOCKERHUB_USERNAME" --password-stdin/);
    expect(script).toMatch(/aws ecr get-login-password .* \| docker login --username AWS --password-stdin "\$ECR_REGISTRY"/);
    expect(script).not.toMatch(/docker login[^\n|]*--password[= ](?!-stdin)/);
    expect(script).toContain('IMAGE_TAG="$CODEBUILD_RESOLVED_SOURCE_VERSION"');
    expect(script).toContain('docker push "$IMAGE_REPOSITORY_URI:$IMAGE_TAG"');
    expect(script).toMatch(/if \[ "\$PUSH_LATEST_TAG" = "true" \]; then[\s\S]*docker push "\$IMAGE_REPOSITORY_URI:latest"/);
    expect(buildspec.artifacts.files).toEqual(['imagedefinitions.json']);
    expect(script).toContain('> "$CODEBUILD_SRC_DIR/imagedefinitions.json"');
  });

  test('installs the hash-pinned requirements in the install phase, before the tests run', () => {
    const installs = pipInstalls(buildspec.phases.install.commands.join('\n'));
    expect(installs).toEqual([{ args: expect.arrayContaining(['--require-hashes', '--only-binary=:all:']), files: ['requirements.txt', 'requirements-dev.txt'] }]);
    expect(pipInstalls(script)).toHaveLength(1);
    expect(buildspec.phases.pre_build.commands.findIndex((command: string) => command.startsWith('python -m pytest'))).toBeGreaterThan(0);
  });

  test('works from the app directory the construct configures', () => {
    expect(commands.filter((command) => command.startsWith('cd ')).every((command) => command === 'cd "$CODEBUILD_SRC_DIR/$APP_DIR"')).toBe(true);
    const appPath = loadConfigFile(DEFAULT_CONFIG_PATH).pipelines[0].appPath ?? '.';
    expect(readFileSync(join(ROOT, appPath, 'buildspec.yml'), 'utf8')).toBe(text);
  });
});
