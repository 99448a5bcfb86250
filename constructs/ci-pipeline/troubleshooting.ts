import { Fn } from 'cdktf';

/** The names of what an operator looks at when a build fails. */
export interface TroubleshootingTargets {
  readonly region: string;
  readonly pipelineName: string;
  readonly buildProjectName: string;
  readonly logGroupName: string;
}

/** Pages of the AWS console. */
export interface ConsoleUrls {
  /** The pipeline's page. */
  readonly pipeline: string;
  /** The build project's build history. */
  readonly buildProject: string;
  /** The build's log group. */
  readonly logGroup: string;
}

/** Ready-to-run AWS CLI commands for when a build fails. */
export interface TroubleshootingCommands {
  /** Each stage's latest execution and status. */
  readonly pipelineState: string;
  /** The project's most recent build IDs, newest first. */
  readonly listBuilds: string;
  /** The latest build's status, current phase, failed phases and log link. */
  readonly latestBuild: string;
  /** Follows the build logs as they are written. */
  readonly tailLogs: string;
}

/** The console pages of a pipeline, its build project and its logs. */
export function consoleUrls({
  region,
  pipelineName,
  buildProjectName,
  logGroupName,
}: TroubleshootingTargets): ConsoleUrls {
  return {
    pipeline: `${consoleHome(region)}/codesuite/codepipeline/pipelines/${pipelineName}/view?region=${region}`,
    buildProject: buildHistoryUrl(region, buildProjectName),
    // The console wants the log group's slashes escaped twice ("/" → "%2F" → "$252F").
    logGroup:
      `${consoleHome(region)}/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/` +
      `${Fn.replace(logGroupName, '/', '$252F')}`,
  };
}

const consoleHome = (region: string) => `https://${region}.console.aws.amazon.com`;

/** A build project's build history in the console. */
export const buildHistoryUrl = (region: string, projectName: string): string =>
  `${consoleHome(region)}/codesuite/codebuild/projects/${projectName}/history?region=${region}`;

/** AWS CLI commands that show why a build failed. */
export function troubleshootingCommands({
  region,
  pipelineName,
  buildProjectName,
  logGroupName,
}: TroubleshootingTargets): TroubleshootingCommands {
  return {
    pipelineState:
      `aws codepipeline get-pipeline-state --region ${region} --name ${pipelineName} --query ` +
      `'stageStates[].{stage: stageName, status: latestExecution.status}' --output table`,
    listBuilds:
      `aws codebuild list-builds-for-project --region ${region} --project-name ${buildProjectName} ` + `--max-items 10`,
    latestBuild: latestBuildCommand(region, buildProjectName),
    tailLogs: tailLogsCommand(region, logGroupName),
  };
}

/** The AWS CLI command that shows a project's latest build: status, phase, failed phases and log link. */
export function latestBuildCommand(region: string, projectName: string): string {
  const latestBuildId =
    `$(aws codebuild list-builds-for-project --region ${region} --project-name ${projectName} ` +
    `--query 'ids[0]' --output text)`;
  return (
    `aws codebuild batch-get-builds --region ${region} --ids "${latestBuildId}" ` +
    `--query "builds[0].{status: buildStatus, phase: currentPhase, failed: phases[?phaseStatus == ` +
    `'FAILED'].[phaseType, contexts[0].message], logs: logs.deepLink}"`
  );
}

/** The AWS CLI command that follows a log group. */
export const tailLogsCommand = (region: string, logGroupName: string): string =>
  `aws logs tail ${logGroupName} --region ${region} --since 1h --follow`;
