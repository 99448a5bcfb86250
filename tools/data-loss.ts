/**
 * What a plan destroys that Terraform cannot bring back: the one list `plan-summary` reads to flag a replacement or
 * deletion that loses data or history. Each entry cites the owning service's page that says what its deletion takes
 * with it.
 *
 * Two rules, in this order:
 * 1. A type in {@link DATA_LOSING_RESOURCE_TYPES} loses what its entry says.
 * 2. Any other type whose prior state has one of the provider's data-guard arguments ({@link DATA_GUARD_ARGUMENTS}:
 *    a final snapshot, a deletion or recovery window, deletion protection, force_destroy), or a setting of how long
 *    it retains data (any `*retention*` key, at any depth), holds data: the provider offers the argument because the
 *    resource keeps data that destroying it destroys. The key's presence in the plan's `before` is the provider's
 *    schema speaking, so this covers types no one listed here.
 *
 * {@link DATA_FREE_RESOURCE_TYPES} names the types that hold no data, each with why: those this project synthesizes (a
 * test holds every type in the golden outputs to exactly one of the two lists, so a new type cannot go unjudged), and
 * those whose data-guard argument guards something else.
 */

/** What destroying a resource of one type loses, and the page that says so. */
export interface DataLoss {
  /** What is lost, for the reviewer. */
  readonly loses: string;
  /** The owning service's documentation of what deletion takes with it. */
  readonly documentation: string;
}

