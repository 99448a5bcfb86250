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
  const consoleHome = `https://${region}.console.aws.amazon.com`;
  return {
    pipeline: `${consoleHome}/codesuite/codepipeline/pipelines/${pipelineName}/view?region=${region}`,
    buildProject: `${consoleHome}/codesuite/codebuild/projects/${buildProjectName}/history?region=${region}`,
    // The console wants the log group's slashes escaped twice ("/" → "%2F" → "$252F").
    logGroup: `${consoleHome}/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${Fn.replace(logGroupName, '/', '$252F')}`,
  };
}

/** AWS CLI commands that show why a build failed. */
export function troubleshootingCommands({
  region,
  pipelineName,
  buildProjectName,
  logGroupName,
}: TroubleshootingTargets): TroubleshootingCommands {
  const latestBuildId = `$(aws codebuild list-builds-for-project --region ${region} --project-name ${buildProjectName} --query 'ids[0]' --output text)`;
  return {
    pipelineState: `aws codepipeline get-pipeline-state --region ${region} --name ${pipelineName} --query 'stageStates[].{stage: stageName, status: latestExecution.status}' --output table`,
    listBuilds: `aws codebuild list-builds-for-project --region ${region} --project-name ${buildProjectName} --max-items 10`,
    latestBuild:
      `aws codebuild batch-get-builds --region ${region} --ids "${latestBuildId}" ` +
      `--query "builds[0].{status: buildStatus, phase: currentPhase, failed: phases[?phaseStatus == 'FAILED'].[phaseType, contexts[0].message], logs: logs.deepLink}"`,
    tailLogs: `aws logs tail ${logGroupName} --region ${region} --since 1h --follow`,
  };
}
