import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  PLANNED_STACK_SERVICES,
  serviceOfTerraformType,
} from '../../constructs/infrastructure-pipeline/planned-services';
import { isKnownService } from '../../guardrails/iam/catalog';

const GOLDEN = join(__dirname, '..', 'golden');

/** Every AWS resource and data source type the golden shapes synthesize. */
function goldenAwsTypes(): string[] {
  const types = new Set<string>();
  for (const shape of readdirSync(GOLDEN).filter((name) => !name.endsWith('.json')))
    for (const file of readdirSync(join(GOLDEN, shape)).filter((name) => name.endsWith('.tf.json'))) {
      const json = JSON.parse(readFileSync(join(GOLDEN, shape, file), 'utf8'));
      for (const type of Object.keys(json.resource ?? {})) types.add(type);
      for (const type of Object.keys(json.data ?? {})) types.add(`data.${type}`);
    }
  return [...types].filter((type) => type.replace(/^data\./, '').startsWith('aws_')).sort();
}

describe("the services a plan role may read: those the planned stacks' types call", () => {
  test('every AWS type a golden shape holds maps to a service the plan role may read, or calls none', () => {
    const types = goldenAwsTypes();
    expect(types.length).toBeGreaterThan(20);
    const unmapped = types.filter((type) => serviceOfTerraformType(type) === undefined);
    const unreadable = types.filter((type) => {
      const service = serviceOfTerraformType(type);
      return typeof service === 'string' && !PLANNED_STACK_SERVICES.includes(service);
    });
    expect({ unmapped, unreadable }).toEqual({ unmapped: [], unreadable: [] });
  });

  test("each is a service prefix of AWS's action catalog; a type maps by its longest prefix", () => {
    expect(PLANNED_STACK_SERVICES.filter((service) => !isKnownService(service))).toEqual([]);
    expect(serviceOfTerraformType('aws_iam_policy_document')).toBeNull();
    expect(serviceOfTerraformType('data.aws_iam_role')).toBe('iam');
    expect(serviceOfTerraformType('aws_lambda_function')).toBeUndefined();
  });
});