/** Resource types whose replacement or deletion loses data or history, with what is lost and the owning page. */
export const DATA_LOSING_RESOURCE_TYPES: Readonly<Record<string, DataLoss>> = {
  aws_s3_bucket: {
    loses: 'every object in the bucket (with force_destroy; without it the deletion fails on a bucket not empty)',
    documentation: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/delete-bucket.html',
  },
  aws_s3_directory_bucket: {
    loses: 'every object in the bucket (with force_destroy; without it the deletion fails on a bucket not empty)',
    documentation: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/directory-bucket-delete.html',
  },
  aws_s3_object: {
    loses: 'the object (in a versioned bucket, its current version gets a delete marker)',
    documentation: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeletingObjects.html',
  },
  aws_kms_key: {
    loses:
      'the key, after its deletion window (7 to 30 days): everything encrypted with it, Terraform state and ' +
      'artifacts included, can no longer be decrypted',
    documentation: 'https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html',
  },
  aws_kms_replica_key: {
    loses: 'the replica key, after its deletion window: what was encrypted under it in its region',
    documentation: 'https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html',
  },
  aws_secretsmanager_secret: {
    loses: 'the secret and every version of its value, after the recovery window (7 to 30 days, or at once with 0)',
    documentation: 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/manage_delete-secret.html',
  },
  aws_secretsmanager_secret_version: {
    loses:
      'this version of the value: it loses its staging labels, and Secrets Manager deletes versions without labels',
    documentation: 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/whats-in-a-secret.html',
  },
  aws_ssm_parameter: {
    loses: 'the parameter and its version history',
    documentation: 'https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DeleteParameter.html',
  },
  aws_ecr_repository: {
    loses: 'every image in the repository (with force_delete; without it the deletion fails while images remain)',
    documentation: 'https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-delete.html',
  },
  aws_ecrpublic_repository: {
    loses: 'every image in the repository (with force_destroy; without it the deletion fails while images remain)',
    documentation: 'https://docs.aws.amazon.com/AmazonECR/latest/public/public-repository-delete.html',
  },
  aws_cloudwatch_log_group: {
    loses: 'every log event in the group, for as long as its retention kept them (up to 10 years, or forever)',
    documentation: 'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DeleteLogGroup.html',
  },
  aws_cloudwatch_log_stream: {
    loses: 'every log event in the stream',
    documentation: 'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DeleteLogStream.html',
  },
  aws_codebuild_report_group: {
    loses: 'every test report in the group (with delete_reports; without it the deletion fails while reports remain)',
    documentation: 'https://docs.aws.amazon.com/codebuild/latest/APIReference/API_DeleteReportGroup.html',
  },
  aws_dynamodb_table: {
    loses: 'every item in the table (a Terraform lock table: the locks held)',
    documentation: 'https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteTable.html',
  },
  aws_dynamodb_table_item: {
    loses: 'the item, and whatever was written to it since Terraform put it',
    documentation: 'https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteItem.html',
  },
  aws_efs_file_system: {
    loses: 'every file in the file system',
    documentation: 'https://docs.aws.amazon.com/efs/latest/ug/delete-efs-fs.html',
  },
  aws_ebs_volume: {
    loses: 'the data on the volume',
    documentation: 'https://docs.aws.amazon.com/ebs/latest/userguide/ebs-deleting-volume.html',
  },
  aws_ebs_snapshot: {
    loses: 'the snapshot',
    documentation: 'https://docs.aws.amazon.com/ebs/latest/userguide/ebs-deleting-snapshot.html',
  },
  aws_sqs_queue: {
    loses: 'every message in the queue',
    documentation: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteQueue.html',
  },
  aws_kinesis_stream: {
    loses: 'every record in the stream',
    documentation: 'https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DeleteStream.html',
  },
  aws_opensearch_domain: {
    loses: 'every index and document in the domain',
    documentation: 'https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_DeleteDomain.html',
  },
  aws_glacier_vault: {
    loses: 'the vault (only an empty vault can be deleted; its archives must go first)',
    documentation: 'https://docs.aws.amazon.com/amazonglacier/latest/dev/deleting-vaults.html',
  },
  aws_backup_vault: {
    loses: 'the recovery points in the vault (with force_destroy; without it the deletion fails while they remain)',
    documentation: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/delete-a-vault.html',
  },
  aws_instance: {
    loses: 'the data on its volumes that are deleted on termination (the root volume, by default)',
    documentation: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_TerminateInstances.html',
  },
  aws_lightsail_instance: {
    loses: "the instance's system disk",
    documentation: 'https://docs.aws.amazon.com/lightsail/2016-11-28/api-reference/API_DeleteInstance.html',
  },
  aws_acm_certificate: {
    loses: 'the issued certificate: a new one must be validated again before anything can use it',
    documentation: 'https://docs.aws.amazon.com/acm/latest/APIReference/API_DeleteCertificate.html',
  },
  aws_api_gateway_api_key: {
    loses: 'the generated key value: every client holding it must be given a new one',
    documentation: 'https://docs.aws.amazon.com/apigateway/latest/api/API_DeleteApiKey.html',
  },
  aws_glue_catalog_database: {
    loses: "the database's tables and their partitions",
    documentation: 'https://docs.aws.amazon.com/glue/latest/webapi/API_DeleteDatabase.html',
  },
  aws_glue_catalog_table: {
    loses: "the table's definition and partitions",
    documentation: 'https://docs.aws.amazon.com/glue/latest/webapi/API_DeleteTable.html',
  },
  aws_codeartifact_repository: {
    loses: 'every package version published to the repository',
    documentation: 'https://docs.aws.amazon.com/codeartifact/latest/ug/delete-repo.html',
  },
  aws_cloudwatch_event_archive: {
    loses: 'every event in the archive, which can no longer be replayed',
    documentation: 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-archive-delete.html',
  },
  aws_sfn_state_machine: {
    loses: 'its running executions, which are stopped, and their history',
    documentation: 'https://docs.aws.amazon.com/step-functions/latest/apireference/API_DeleteStateMachine.html',
  },
  aws_kinesis_firehose_delivery_stream: {
    loses: 'the records it has buffered and not yet delivered',
    documentation: 'https://docs.aws.amazon.com/firehose/latest/APIReference/API_DeleteDeliveryStream.html',
  },
  aws_timestreamwrite_database: {
    loses: 'the tables in the database and their records',
    documentation: 'https://docs.aws.amazon.com/timestream/latest/developerguide/API_DeleteDatabase.html',
  },
  aws_timestreamwrite_table: {
    loses: 'every record in the table',
    documentation: 'https://docs.aws.amazon.com/timestream/latest/developerguide/API_DeleteTable.html',
  },
  aws_codecommit_repository: {
    loses: "the repository's code, branches and history",
    documentation: 'https://docs.aws.amazon.com/codecommit/latest/APIReference/API_DeleteRepository.html',
  },
  aws_sns_topic: {
    loses:
      'every subscription to the topic, those made outside Terraform included; e-mail ones must be confirmed again',
    documentation: 'https://docs.aws.amazon.com/sns/latest/api/API_DeleteTopic.html',
  },
  // A subscription is confirmed by its recipient, not by Terraform: a new one delivers nothing until then.
  aws_sns_topic_subscription: {
    loses:
      'the confirmed subscription: a new one receives nothing until its recipient follows the link in the ' +
      'confirmation message SNS sends, before its token expires',
    documentation: 'https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html',
  },
  // CodeBuild makes the GitHub hook and its secret itself.
  aws_codebuild_webhook: {
    loses:
      'the GitHub webhook CodeBuild created, with its delivery history: a new one gets a new secret, and pull ' +
      'requests opened or pushed meanwhile are not built, so a required status check never reports on them until ' +
      'they are pushed again',
    documentation: 'https://docs.aws.amazon.com/codebuild/latest/APIReference/API_DeleteWebhook.html',
  },
  aws_codestarconnections_connection: {
    loses: 'the approved GitHub connection: a new one stays PENDING until someone approves it in the console',
    documentation: 'https://docs.aws.amazon.com/dtconsole/latest/userguide/connections-update.html',
  },
  github_repository: {
    loses:
      "the repository's code, issues, pull requests and settings: archive_on_destroy is off, so it is deleted, not " +
      'archived',
    documentation: 'https://docs.github.com/en/repositories/creating-and-managing-repositories/deleting-a-repository',
  },
  github_repository_file: {
    loses: "the file on the branch: a commit deletes it (the branch's history keeps the old content)",
    documentation: 'https://docs.github.com/en/rest/repos/contents#delete-a-file',
  },
  github_actions_secret: {
    loses: 'the secret value: GitHub never returns it, so it must be set again from its source',
    documentation: 'https://docs.github.com/en/rest/actions/secrets#delete-a-repository-secret',
  },
  github_actions_environment_secret: {
    loses: 'the secret value: GitHub never returns it, so it must be set again from its source',
    documentation: 'https://docs.github.com/en/rest/actions/secrets#delete-an-environment-secret',
  },
  github_actions_organization_secret: {
    loses: 'the secret value: GitHub never returns it, so it must be set again from its source',
    documentation: 'https://docs.github.com/en/rest/actions/secrets#delete-an-organization-secret',
  },
  github_dependabot_secret: {
    loses: 'the secret value: GitHub never returns it, so it must be set again from its source',
    documentation: 'https://docs.github.com/en/rest/dependabot/secrets#delete-a-repository-secret',
  },
  github_repository_environment: {
    loses: "the environment's secrets, variables and deployment history",
    documentation: 'https://docs.github.com/en/rest/deployments/environments#delete-an-environment',
  },
  random_password: {
    loses: 'the generated value: everything that uses it gets a new one',
    documentation: 'https://registry.terraform.io/providers/hashicorp/random/latest/docs/resources/password',
  },
};

