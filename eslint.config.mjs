// Lint: typescript-eslint's recommended rules, and the import rule of docs/architecture.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** Which folders of ours each folder may not import (docs/architecture.md, "The import rule"). */
export const IMPORT_RULE = {
  protocol: ['core', 'report', 'trainer', 'cli', 'extension', 'webview'],
  report: ['core', 'trainer', 'cli', 'extension', 'webview'],
  core: ['report', 'trainer', 'cli', 'extension', 'webview'],
  trainer: ['report', 'cli', 'extension', 'webview'],
  cli: ['extension', 'webview'],
  extension: ['trainer', 'cli', 'webview'],
  webview: ['core', 'trainer', 'cli', 'extension'],
};

const FOLDER_OF = {
  protocol: 'src/protocol',
  report: 'src/report',
  core: 'src/core',
  trainer: 'src/trainer',
  cli: 'src/cli',
  extension: 'src/extension',
  webview: 'webview',
};

/** One block per folder: a relative import that reaches a forbidden folder is an error. */
function importRuleBlocks() {
  return Object.entries(IMPORT_RULE).map(([folder, forbidden]) => ({
    files: [`${FOLDER_OF[folder]}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: forbidden.map((f) => ({
            regex: `^(\\.\\./)+(src/)?${f}(/|$)`,
            message: `${folder} may not import ${f} (docs/architecture.md, "The import rule").`,
          })),
        },
      ],
    },
  }));
}

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', '.e2e/**', 'test/fixtures/**', '**/*.vsix', 'runs/**', '.condensation/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.node, ...globals.mocha },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    files: ['webview/**/*.ts', 'test/browser/**/*.ts', 'test/e2e/harness/**'],
    languageOptions: { globals: globals.browser },
  },
  // The e2e suites run inside VS Code's extension host as CommonJS.
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  ...importRuleBlocks(),
);
