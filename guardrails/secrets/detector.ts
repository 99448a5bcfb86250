/**
 * Secrets recognised by their format, with secretlint's recommended preset
 * (`@secretlint/secretlint-rule-preset-recommend`, pinned): the rules
 * `secretlint --init` enables, kept up to date with each vendor's documented
 * token formats (GitHub, AWS, Slack, Stripe, OpenAI, Anthropic, npm, Docker,
 * database connection strings, private keys and more).
 *
 * The preset's rules are synchronous over text: a rule's `create(context)` returns a `file(source)` handler that
 * reports ranges ("Rule API", secretlint's docs). The guardrails run inside synth, which is synchronous, so the rules
 * run here directly rather than through secretlint's asynchronous runner (`lintSource`), which adds file handling we
 * do not need.
 */
import { rules as RECOMMENDED_RULES } from '@secretlint/secretlint-rule-preset-recommend';
import type {
  SecretLintRuleContext,
  SecretLintRuleCreator,
  SecretLintRuleReportDescriptor,
  SecretLintSourceCode,
} from '@secretlint/types';
import { memoized } from '../core/memo';

const RULE_ID_PREFIX = '@secretlint/secretlint-rule-';

/**
 * Rules of the preset left out: `filter-comments` honours `secretlint-disable` comments inside the scanned text, which
 * would let a string silence the scan. Here suppressions are the guardrails' own, with a reason, in the report.
 */
const LEFT_OUT_RULES = [`${RULE_ID_PREFIX}filter-comments`];

/**
 * Options of the preset's rules. The AWS rule reports access key IDs (AKIA/ASIA...) only with `enableIDScanRule`,
 * which also reports account IDs; an account ID is not a secret ("AWS account identifiers", AWS Account Management
 * Reference Guide), so its messages are dropped below.
 */
const RULE_OPTIONS: Readonly<Record<string, object>> = {
  [`${RULE_ID_PREFIX}aws`]: { enableIDScanRule: true },
};
const NOT_SECRET_MESSAGES = ['AWSAccountID'];

/**
 * Formats that standards define and the preset reads more narrowly, each reported only when no rule of the preset
 * found a secret of its kind in the same text.
 */
