/**
 * IAM policies as the rules see them: every policy a stack attaches, whether
 * written as JSON or as an `aws_iam_policy_document` data source, normalized to
 * one statement shape and classified by use, because the same statement means
 * different things in an identity policy, a trust policy and a resource policy
 * (a key policy must say `Resource: "*"`; an identity policy should not).
 */
import { blocks, Element, followLocals, interpolateLocals, parseReference, SynthesizedStack } from './terraform-json';

/** How a policy is used. */
export type PolicyUse = 'identity' | 'trust' | 'resource';

/** A policy statement, whatever syntax it was written in. */
export interface NormalizedStatement {
  /** The statement ID, when it has one. */
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  /** Principals as type → identifiers; `*` (anyone) is type `*`. */
  readonly principals: readonly Principal[];
  /** The principals of `NotPrincipal` (`not_principals`): with `Allow`, everyone except these. */
  readonly notPrincipals: readonly Principal[];
  /** The conditions, one per operator and key. */
  readonly conditions: readonly Condition[];
}

/** The principals of one type: `AWS`, `Service`, `Federated`, `CanonicalUser`, or `*` (anyone). */
export interface Principal {
  readonly type: string;
  readonly identifiers: readonly string[];
}

/** One condition of a statement: `test` (the operator) applied to `variable` (the key). */
export interface Condition {
  readonly test: string;
  readonly variable: string;
  readonly values: readonly string[];
}

/** One policy attached by one element. */
export interface AttachedPolicy {
  /** The element that attaches the policy (a role policy, a role, a bucket policy, ...). */
  readonly consumer: Element;
  /** The consumer's attribute that holds it. */
  readonly attribute: string;
  readonly use: PolicyUse;
  /** The statements, or undefined when the policy is an expression the rules cannot read. */
  readonly statements?: readonly NormalizedStatement[];
  /** The data source the statements come from, when there is one. */
  readonly document?: Element;
}

/** Which attribute of which resource type holds a policy, and its use. */
export const POLICY_ATTRIBUTES: readonly { type: string; attribute: string; use: PolicyUse }[] = [
  { type: 'aws_iam_role_policy', attribute: 'policy', use: 'identity' },
  { type: 'aws_iam_policy', attribute: 'policy', use: 'identity' },
  { type: 'aws_iam_user_policy', attribute: 'policy', use: 'identity' },
  { type: 'aws_iam_group_policy', attribute: 'policy', use: 'identity' },
  { type: 'aws_iam_role', attribute: 'inline_policy', use: 'identity' },
  { type: 'aws_ssoadmin_permission_set_inline_policy', attribute: 'inline_policy', use: 'identity' },
  { type: 'aws_iam_role', attribute: 'assume_role_policy', use: 'trust' },
  { type: 'aws_s3_bucket_policy', attribute: 'policy', use: 'resource' },
  { type: 'aws_s3_bucket', attribute: 'policy', use: 'resource' },
  { type: 'aws_kms_key', attribute: 'policy', use: 'resource' },
  { type: 'aws_kms_key_policy', attribute: 'policy', use: 'resource' },
  { type: 'aws_ecr_repository_policy', attribute: 'policy', use: 'resource' },
  { type: 'aws_ecr_registry_policy', attribute: 'policy', use: 'resource' },
  { type: 'aws_ecrpublic_repository_policy', attribute: 'policy', use: 'resource' },
  { type: 'aws_secretsmanager_secret_policy', attribute: 'policy', use: 'resource' },
  { type: 'aws_secretsmanager_secret', attribute: 'policy', use: 'resource' },
  { type: 'aws_sns_topic_policy', attribute: 'policy', use: 'resource' },
  { type: 'aws_sns_topic', attribute: 'policy', use: 'resource' },
  { type: 'aws_sqs_queue_policy', attribute: 'policy', use: 'resource' },
  { type: 'aws_sqs_queue', attribute: 'policy', use: 'resource' },
  { type: 'aws_cloudwatch_log_resource_policy', attribute: 'policy_document', use: 'resource' },
  { type: 'aws_codebuild_resource_policy', attribute: 'policy', use: 'resource' },
  { type: 'aws_codeartifact_repository_permissions_policy', attribute: 'policy_document', use: 'resource' },
  { type: 'aws_cloudwatch_event_bus_policy', attribute: 'policy', use: 'resource' },
  { type: 'aws_lambda_layer_version_permission', attribute: 'policy', use: 'resource' },
  { type: 'aws_efs_file_system_policy', attribute: 'policy', use: 'resource' },
  { type: 'aws_glacier_vault', attribute: 'access_policy', use: 'resource' },
  { type: 'aws_backup_vault_policy', attribute: 'policy', use: 'resource' },
];

