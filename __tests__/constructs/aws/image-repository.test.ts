import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { ImageRepository } from '../../../constructs/aws/image-repository';
import { ServiceRole } from '../../../constructs/aws/service-role';
import { ECR_AUTH_ACTIONS, ECR_PUSH_ACTIONS } from '../../../shared/iam-actions';
import { contextArn, statement, synth, Synthesized } from '../../helpers';

const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/k';

describe('ImageRepository', () => {
  let stack: Synthesized;
  beforeAll(() => {
    stack = synth((scope) => {
      const repository = new ImageRepository(scope, 'images', { repositoryName: 'app', encryptionKeyArn: KEY });
      repository.grantPush(
        new ServiceRole(scope, 'role', { roleName: 'builder', assumedBy: 'codebuild.amazonaws.com' }),
      );
    });
  });

  test('has immutable tags, scan on push and KMS encryption', () => {
    expect(stack.text).toHaveResourceWithProperties(EcrRepository, {
      name: 'app',
      image_tag_mutability: 'IMMUTABLE',
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: 'KMS', kms_key: KEY }],
    });
  });

  test('expires untagged images and bounds the tagged ones', () => {
    const rules = JSON.parse(stack.at('images/lifecycle').policy).rules;
    expect(rules.map((rule: any) => rule.selection)).toEqual([
      { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 },
      { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 100 },
    ]);
  });

  test('grants push on this repository and the unscopable login action on *', () => {
    const statements = stack.statements('role/permissions');
    expect(statement(statements, 'EcrLogin')).toMatchObject({ actions: ECR_AUTH_ACTIONS, resources: ['*'] });
    expect(statement(statements, 'EcrPushImages')).toMatchObject({
      actions: ECR_PUSH_ACTIONS,
      resources: [contextArn(stack, 'ecr', 'repository/app')],
    });
  });

  test('rejects names ECR rejects, and counts out of range', () => {
    expect(() =>
      synth((scope) => new ImageRepository(scope, 'i', { repositoryName: 'App:latest', encryptionKeyArn: KEY })),
    ).toThrow(/ImageRepository at stack\/i: invalid prop "repositoryName" = "App:latest"/);
    expect(() =>
      synth(
        (scope) => new ImageRepository(scope, 'i', { repositoryName: 'app', encryptionKeyArn: KEY, maxImageCount: 0 }),
      ),
    ).toThrow(/"maxImageCount" = 0/);
  });
});
