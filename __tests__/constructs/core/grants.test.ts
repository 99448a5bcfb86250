import { combineGrants, grant, PolicyStatements } from '../../../constructs/private/policy-statements';
import { IGrantable, PolicyStatement } from '../../../constructs/core/grants';

describe('PolicyStatements', () => {
  test(
    'merges a statement of the same Sid and actions (in any order) into the first, adding only new ' + 'resources',
    () => {
      const statements = new PolicyStatements();
      expect(
        statements.add({ sid: 'Read', actions: ['s3:GetObject', 's3:ListBucket'], resources: ['a', 'a'] }),
      ).toEqual({
        sid: 'Read',
        actions: ['s3:GetObject', 's3:ListBucket'],
        resources: ['a'],
      });
      expect(
        statements.add({ sid: 'Read', actions: ['s3:ListBucket', 's3:GetObject'], resources: ['a', 'b'] }),
      ).toEqual({
        sid: 'Read',
        actions: ['s3:GetObject', 's3:ListBucket'],
        resources: ['b'],
      });
      expect(
        statements.add({ sid: 'Read', actions: ['s3:GetObject', 's3:ListBucket'], resources: ['b'] }),
      ).toBeUndefined();
      expect(statements.list).toEqual([
        { sid: 'Read', actions: ['s3:GetObject', 's3:ListBucket'], resources: ['a', 'b'] },
      ]);
    },
  );

  test('keeps a statement of a taken Sid but other actions under the next free Sid, and merges into it later', () => {
    const statements = new PolicyStatements();
    statements.add({ sid: 'Use', actions: ['kms:Decrypt'], resources: ['k1'] });
    statements.add({ sid: 'Use2', actions: ['x:Y'], resources: ['r'] });
    expect(statements.add({ sid: 'Use', actions: ['kms:Encrypt'], resources: ['k2'] })?.sid).toBe('Use3');
    expect(statements.add({ sid: 'Use', actions: ['kms:Encrypt'], resources: ['k3'] })).toEqual({
      sid: 'Use3',
      actions: ['kms:Encrypt'],
      resources: ['k3'],
    });
    expect(statements.list.map((statement) => [statement.sid, statement.resources])).toEqual([
      ['Use', ['k1']],
      ['Use2', ['r']],
      ['Use3', ['k2', 'k3']],
    ]);
  });

  test('grant adds in order and returns what was added; combineGrants joins them', () => {
    const added: PolicyStatement[] = [];
    const grantee: IGrantable = {
      addToPolicy: (statement) => (statement.sid === 'Known' ? undefined : (added.push(statement), statement)),
    };
    const first = grant(
      grantee,
      { sid: 'A', actions: ['a:A'], resources: ['1'] },
      { sid: 'Known', actions: ['b:B'], resources: ['2'] },
    );
    expect(first.statements.map((statement) => statement.sid)).toEqual(['A']);
    expect(
      combineGrants(first, grant(grantee, { sid: 'C', actions: ['c:C'], resources: ['3'] })).statements.map(
        (statement) => statement.sid,
      ),
    ).toEqual(['A', 'C']);
  });
});
