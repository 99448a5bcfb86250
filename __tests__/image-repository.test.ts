import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { ECR_AUTH_ACTIONS, ECR_PUSH_ACTIONS, ImageRepository } from '../constructs/image-repository';
import { ServiceRole } from '../constructs/service-role';
import { only, policyStatements, statement, synthScope } from './helpers';

const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/k';

describe('ImageRepository', () => {
  const { text, json } = synthScope((scope) => {
    const repository = new ImageRepository(scope, 'images', { repositoryName: 'app', encryptionKeyArn: KEY });
    repository.grantPush(new ServiceRole(scope, 'role', { roleName: 'builder', assumedBy: 'codebuild.amazonaws.com' }));
  });

  test('has immutable tags, scan on push and KMS encryption', () => {
    expect(text).toHaveResourceWithProperties(EcrRepository, {
      name: 'app',
      image_tag_mutability: 'IMMUTABLE',
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: 'KMS', kms_key: KEY }],
    });
  });

  test('expires untagged images and bounds the tagged ones', () => {
    const rules = JSON.parse(only(json, 'aws_ecr_lifecycle_policy').policy).rules;
    expect(rules.map((rule: any) => rule.selection)).toEqual([
      { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 },
      { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 100 },
    ]);
  });

  test('grants push on this repository and the unscopable login action on *', () => {
    const statements = policyStatements(json, 'role_permissions');
    expect(statement(statements, 'EcrLogin')).toMatchObject({ actions: ECR_AUTH_ACTIONS, resources: ['*'] });
    const push = statement(statements, 'EcrPushImages');
    expect(push.actions).toEqual(ECR_PUSH_ACTIONS);
    expect(push.resources).toEqual([expect.stringMatching(/^\$\{aws_ecr_repository\.images_repository_[0-9A-F]{8}\.arn\}$/)]);
  });

  test('rejects names ECR rejects', () => {
    expect(() => synthScope((scope) => new ImageRepository(scope, 'i', { repositoryName: 'App:latest', encryptionKeyArn: KEY }))).toThrow(
      /ImageRepository: invalid prop "repositoryName" = "App:latest"/,
    );
    expect(() => synthScope((scope) => new ImageRepository(scope, 'i', { repositoryName: 'app', encryptionKeyArn: KEY, maxImageCount: 0 }))).toThrow(
      /"maxImageCount" = 0/,
    );
  });
});
