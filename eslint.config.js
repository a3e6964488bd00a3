import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The whole tree, with the recommended rules of ESLint and typescript-eslint (syntax only, so it
// runs in seconds without type information; `npm run typecheck` covers types).
export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', '.zpl/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