const STANDARD_FORMATS: readonly {
  readonly what: string;
  readonly foundBy: string;
  readonly pattern: RegExp;
  /** Text every match holds, tested first: the patterns are slow to fail on long texts without it. */
  readonly mark: string;
  /** The preset's rules that report this kind already. */
  readonly presetRules: readonly string[];
}[] = [
  // The armour line says the text is a private key whatever follows it; the preset's `privatekey` rule also wants a
  // body of 100 characters or more.
  {
    what: 'private key',
    foundBy: 'its armour line, RFC 7468',
    mark: '-----BEGIN ',
    pattern: /-----BEGIN ((RSA|EC|DSA|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY( BLOCK)?-----/,
    presetRules: ['privatekey'],
  },
  // "user:password" in a URI's userinfo, in any scheme and with any characters (RFC 3986, section 3.2.1, which
  // deprecates it); the preset reads http(s) and ftp with letters, digits, `-` and `_`, and some databases' schemes.
  // A `$` marks an interpolation, not a literal.
  {
    what: 'URL with a password (user:password@)',
    foundBy: 'its userinfo, RFC 3986',
    mark: '://',
    pattern: /[a-z][a-z0-9+.-]*:\/\/[^\s/:@$]+:[^\s/@$]+@/i,
    presetRules: ['basicauth', 'database-connection-string'],
  },
];

/** A secret found in a text: what it is and the rule that found it, never the value. */
export interface DetectedSecret {
  /** What the rule says it found, without the value: `GitHub Token`, `AWS Secret Access Key`. */
  readonly what: string;
  /** What found it: a rule of the preset (`secretlint github`), or the private-key armour line. */
  readonly foundBy: string;
  /** The rule's message ID: `GITHUB_TOKEN`, `AWSSecretAccessKey`. */
  readonly messageId: string;
}

/** Marks a value in a message, so that the message's text is kept without it. */
const MASK = '\u0000';

/** A rule's localized messages: a text or a function of the message's data, per locale. */
type RuleMessages = Record<string, { readonly en: string | ((data: Record<string, string>) => string) }>;

/**
 * A translator for a rule's messages that keeps what the English message says was found ("found GitHub Token: …" →
 * `GitHub Token`) and drops every value the message would quote.
 */
const maskingTranslator =
  (messages: RuleMessages) =>
  (messageId: string, data: Record<string, unknown> = {}) => {
    const english = messages[messageId]?.en ?? messageId;
    const masked = Object.fromEntries(Object.keys(data).map((key) => [key, MASK]));
    const text = typeof english === 'function' ? english(masked) : english;
    const what = text
      .replace(/^found /, '')
      .replace(new RegExp(`\\(?${MASK}\\)?`, 'g'), '')
      .replace(/:\s*$/, '')
      .trim();
    return { message: what, messageId, data: {} };
  };

/** What the preset's rules reported over one text, with where each report starts. */
let reported: (DetectedSecret & { readonly start: number })[] = [];

/** The preset's scanners, each created once with a context that collects its reports into `reported`. */
const scanners = (RECOMMENDED_RULES as SecretLintRuleCreator<object>[])
  .filter((rule) => rule.meta.type === 'scanner' && !LEFT_OUT_RULES.includes(rule.meta.id))
  .map((rule) => {
    const foundBy = `secretlint ${rule.meta.id.replace(RULE_ID_PREFIX, '')}`;
    const context: SecretLintRuleContext = {
      sharedOptions: {},
      createTranslator: ((messages: RuleMessages) => maskingTranslator(messages)) as never,
      report: ({ message, range }: SecretLintRuleReportDescriptor) => {
        const { message: what, messageId } = message as { message: string; messageId: string };
        if (!NOT_SECRET_MESSAGES.includes(messageId)) reported.push({ what, foundBy, messageId, start: range[0] });
      },
      ignore: () => undefined,
    };
    return rule.create(context, RULE_OPTIONS[rule.meta.id] ?? {});
  });

/** A text as the rule API's source code: plain text, no file. */
const sourceOf = (content: string): SecretLintSourceCode =>
  ({
    content,
    hasBOM: false,
    filePath: undefined,
    physicalFilePath: undefined,
    contentType: 'text',
    ext: '',
    getFilePath: () => undefined,
    getPhysicalFilePath: () => undefined,
  }) as unknown as SecretLintSourceCode;

/** The preset's reports over `text`. */
function presetReports(text: string): (DetectedSecret & { readonly start: number })[] {
  reported = [];
  const source = sourceOf(text);
  for (const scanner of scanners) void scanner.file?.(source);
  const found = reported;
  reported = [];
  return found;
}

/** The standard formats in `text` whose kind the preset did not find there. */
function standardFormats(text: string, byPreset: readonly DetectedSecret[]): DetectedSecret[] {
  const found: DetectedSecret[] = [];
  for (const { what, foundBy, mark, pattern, presetRules } of STANDARD_FORMATS) {
    if (!text.includes(mark)) continue;
    const foundByPreset = byPreset.some((secret) =>
      presetRules.some((rule) => secret.foundBy === `secretlint ${rule}`),
    );
    if (!foundByPreset && pattern.test(text)) found.push({ what, foundBy, messageId: foundBy });
  }
  return found;
}

/** The secrets in `text`, each kind once; none for most texts. */
export const detectSecrets = memoized((text): readonly DetectedSecret[] => {
  const byPreset = presetReports(text).map(({ what, foundBy, messageId }) => ({ what, foundBy, messageId }));
  const kinds = new Map(
    [...byPreset, ...standardFormats(text, byPreset)].map((found) => [`${found.foundBy}:${found.messageId}`, found]),
  );
  return [...kinds.values()];
});

/**
 * Texts read together are joined with a line break, NUL and a line break. The preset's patterns match within a line,
 * and the one class that takes line breaks (a PEM key's body) does not take NUL, so no match runs from one text into
 * the next.
 */
const SEPARATOR = '\n\0\n';

/**
 * Prepares {@link detectSecrets} for many texts at once: each rule of the preset reads them joined, in one pass, and
 * only a text in which a report starts is read again alone, when asked. A stack's strings then cost one pass of each
 * rule instead of one per string, most of which hold nothing.
 */
export function prepareSecretScan(texts: Iterable<string>): void {
  const fresh = [...new Set(texts)].filter((text) => !detectSecrets.has(text));
  if (fresh.length < 2) return;
  const starts: number[] = [];
  let offset = 0;
  for (const text of fresh) {
    starts.push(offset);
    offset += text.length + SEPARATOR.length;
  }
  const withReports = new Set(presetReports(fresh.join(SEPARATOR)).map(({ start }) => textAt(starts, start)));
  fresh.forEach((text, index) => {
    if (!withReports.has(index)) detectSecrets.remember(text, standardFormats(text, []));
  });
}

/** The index of the text that `offset` of the joined texts falls in: the last start at or before it. */
function textAt(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (starts[middle] <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** How a finding names a secret: `a secret: GitHub Token (secretlint github)`. */
export const describeSecret = ({ what, foundBy }: DetectedSecret): string => `a secret: ${what} (${foundBy})`;
