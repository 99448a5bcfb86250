// The construct library's public face. The guardrails have their own entry
// point (`guardrails/index.ts`), and the app's machinery lives in `app/`.

// Shared vocabulary: validation, grants, the stack's AWS context, outputs.
export * from './core/aws-context';
export * from './core/checks';
export * from './core/grants';
export * from './core/stack-output';
export * from './core/validation';

// AWS building blocks.
export * from './aws/build-project';
export * from './aws/build-source';
export * from './aws/codebuild-action';
export * from './aws/encryption-key';
export * from './aws/failure-notifications';
export * from './aws/image-repository';
export * from './aws/pipeline';
export * from './aws/pipeline-action';
export * from './aws/registry-credentials';
export * from './aws/secure-bucket';
export * from './aws/service-role';

// GitHub building blocks.
export * from './github/github-connection-source';
export * from './github/github-webhook-source';
export * from './github/pipeline-source';
export * from './github/pull-request-builds';
export * from './github/source-repository';

// The composed pipeline.
export * from './ci-pipeline/build-environment';
export * from './ci-pipeline/ci-pipeline';
export * from './ci-pipeline/ci-pipeline-props';
export * from './ci-pipeline/troubleshooting';

// The stacks.
export * from './stacks/aws-provider';
export * from './stacks/ci-pipeline-stack';
export * from './stacks/github-connection-stack';
export * from './stacks/s3-backend';
export * from './stacks/terraform-version';
export * from './stacks/state-bootstrap-stack';