/**
 * Arguments a provider offers because destroying the resource destroys data: a final snapshot, a deletion or recovery
 * window, deletion protection, the choice to delete reports or automated backups. Read from the plan's prior state,
 * where every argument of the type's schema appears.
 */
export const DATA_GUARD_ARGUMENTS: readonly string[] = [
  // Offered where destroying empties a store first (buckets, objects, hosted zones, vaults, query results).
  'force_destroy',
  'final_snapshot_identifier',
  'skip_final_snapshot',
  'deletion_window_in_days',
  'recovery_window_in_days',
  'deletion_protection',
  'delete_automated_backups',
  'delete_reports',
];

/**
 * Types that hold no data: those this project synthesizes, and those whose data-guard argument guards something
 * else. Re-creating one restores all that destroying it lost.
 */
export const DATA_FREE_RESOURCE_TYPES: Readonly<Record<string, string>> = {
  // https://docs.aws.amazon.com/codebuild/latest/userguide/delete-project.html
  aws_codebuild_project: 'its builds are kept when the project is deleted',
  aws_codepipeline: 'its definition is in the configuration; its artifacts are in the artifact bucket',
  aws_codepipeline_webhook: "its URL and secret are in the configuration and in the repository's webhook",
  aws_codestarnotifications_notification_rule: 'its definition is in the configuration',
  aws_ecr_lifecycle_policy: 'a policy, in the configuration',
  aws_iam_role: 'a role, in the configuration',
  aws_iam_role_policy: 'a policy, in the configuration',
  aws_iam_role_policy_attachment: "a policy's attachment to a role; the policy itself is not touched",
  aws_iam_policy: 'a managed policy: its document is in the configuration, and its versions hold no data',
  aws_kms_alias: 'a name for the key; the key itself is not touched',
  aws_s3_bucket_lifecycle_configuration: 'rules, in the configuration; deleting them expires nothing',
  aws_s3_bucket_ownership_controls: 'a setting, in the configuration',
  aws_s3_bucket_policy: 'a policy, in the configuration',
  aws_s3_bucket_public_access_block: 'a setting, in the configuration',
  aws_s3_bucket_server_side_encryption_configuration: 'a setting; existing objects keep their encryption',
  aws_s3_bucket_versioning: "destroying it suspends versioning; the bucket's versions are kept",
  aws_sns_topic_policy: 'a policy, in the configuration',
  github_branch_default: 'a setting of the repository',
  github_branch_protection: 'rules, in the configuration',
  github_repository_dependabot_security_updates: 'a setting of the repository',
  github_repository_webhook: 'its URL and secret are in the configuration',
  // Types whose `force_destroy` (a data-guard argument) guards something other than data, per the provider's docs.
  aws_cloudwatch_event_rule: 'force_destroy deletes a rule another service manages; the rule holds no data',
  aws_cloudwatch_event_target: 'force_destroy deletes a target of a managed rule; the target holds no data',
  aws_default_vpc: 'network configuration; force_destroy deletes the default VPC itself',
  aws_default_subnet: 'network configuration; force_destroy deletes the default subnet itself',
  aws_dx_lag: 'a link aggregation group; force_destroy deletes its connections',
  aws_service_discovery_service: 'instance registrations, which their services register again',
  aws_redshift_snapshot_schedule: 'a schedule; force_destroy detaches it from its clusters, whose snapshots stay',
  // Types with a retention setting that configure how long something else keeps its data.
  aws_backup_vault_lock_configuration: "a lock on a vault's retention; the vault keeps its recovery points",
  aws_config_retention_configuration: 'how long AWS Config keeps history; the history stays with Config',
  aws_rbin_rule: 'a Recycle Bin rule; resources already in the bin stay until their retention ends',
  aws_drs_replication_configuration_template: 'a template for replication settings',
  aws_chime_voice_connector_streaming: 'a streaming setting of a voice connector',
  aws_connect_instance_storage_config: 'where an Amazon Connect instance stores data; the data stays there',
  aws_glue_catalog_table_optimizer: 'an optimizer of a table; the table keeps its data',
  aws_db_instance_automated_backups_replication: "a replication of backups; the source instance's backups stay",
  aws_prometheus_workspace_configuration: "a workspace's settings; the workspace keeps its data",
  aws_redshift_snapshot_copy: 'a copy setting; snapshots already copied stay',
  aws_storagegateway_tape_pool: 'a pool setting; tapes keep their data',
};

