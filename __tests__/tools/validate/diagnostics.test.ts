import {
  ALLOWED_WARNINGS,
  classify,
  Diagnostic,
  formatDiagnostic,
  readPlanLog,
} from '../../../tools/validate/diagnostics';

const github = ALLOWED_WARNINGS[0].summary;
const warning = (summary: string, address?: string): Diagnostic => ({ severity: 'warning', summary, address });

describe("Terraform's diagnostics", () => {
  test('only the listed warnings are allowed; any other warning fails, as every error does', () => {
    const { failing, allowed } = classify([
      warning(github, 'module.ci-app.aws_codepipeline.p'),
      warning('Deprecated attribute', 'module.ci-app.aws_s3_bucket.b'),
      { severity: 'error', summary: 'Invalid value', address: 'module.ci-app__literals.aws_codebuild_project.p' },
    ]);
    expect(allowed.map((diagnostic) => diagnostic.summary)).toEqual([github]);
    expect(failing.map(formatDiagnostic)).toEqual([
      'warning in ci-app: aws_s3_bucket.b: Deprecated attribute',
      'error in ci-app (with literals): aws_codebuild_project.p: Invalid value',
    ]);
  });

  test('a diagnostic that validate and plan both report counts once', () => {
    expect(
      classify([warning('Deprecated attribute', 'module.x.a.b'), warning('Deprecated attribute', 'module.x.a.b')])
        .failing,
    ).toHaveLength(1);
  });

  test("reads the plan's JSON log: diagnostics and Terraform's own counts", () => {
    const log = [
      JSON.stringify({ type: 'version', terraform: '1.11.4' }),
      JSON.stringify({ type: 'diagnostic', diagnostic: { severity: 'warning', summary: github } }),
      JSON.stringify({
        type: 'change_summary',
        changes: { add: 58, change: 0, import: 0, remove: 0, operation: 'plan' },
      }),
    ].join('\n');
    expect(readPlanLog(log)).toEqual({
      diagnostics: [{ severity: 'warning', summary: github }],
      changes: { add: 58, change: 0, import: 0, remove: 0, operation: 'plan' },
    });
  });
});
