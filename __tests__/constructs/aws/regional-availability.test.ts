import { checkAwsRegion } from '../../../constructs/private/checks';
import {
  absentIn,
  REGIONAL_SERVICES,
  SERVICE_REGIONS,
  servicesAbsentIn,
} from '../../../constructs/aws/regional-availability';

describe('regional availability', () => {
  test('the endpoint data holds every service the stacks check, each in regions the data knows', () => {
    expect(Object.keys(SERVICE_REGIONS.services).sort()).toEqual(Object.keys(REGIONAL_SERVICES).sort());
    for (const regions of Object.values(SERVICE_REGIONS.services)) {
      expect(regions.filter((region) => !SERVICE_REGIONS.regions.includes(region))).toEqual([]);
      expect(regions).toContain('us-east-1');
    }
  });

  test('every region the data knows is one the pinned AWS SDK lists, so the region check reaches it', () => {
    expect(SERVICE_REGIONS.regions.filter((region) => checkAwsRegion(region) !== undefined)).toEqual([]);
  });

  test('a service without an endpoint in a region the data knows is absent; another region is not judged', () => {
    const known = SERVICE_REGIONS.regions.find((region) => !SERVICE_REGIONS.services.codepipeline.includes(region));
    expect(known).toBeDefined();
    expect(servicesAbsentIn(known!, ['codepipeline', 'kms'])).toEqual(['codepipeline']);
    expect(servicesAbsentIn('us-east-1', Object.keys(REGIONAL_SERVICES) as (keyof typeof REGIONAL_SERVICES)[])).toEqual(
      [],
    );
    // An isolated partition's region, and a code the data has never seen: nothing is refused on a guess.
    expect(servicesAbsentIn('us-iso-east-1', ['codepipeline'])).toEqual([]);
    expect(servicesAbsentIn('xx-nowhere-1', ['codepipeline'])).toEqual([]);
  });

  test('the reason names each absent service, the region, the data and the pages, after the remedy', () => {
    const region = SERVICE_REGIONS.regions.find(
      (candidate) =>
        !SERVICE_REGIONS.services['codestar-connections'].includes(candidate) &&
        !SERVICE_REGIONS.services['codestar-notifications'].includes(candidate),
    )!;
    expect(absentIn(region, ['codestar-connections', 'codestar-notifications', 'kms'], 'must be "webhook"')).toBe(
      `must be "webhook": AWS does not offer CodeConnections and CodeStar Notifications in ${region} (no endpoint ` +
        `in the data AWS publishes for its SDKs, ${SERVICE_REGIONS.source}; ` +
        'https://docs.aws.amazon.com/general/latest/gr/codestar_connections.html, ' +
        'https://docs.aws.amazon.com/general/latest/gr/codestar_notifications.html)',
    );
    expect(absentIn('us-east-1', ['codestar-connections'], 'must be "webhook"')).toBeUndefined();
  });
});
