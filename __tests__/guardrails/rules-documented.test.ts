import { ALL_RULES, Rule } from '../../guardrails';

/** IDs that mirror a checkov check: `CKV_AWS_78`, `CKV2_AWS_6`, `CKV_GIT_1`, `CKV2_GIT_1`. */
const CHECKOV_ID = /^CKV2?_(AWS|GIT)_\d+$/;
/** The project's own rules: `CIP_<area>_<n>` (`CIP_IAM_12`, `CIP_PERM_3`). */
const OWN_ID = /^CIP_[A-Z]+_\d+$/;
/** AWS Config managed rules, by their documented identifier: `s3-bucket-ssl-requests-only`. */
const AWS_CONFIG_ID = /^[a-z0-9]+(-[a-z0-9]+)+$/;

/** The sentences of a text: each ends with `.`, `!` or `?` before a space or the end. */
const sentenceCount = (text: string) => text.match(/[.!?](?=\s|$)/g)?.length ?? 0;

/** A page or check title, quoted: `"Pull request comment approval"`. */
const QUOTED_TITLE = /"[^"]{10,}"/;
/** A documentation page by its address, where its title says little: `developer.hashicorp.com/terraform/...`. */
const PAGE_ADDRESS = /\b[a-z]+(\.[a-z]+)+\/[\w./-]+/;
/** The documentation a `CIP_*` rule cites the page of. */
const DOCUMENTATION = /User Guide|Developer Guide|API Reference|documentation|GitHub Docs/;

describe('the rule list documents every rule', () => {
  test('every rule ID has a known form: a checkov ID, an AWS Config rule, or CIP_<area>_<n>', () => {
    // GIVEN the IDs of every rule
    const ids = ALL_RULES.map((rule) => rule.id);

    // THEN each has the form of a checkov check, a project rule or an AWS Config managed rule
    expect(ids.filter((id) => ![CHECKOV_ID, OWN_ID, AWS_CONFIG_ID].some((form) => form.test(id)))).toEqual([]);
  });

  test('rule IDs are unique', () => {
    const ids = ALL_RULES.map((rule) => rule.id);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
  });

  describe.each(ALL_RULES.map((rule) => [rule.id, rule] as const))('%s', (_id, rule: Rule) => {
    test('explains why it matters in one to three sentences of at least 40 characters', () => {
      expect(rule.explanation.trim().length).toBeGreaterThanOrEqual(40);
      expect(sentenceCount(rule.explanation)).toBeGreaterThanOrEqual(1);
      expect(sentenceCount(rule.explanation)).toBeLessThanOrEqual(3);
    });

    test('does not repeat its name as its explanation', () => {
      // A quoted checkov title may say what the name says (CKV_AWS_51: "Ensure ECR Image Tags are immutable"); the
      // explanation's own words must say something else.
      const ownWords = rule.explanation.replace(/"[^"]*"/g, '""').toLowerCase();
      expect(ownWords).not.toContain(rule.name.toLowerCase());
    });

    test('says how to fix it', () => {
      expect(rule.fix.trim()).not.toBe('');
    });

    test('cites what it relies on: the scanner check it mirrors, or the documentation page', () => {
      if (CHECKOV_ID.test(rule.id)) {
        // A mirrored checkov check is named by its ID and title.
        expect(rule.explanation).toMatch(new RegExp(`checkov's ${rule.id}\\b`, 'i'));
        expect(rule.explanation).toMatch(QUOTED_TITLE);
      } else if (OWN_ID.test(rule.id)) {
        // The project's own rules cite the page of the service's (or Terraform's, or GitHub's) documentation.
        expect([QUOTED_TITLE, PAGE_ADDRESS].some((citation) => citation.test(rule.explanation))).toBe(true);
        expect(rule.explanation).toMatch(DOCUMENTATION);
      } else {
        expect(rule.explanation).toContain(`AWS Config managed rule ${rule.id}`);
      }
    });
  });
});