/**
 * Settings under which destroying a listed type keeps what it holds: a repository with `archive_on_destroy` is
 * archived, not deleted (integrations/github, github_repository).
 */
const KEPT_WHEN: Readonly<Record<string, (before: Record<string, unknown>) => boolean>> = {
  github_repository: (before) => before.archive_on_destroy === true,
  // Only e-mail and HTTP(S) endpoints confirm a subscription; SQS, Lambda, Firehose and mobile endpoints of the
  // account are subscribed at once (SNS API Reference, "Subscribe").
  aws_sns_topic_subscription: (before) =>
    typeof before.protocol === 'string' && !['email', 'email-json', 'http', 'https'].includes(before.protocol),
};

/** The first key anywhere in a prior state that names how long the resource keeps data (`retention_in_days`, ...). */
function retentionSetting(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = retentionSetting(item);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, nested] of Object.entries(value)) {
    if (key.includes('retention') && nested !== null && nested !== undefined) return key;
    const found = retentionSetting(nested);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** What a replaced or deleted resource of `type` loses, judged from its prior state `before`; undefined if nothing. */
export function dataLossOf(type: string, before: unknown): DataLoss | undefined {
  const prior = typeof before === 'object' && before !== null ? (before as Record<string, unknown>) : undefined;
  const listed = DATA_LOSING_RESOURCE_TYPES[type];
  if (listed !== undefined) return prior !== undefined && KEPT_WHEN[type]?.(prior) ? undefined : listed;
  if (prior === undefined || type in DATA_FREE_RESOURCE_TYPES) return undefined;
  const guard = DATA_GUARD_ARGUMENTS.find((argument) => argument in prior) ?? retentionSetting(prior);
  if (guard === undefined) return undefined;
  return {
    loses: `the data it holds: its provider offers \`${guard}\` because destroying it destroys data`,
    documentation: `the provider's documentation of ${type}, argument ${guard}`,
  };
}
