import { Rule, simpleRule } from '../core/rule';
import { block, isTrue } from '../core/terraform-json';

const REPOSITORY = ['aws_ecr_repository'];

export const ECR_RULES: readonly Rule[] = [
  simpleRule({
    id: 'CKV_AWS_51',
    name: 'ECR image tags are immutable',
    explanation:
      'With MUTABLE tags, anyone allowed to push can replace the image behind a tag the pipeline or ' +
      "a deployment pulls, so what runs is not what was built and tested. Checkov's CKV_AWS_51 " +
      'checks the same: "Ensure ECR Image Tags are immutable".',
    targets: REPOSITORY,
    fix: 'set `image_tag_mutability = "IMMUTABLE"`',
    passes: ({ body }) => body.image_tag_mutability === 'IMMUTABLE',
    problem: ({ body }) =>
      `image_tag_mutability is ${JSON.stringify(body.image_tag_mutability ?? 'MUTABLE')}, so a pushed tag can be ` +
      `overwritten`,
  }),
  simpleRule({
    id: 'CKV_AWS_163',
    name: 'ECR scans images on push',
    explanation:
      'Without a scan on push, an image whose packages have published vulnerabilities is stored and ' +
      'deployed with no finding to warn anyone. Checkov\'s CKV_AWS_163 checks the same: "Ensure ECR ' +
      'image scanning on push is enabled".',
    targets: REPOSITORY,
    fix: 'set `image_scanning_configuration { scan_on_push = true }`',
    passes: ({ body }) => isTrue(block(body.image_scanning_configuration).scan_on_push),
    problem: 'image_scanning_configuration.scan_on_push is not true',
  }),
  simpleRule({
    id: 'CKV_AWS_136',
    name: 'ECR repositories are encrypted with KMS',
    explanation:
      'With the default AES256 encryption, pulling an image takes only ECR permissions; with KMS, ' +
      'the key policy is a second gate on the image layers and CloudTrail records each use of the ' +
      'key. Checkov\'s CKV_AWS_136 checks the same: "Ensure that ECR repositories are encrypted ' +
      'using KMS".',
    targets: REPOSITORY,
    fix: 'set `encryption_configuration { encryption_type = "KMS", kms_key = <key ARN> }`',
    passes: ({ body }) => block(body.encryption_configuration).encryption_type === 'KMS',
    problem: 'encryption_configuration.encryption_type is not KMS',
  }),
  simpleRule({
    id: 'CIP_ECR_1',
    name: 'ECR repositories have a lifecycle policy',
    explanation:
      'Without a lifecycle policy, every image a build pushes, untagged ones included, is stored ' +
      'and billed forever, and old images with known vulnerabilities stay pullable. A lifecycle ' +
      'policy expires images by age or count ("Creating a lifecycle policy for a repository in ' +
      'Amazon ECR", Amazon ECR User Guide).',
    targets: REPOSITORY,
    fix: 'add an `aws_ecr_lifecycle_policy` for the repository, so untagged and old images expire',
    passes: (repository, stack) => stack.attachedTo(repository, 'aws_ecr_lifecycle_policy', 'repository').length > 0,
    problem: 'no aws_ecr_lifecycle_policy refers to this repository, so images accumulate forever',
  }),
];