/** The resource types that attach policies, and the policy-document data source. */
export const POLICY_HOLDER_TYPES: readonly string[] = [
  ...new Set(POLICY_ATTRIBUTES.map((entry) => entry.type)),
  'data.aws_iam_policy_document',
];

/** What reads locals and variables: a stack. */
type Locals = Parameters<typeof followLocals>[1];

/**
 * A list of a policy as Terraform gives it: a single value is a list of one, and a whole reference to a local or to
 * a variable with a default is followed, for the list and for each item (a `"*"` that arrives through a local is a
 * `"*"`). A variable's default is judged as the value, since it is the one the plan uses unless told otherwise.
 */
function list(value: unknown, locals?: Locals): string[] {
  const follow = (item: unknown) => (locals === undefined ? item : interpolateLocals(item, locals));
  const followed = follow(value);
  if (followed === undefined || followed === null) return [];
  return (Array.isArray(followed) ? followed : [followed]).flatMap((item) => {
    const value = follow(item);
    if (value === undefined || value === null) return [];
    return Array.isArray(value) ? value.map(String) : [String(value)];
  });
}

/** Statements of a policy written as JSON text; undefined when the text is not a JSON policy. */
export function parsePolicyJson(text: string, locals?: Locals): NormalizedStatement[] | undefined {
  let parsed: any;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const statements = element(parsed, 'Statement');
  if (statements === undefined) return undefined;
  return (Array.isArray(statements) ? statements : [statements])
    .filter(
      (statement: unknown): statement is Record<string, unknown> => typeof statement === 'object' && statement !== null,
    )
    .map((statement: Record<string, unknown>) => ({
      sid: element(statement, 'Sid') as string | undefined,
      effect: effectOf(element(statement, 'Effect')),
      actions: list(element(statement, 'Action'), locals),
      notActions: list(element(statement, 'NotAction'), locals),
      resources: list(element(statement, 'Resource'), locals),
      notResources: list(element(statement, 'NotResource'), locals),
      principals: principalsOfJson(element(statement, 'Principal'), locals),
      notPrincipals: principalsOfJson(element(statement, 'NotPrincipal'), locals),
      conditions: Object.entries(
        (element(statement, 'Condition') as Record<string, unknown> | undefined) ?? {},
      ).flatMap(([test, byKey]) =>
        typeof byKey === 'object' && byKey !== null
          ? Object.entries(byKey as Record<string, unknown>).map(([variable, values]) => ({
              test,
              variable,
              values: list(values, locals),
            }))
          : [],
      ),
    }));
}

/**
 * A policy element by name, whatever its case: IAM documents its element names
 * as `Statement`, `Effect`, ... and a checker must not be fooled by another spelling.
 */
function element(object: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(object).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : object[key];
}

/** `Deny` in any case is a Deny; anything else is treated as an Allow, the reading that can only over-report. */
const effectOf = (effect: unknown): 'Allow' | 'Deny' =>
  typeof effect === 'string' && effect.trim().toLowerCase() === 'deny' ? 'Deny' : 'Allow';

function principalsOfJson(principal: unknown, locals?: Locals): Principal[] {
  if (principal === undefined || principal === null) return [];
  if (typeof principal === 'string' || Array.isArray(principal))
    return [{ type: '*', identifiers: list(principal, locals) }];
  if (typeof principal !== 'object' || principal === null) return [];
  return Object.entries(principal).map(([type, identifiers]) => ({ type, identifiers: list(identifiers, locals) }));
}

/**
 * Statements of an `aws_iam_policy_document` as the provider merges them: the
 * `source_policy_documents` first, then its own `statement`s, then each of the
 * `override_policy_documents`; a statement with a sid replaces an earlier one
 * with the same sid ("aws_iam_policy_document", AWS provider documentation:
 * source_policy_documents, override_policy_documents). An override can thus
 * take a statement away as well as add one.
 */
