// Folder boundaries are enforced here so a slip fails the build (DESIGN.md "Layout").
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noVscodeNoPyodide = {
  paths: [
    { name: 'vscode', message: 'src/engine and src/runtime must not import vscode.' },
  ],
  patterns: [
    { group: ['pyodide', 'pyodide/*'], message: 'The engine must not import Pyodide.' },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', '.vscode-test/**', 'test-output/**', 'src/runtime/python/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', noVscodeNoPyodide] },
  },
  {
    files: ['src/runtime/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: noVscodeNoPyodide.paths,
        patterns: [{ group: ['**/panel/**', '**/extension'], message: 'The runtime must not depend on the VS Code side.' }],
      }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: noVscodeNoPyodide.paths,
        patterns: [{ group: ['**/engine/**', '**/runtime/**', '**/panel/**', 'pyodide'], message: 'src/shared holds plain types only.' }],
      }],
    },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: noVscodeNoPyodide.paths,
        patterns: [{ group: ['**/src/engine/**', '**/src/runtime/**', '**/src/panel/**', '**/src/extension', 'pyodide'], message: 'The webview imports only src/shared.' }],
      }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
