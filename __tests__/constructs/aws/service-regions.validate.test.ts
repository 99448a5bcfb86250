/**
 * Opt-in (`npm run test:validate`, which `.ci/run` runs): the service regions the pipeline stacks check
 * (constructs/aws/service-regions.json) are those of the endpoint data AWS publishes with botocore, as the
 * `python3` here imports it.
 */
import { spawnSync } from 'node:child_process';
import { checkGenerated, UP_TO_DATE } from '../../generated-check';
import { EndpointsFile, serviceRegionsOf } from '../../../scripts/service-regions';

const unavailable =
  spawnSync('python3', ['-c', 'import botocore']).status === 0 ? undefined : 'python3 cannot import botocore';
if (unavailable !== undefined) console.warn(`SKIPPED the service regions check, because ${unavailable}.`);
const testWithBotocore = unavailable === undefined ? test : test.skip;

testWithBotocore("the committed service regions are botocore's endpoint data (npm run service-regions)", () => {
  expect(checkGenerated('service-regions.ts')).toEqual(UP_TO_DATE);
});

test('what counts: the three published partitions, regions with an endpoint of their own, none deprecated', () => {
  const endpoints: EndpointsFile = {
    partitions: [
      {
        partition: 'aws',
        regions: { 'us-east-1': {}, 'eu-west-1': {}, 'ca-west-1': {} },
        services: {
          codepipeline: {
            endpoints: { 'us-east-1': {}, 'fips-us-east-1': {}, 'eu-west-1': { deprecated: true } },
          },
        },
      },
      {
        partition: 'aws-cn',
        regions: { 'cn-north-1': {} },
        services: { codepipeline: { endpoints: { 'cn-north-1': {} } } },
      },
      {
        partition: 'aws-iso',
        regions: { 'us-iso-east-1': {} },
        services: { codepipeline: { endpoints: { 'us-iso-east-1': {} } } },
      },
    ],
  };
  const data = serviceRegionsOf(endpoints, 'botocore 0.0.0');
  expect(data.regions).toEqual(['ca-west-1', 'cn-north-1', 'eu-west-1', 'us-east-1']);
  expect(data.services.codepipeline).toEqual(['cn-north-1', 'us-east-1']);
  expect(data.services['codestar-connections']).toEqual([]);
});
