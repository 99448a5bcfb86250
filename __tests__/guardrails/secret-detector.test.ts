import { describeSecret, detectSecrets, prepareSecretScan } from '../../guardrails/secrets/detector';

// Fake credentials of each vendor's documented shape, none of them real.
const SECRETS = [
  `ghp_${'Ab1'.repeat(12)}`,
  'AKIAQ7XZ4M2KD9RTB6WN',
  `aws_secret_access_key = ${'wJal/rXUt+nFEM'.repeat(3).slice(0, 40)}`,
  'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx',
  'postgres://app:S3cretPass@db.example.com:5432/app',
  'https://deploy:Zq8vR2mK@git.example.com/org/repo.git',
  'amqp://worker:p@ss!@mq.internal',
  '-----BEGIN OPENSSH PRIVATE KEY-----',
  'sk_live_4eC39HqLyjWDarjtT1zdp7dc',
];
const NOT_SECRETS = [
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:dockerhub-AbCdEf',
  'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  '${data.aws_caller_identity.current.account_id}',
  'AKIAIOSFODNN7EXAMPLE',
  'account_id = 1234-5678-9012',
  'https://git@github.com/org/repo.git',
  'https://${var.user}:${var.password}@example.com',
  '',
];

describe('the secret detector', () => {
  test.each(SECRETS)('finds %s, naming what it is and never the value', (text) => {
    const found = detectSecrets(text);
    expect(found).not.toEqual([]);
    for (const secret of found) {
      const described = describeSecret(secret);
      expect(described).toMatch(/^a secret: .+ \((secretlint [a-z0-9-]+|its [a-z]+( [a-z]+)?, RFC \d+)\)$/);
      expect(described).not.toContain(text.slice(-12));
    }
  });

  test.each(NOT_SECRETS)('finds nothing in %j', (text) => {
    expect(detectSecrets(text)).toEqual([]);
  });

  test('reads many texts at once as it reads each alone, wherever the secrets are among them', () => {
    const alone = (text: string) => JSON.parse(JSON.stringify(detectSecrets(`${text}`)));
    const expected = new Map([...SECRETS, ...NOT_SECRETS].map((text) => [text, alone(text)]));
    // Fresh copies of each text, so that prepareSecretScan sees texts it has not read, in several orders: secrets
    // next to each other, at the ends, and between texts that hold none.
    const orders = [
      [...SECRETS, ...NOT_SECRETS],
      [...NOT_SECRETS, ...SECRETS],
      SECRETS.flatMap((secret, index) => [NOT_SECRETS[index % NOT_SECRETS.length], secret]),
    ];
    orders.forEach((order, round) => {
      const marked = order.map((text) => `${text} ${'#'.repeat(round + 1)}`);
      prepareSecretScan(marked);
      marked.forEach((text, index) => {
        expect([order[index], detectSecrets(text)]).toEqual([order[index], expected.get(order[index])]);
      });
    });
  });
});
