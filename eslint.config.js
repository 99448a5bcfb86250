// ESLint's flat configuration: the recommended JavaScript and TypeScript rules, and the few this codebase relies on.
// Formatting is Prettier's (.prettierrc.json).
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

/** Provider packages whose root loads every resource class they have (about 10 s and 1.5 GB for AWS's). */
const PROVIDER_PACKAGES = ['@cdktf/provider-aws', '@cdktf/provider-github', '@cdktf/provider-random'];

module.exports = tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'cdktf.out/',
      'cdktf.out.*/',
      '.gen/',
      'coverage/',
      '.cache/',
      'examples/consumer-app/',
      'examples/consumer-app-cdktn/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        __filename: 'readonly',
        process: 'readonly',
        console: 'readonly',
      },
    },
    rules: {
      // Unused bindings are errors, except those named to be ignored (`_token` in a rest destructuring).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      'no-duplicate-imports': ['error', { allowSeparateTypeImports: true }],
      // Long lines hide logic (STYLE.md): no source line is longer than Prettier's printWidth, strings and regular
      // expressions included; generated files (dist/, goldens, fixtures) are not linted.
      'max-len': ['error', { code: 120, tabWidth: 2 }],
      '@typescript-eslint/no-restricted-imports': [
        'error',
        ...PROVIDER_PACKAGES.map((name) => ({
          name,
          message: `Import the class by its deep path (${name}/lib/<resource>): the root loads every class.`,
        })),
      ],
    },
  },
  {
    // A function fits on a screen. Tests are exempt: a `describe` block is a group of tests, not a function.
    files: ['**/*.ts', '**/*.js', '**/*.cjs'],
    ignores: ['__tests__/**', 'bench/peers/**'],
    rules: { 'max-lines-per-function': ['error', { max: 60 }] },
  },
  {
    // The naive cdktf baseline imports providers from their package roots on purpose: it is what it measures.
    files: ['bench/peers/naive-cdktf/**'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
  {
    // What reads arbitrary JSON (synthesized Terraform, plans, configuration documents) types it `any` where the
    // shape is checked at run time; the construct library and the app do not.
    files: ['__tests__/**', 'guardrails/**', 'tools/**', 'config/**', 'scripts/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // CommonJS configuration files and hooks load modules with require().
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
