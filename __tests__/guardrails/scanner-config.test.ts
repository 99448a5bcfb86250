import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DEFAULT_CONFIG_PATH, loadConfigFile } from '../../config/load';
import { checkStacks } from '../../guardrails';
import { buildStacks } from '../../main';
import { testApp } from '../helpers';

const ROOT = join(__dirname, '..', '..');

describe('.checkov.yaml', () => {
  const text = readFileSync(join(ROOT, '.checkov.yaml'), 'utf8');
  const config = parse(text);

  test('scans the synthesized Terraform JSON', () => {
    expect(config.directory).toEqual(['cdktf.out']);
    expect(config.framework).toEqual(['terraform_json']);
  });

  test('skips every checkov check the product suppresses in code', () => {
    const suppressed = checkStacks(buildStacks(testApp(), loadConfigFile(DEFAULT_CONFIG_PATH)).all).flatMap((report) =>
      report.suppressed.map((finding) => finding.ruleId),
    );
    const checkovIds = [...new Set(suppressed.filter((id) => id.startsWith('CKV')))];
    expect(checkovIds.length).toBeGreaterThan(0);
    expect(config['skip-check']).toEqual(expect.arrayContaining(checkovIds));
  });

  test('gives a reason for every skip', () => {
    const lines = text.split('\n').filter((line) => /^\s+- CKV/.test(line));
    expect(lines).toHaveLength(config['skip-check'].length);
    for (const line of lines) expect(line).toMatch(/^\s+- CKV\w+ # \S.{20,}/);
  });
});
