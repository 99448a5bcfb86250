/**
 * Days a log group keeps its events at least: AWS Config's managed rule `cw-loggroup-retention-period-check` uses 365
 * as its default `MinRetentionTime`, a year back for troubleshooting and forensics. The constructs keep build logs
 * that long by default, and the guardrails report a shorter period unless it was chosen on purpose.
 */
export const MIN_LOG_RETENTION_DAYS = 365;
