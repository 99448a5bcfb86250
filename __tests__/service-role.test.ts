import { TerraformStack, Testing } from 'cdktf';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { ServiceRole } from '../constructs/service-role';
import { policyStatements, statement, synthScope } from './helpers';

describe('ServiceRole', () => {
  test('is assumable by exactly one service and holds exactly the granted statements', () => {
    const { text, json } = synthScope((scope) => {
      const role = new ServiceRole(scope, 'role', { roleName: 'app-codebuild', assumedBy: 'codebuild.amazonaws.com' });
      role.addToPolicy({ sid: 'ReadThing', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] });
    });
    expect(text).toHaveResourceWithProperties(IamRole, { name: 'app-codebuild' });
    expect(text).toHaveResourceWithProperties(IamRolePolicy, { name: 'app-codebuild-permissions' });
    expect(policyStatements(json, 'role_trust')).toEqual([
      {
        sid: 'AssumedByService',
        effect: 'Allow',
        actions: ['sts:AssumeRole'],
        principals: [{ type: 'Service', identifiers: ['codebuild.amazonaws.com'] }],
      },
    ]);
    expect(policyStatements(json, 'role_permissions')).toEqual([
      { sid: 'ReadThing', effect: 'Allow', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] },
    ]);
    expect(statement(policyStatements(json, 'role_permissions'), 'ReadThing').resources).not.toContain('*');
  });

  test('refuses duplicate statement IDs, empty statements and bad names', () => {
    const make = (roleName: string, assumedBy = 'codebuild.amazonaws.com') => () =>
      synthScope((scope) => new ServiceRole(scope, 'r', { roleName, assumedBy, statements: [{ sid: 'A', actions: ['s3:GetObject'], resources: ['x'] }] }));
    expect(make('has space')).toThrow(/invalid prop "roleName" = "has space"/);
    expect(make('ok', 'codebuild')).toThrow(/invalid prop "assumedBy" = "codebuild"/);
    expect(() =>
      synthScope((scope) => {
        const role = new ServiceRole(scope, 'r', { roleName: 'r', assumedBy: 'codebuild.amazonaws.com' });
        role.addToPolicy({ sid: 'A', actions: ['s3:GetObject'], resources: ['x'] });
        role.addToPolicy({ sid: 'A', actions: ['s3:PutObject'], resources: ['x'] });
      }),
    ).toThrow(/statement "A" is already granted/);
    expect(() =>
      synthScope((scope) => new ServiceRole(scope, 'r', { roleName: 'r', assumedBy: 'codebuild.amazonaws.com', statements: [{ sid: 'A', actions: [], resources: ['x'] }] })),
    ).toThrow(/needs at least one action and one resource/);
  });

  test('a role without permissions fails synth validation', () => {
    const stack = new TerraformStack(Testing.app(), 'stack');
    new ServiceRole(stack, 'r', { roleName: 'empty', assumedBy: 'codebuild.amazonaws.com' });
    expect(() => Testing.synth(stack, true)).toThrow(/ServiceRole empty has no permissions granted/);
  });
});
