/**
 * A stand-in for the AWS CLI, for the first-deployment walk-through: `aws secretsmanager create-secret --name <name>
 * --secret-string <value or file://path> [--tags ...]`, sent to the AWS stub at FIRST_DEPLOYMENT_STUB as the CLI would
 * send it (Secrets Manager's JSON protocol). Any other command is refused, so the walk-through cannot use one unseen.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const [service, operation, ...rest] = process.argv.slice(2);
if (service !== 'secretsmanager' || operation !== 'create-secret') {
  process.stderr.write(
    `the stand-in for the AWS CLI runs only "aws secretsmanager create-secret", not "${service} ${operation}"\n`,
  );
  process.exit(2);
}
const { values } = parseArgs({
  args: rest,
  options: { name: { type: 'string' }, 'secret-string': { type: 'string' }, tags: { type: 'string', multiple: true } },
  allowPositionals: true,
});
// The AWS CLI reads a parameter from a file when its value starts with file://.
const value = values['secret-string'] ?? '';
const secretString = value.startsWith('file://') ? readFileSync(value.slice('file://'.length), 'utf8') : value;
void fetch(process.env.FIRST_DEPLOYMENT_STUB!, {
  method: 'POST',
  headers: {
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': 'secretsmanager.CreateSecret',
    // The stub reads the region from the credential scope, as AWS does.
    authorization:
      'AWS4-HMAC-SHA256 ' +
      `Credential=AKIAFIRSTDEPLOYMENT/20261207/${process.env.AWS_REGION}/secretsmanager/aws4_request`,
  },
  body: JSON.stringify({ Name: values.name, SecretString: secretString }),
}).then(async (response) => {
  const body = await response.text();
  (response.ok ? process.stdout : process.stderr).write(`${body}\n`);
  process.exitCode = response.ok ? 0 : 254;
});
