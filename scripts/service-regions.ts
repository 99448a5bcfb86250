/**
 * Regenerates constructs/aws/service-regions.json, the regions where AWS offers each service a pipeline uses, from
 * the endpoint data AWS publishes with its SDKs (botocore's `data/endpoints.json`):
 *
 *   npm run service-regions                    # botocore of `python3`, or BOTOCORE_ENDPOINTS=<endpoints.json>
 *   npm run service-regions -- --check         # compare instead of writing; exit 1 when the file differs
 *
 * It keeps the commercial, China and GovCloud partitions, whose services AWS publishes in full, and for each
 * service of REGIONAL_SERVICES the regions with an endpoint of their own (not the FIPS or deprecated ones).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REGIONAL_SERVICES, RegionalService, ServiceRegions } from '../constructs/aws/regional-availability';
import { PROJECT_ROOT } from './app-command';

export const SERVICE_REGIONS_FILE = join(PROJECT_ROOT, 'constructs', 'aws', 'service-regions.json');

const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'];

export interface EndpointsFile {
  readonly partitions: readonly {
    readonly partition: string;
    readonly regions: Readonly<Record<string, unknown>>;
    readonly services: Readonly<Record<string, { endpoints?: Record<string, { deprecated?: boolean }> }>>;
  }[];
}

/** The service regions of an endpoints file; `source` says which. */
export function serviceRegionsOf(endpoints: EndpointsFile, source: string): ServiceRegions {
  const partitions = endpoints.partitions.filter((partition) => PARTITIONS.includes(partition.partition));
  const regions = partitions.flatMap((partition) => Object.keys(partition.regions)).sort();
  const services = Object.fromEntries(
    (Object.keys(REGIONAL_SERVICES) as RegionalService[]).map((service) => [
      service,
      partitions
        .flatMap((partition) =>
          Object.entries(partition.services[service]?.endpoints ?? {})
            .filter(([region, endpoint]) => region in partition.regions && endpoint.deprecated !== true)
            .map(([region]) => region),
        )
        .sort(),
    ]),
  ) as Record<RegionalService, string[]>;
  return { source, regions, services };
}

/** Where botocore's endpoints file is, and its version: BOTOCORE_ENDPOINTS, else the botocore `python3` imports. */
function findEndpoints(): { path: string; source: string } {
  const explicit = process.env.BOTOCORE_ENDPOINTS;
  const [version, path] =
    explicit === undefined
      ? execFileSync(
          'python3',
          ['-c', 'import botocore, os; print(botocore.__version__); print(os.path.dirname(botocore.__file__))'],
          { encoding: 'utf8' },
        )
          .trim()
          .split('\n')
      : ['', dirname(dirname(explicit))];
  const file = explicit ?? join(path!, 'data', 'endpoints.json');
  return { path: file, source: `botocore${version ? ` ${version}` : ''}, botocore/data/endpoints.json` };
}

function main(): number {
  let found: { path: string; source: string };
  try {
    found = findEndpoints();
  } catch {
    process.stderr.write('No botocore found: install it (pip install botocore) or set BOTOCORE_ENDPOINTS\n');
    return 1;
  }
  const data = serviceRegionsOf(JSON.parse(readFileSync(found.path, 'utf8')) as EndpointsFile, found.source);
  const text = `${JSON.stringify(data, undefined, 2)}\n`;
  if (process.argv.includes('--check')) {
    const same = readFileSync(SERVICE_REGIONS_FILE, 'utf8') === text;
    process.stdout.write(same ? 'up to date\n' : `${SERVICE_REGIONS_FILE} differs from ${found.source}\n`);
    return same ? 0 : 1;
  }
  writeFileSync(SERVICE_REGIONS_FILE, text);
  process.stdout.write(
    `${Object.keys(data.services).length} services in ${data.regions.length} regions, ${found.source}\n`,
  );
  return 0;
}

if (require.main === module) process.exitCode = main();