export function documentStatements(
  document: Element,
  stack: SynthesizedStack,
  seen = new Set<string>(),
): NormalizedStatement[] | undefined {
  if (seen.has(document.address)) return [];
  seen.add(document.address);
  const read = (values: unknown): NormalizedStatement[][] | undefined => {
    const documents = list(values, stack).map((value) => readPolicy(value, stack, seen).statements);
    return documents.every((statements) => statements !== undefined)
      ? (documents as NormalizedStatement[][])
      : undefined;
  };
  const sources = read(document.body.source_policy_documents);
  const overrides = read(document.body.override_policy_documents);
  if (sources === undefined || overrides === undefined) return undefined;
  const own = blocks(document.body.statement).map((statement): NormalizedStatement => ({
    sid: statement.sid,
    effect: effectOf(statement.effect),
    actions: list(statement.actions, stack),
    notActions: list(statement.not_actions, stack),
    resources: list(statement.resources, stack),
    notResources: list(statement.not_resources, stack),
    principals: blocks(statement.principals).map((principal) => ({
      type: String(principal.type),
      identifiers: list(principal.identifiers, stack),
    })),
    notPrincipals: blocks(statement.not_principals).map((principal) => ({
      type: String(principal.type),
      identifiers: list(principal.identifiers, stack),
    })),
    conditions: blocks(statement.condition).map((condition) => ({
      test: String(condition.test),
      variable: String(condition.variable),
      values: list(condition.values, stack),
    })),
  }));
  return [own, ...overrides].reduce(mergeBySid, sources.flat());
}

/** `earlier` with each of `later`'s statements replacing the one with its sid, or added after them. */
function mergeBySid(earlier: NormalizedStatement[], later: readonly NormalizedStatement[]): NormalizedStatement[] {
  const merged = [...earlier];
  for (const statement of later) {
    const replaced =
      typeof statement.sid === 'string' && statement.sid !== ''
        ? merged.findIndex((candidate) => candidate.sid === statement.sid)
        : -1;
    if (replaced >= 0) merged[replaced] = statement;
    else merged.push(statement);
  }
  return merged;
}

/** Reads a policy value: a reference to a policy document's JSON, or JSON text. */
function readPolicy(
  value: unknown,
  stack: SynthesizedStack,
  seen = new Set<string>(),
): { statements?: NormalizedStatement[]; document?: Element } {
  const followed = followLocals(value, stack);
  if (followed !== value) return readPolicy(followed, stack, seen);
  // A policy kept as an object in a local or a variable's default, encoded where it is used.
  const encoded = typeof value === 'string' ? /^\$\{jsonencode\(((?:local|var)\.[\w-]+)\)\}$/.exec(value) : null;
  if (encoded !== null) {
    const object = followLocals(`\${${encoded[1]}}`, stack);
    return typeof object === 'object' && object !== null ? readPolicy(JSON.stringify(object), stack, seen) : {};
  }
  if (typeof value === 'object' && value !== null) return {};
  const reference = parseReference(value);
  if (reference !== undefined) {
    const document = stack.get(reference.address);
    if (
      document?.type === 'data.aws_iam_policy_document' &&
      (reference.attribute === 'json' || reference.attribute === 'minified_json')
    ) {
      return { statements: documentStatements(document, stack, seen), document };
    }
    return {};
  }
  // JSON text may hold interpolations inside its strings; anything else (`${jsonencode(...)}`) cannot be read.
  const statements = typeof value === 'string' ? parsePolicyJson(value, stack) : undefined;
  return statements === undefined ? {} : { statements };
}

/**
 * Each stack's policies by element: a dozen rules read the same element's policies, and a fleet has thousands of
 * elements.
 */
const policiesByStack = new WeakMap<SynthesizedStack, Map<Element, readonly AttachedPolicy[]>>();

/** The policies `element` attaches; a policy document that nothing attaches counts as an identity policy of its own. */
export function policiesAt(element: Element, stack: SynthesizedStack): readonly AttachedPolicy[] {
  let byElement = policiesByStack.get(stack);
  if (byElement === undefined) policiesByStack.set(stack, (byElement = new Map()));
  let policies = byElement.get(element);
  if (policies === undefined) byElement.set(element, (policies = readPoliciesAt(element, stack)));
  return policies;
}

function readPoliciesAt(element: Element, stack: SynthesizedStack): AttachedPolicy[] {
  if (element.type === 'data.aws_iam_policy_document') {
    // Attached by a resource, or merged into another document (and checked there).
    const attached = [...POLICY_ATTRIBUTES.map(({ type }) => type), 'data.aws_iam_policy_document'].some(
      (type) => stack.referencing(element, type).length > 0,
    );
    return attached
      ? []
      : [
          {
            consumer: element,
            attribute: 'statement',
            use: 'identity',
            statements: documentStatements(element, stack),
            document: element,
          },
        ];
  }
  return POLICY_ATTRIBUTES.filter(({ type }) => type === element.type).flatMap(({ attribute, use }) => {
    const values =
      attribute === 'inline_policy'
        ? blocks(element.body.inline_policy).map((inline) => inline.policy)
        : [element.body[attribute]];
    return values
      .filter((value) => value !== undefined && value !== null && value !== '')
      .map((value) => ({ consumer: element, attribute, use, ...readPolicy(value, stack) }));
  });
}
