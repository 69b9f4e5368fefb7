import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

export default ts.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.cache/**', '.sandbox/**'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Privacy: console.* bypasses the redacting logger.
      'no-console': 'error',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    // Only the thin Electron layer may import electron; everything else runs under Node.
    files: ['main/**/*.ts', 'common/**/*.ts', 'call/**/*.ts', 'call/**/*.svelte', 'renderer/**/*.ts', 'renderer/**/*.svelte', 'host/**/*.ts', 'janus-guard/**/*.ts'],
    ignores: ['main/platform/**', 'main/windows/**', 'main/ipc/electron-ipc.ts', 'main/index.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only main/platform, main/windows, main/ipc/electron-ipc.ts and main/index.ts import electron.' }] }] },
  },
  {
    files: ['scripts/**', 'test/**', 'bench/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // Playwright fixtures without dependencies are declared as `async ({}, use) => …`.
    files: ['test/e2e/**'],
    rules: { 'no-empty-pattern': 'off' },
  },
);
