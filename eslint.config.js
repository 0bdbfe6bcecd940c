// The linter, run by `npm run lint` and by .ci/run: ESLint's recommended rules plus typescript-eslint's
// `recommended` set. Not the type-checked set: it needs a full program per file and is too slow on two cores;
// `npm run typecheck` already runs the compiler. The layering rules live in .dependency-cruiser.cjs.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // build outputs, the compiled engine, generated migrations and the AssemblyScript sources (not TypeScript)
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/build/**',
      '**/out/**',
      '**/.vite/**',
      '**/.wrangler/**',
      '**/.coinsphere/**',
      'artifacts/**',
      'test-output/**',
      'packages/engine/wasm/**',
      'packages/engine/assembly/**',
      'packages/data/migrations/**',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      // the tree is checked as one program (tsconfig.json: lib DOM + types node); the runtime rules per package
      // are the layering check's job, so the linter knows both sets of globals
      globals: { ...globals.node, ...globals.browser },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // the tree's convention: a leading underscore marks a binding kept on purpose (an interface's parameter,
      // a key dropped from a rest spread)
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // issue #12: no function over ~60 lines in the product's code (tests and test servers are exempt: a test
    // reads best as one story)
    files: ['**/*.ts'],
    ignores: ['**/*.test.ts', '**/*test-server.ts', 'tests/**'],
    rules: { 'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }] },
  },
  {
    // CommonJS files (.dependency-cruiser.cjs) can only load with require
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // STYLE.md: packages/model and packages/engine run anywhere, so no Node globals (node: imports are the
    // layering check's rule, in .dependency-cruiser.cjs); tests run on Node and may use them
    files: ['packages/model/src/**/*.ts', 'packages/engine/src/**/*.ts'],
    ignores: ['**/*.test.ts', 'packages/engine/src/node.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'packages/model and packages/engine run anywhere: take the value from the caller.' },
        { name: 'Buffer', message: 'packages/model and packages/engine run anywhere: use Uint8Array.' },
        { name: '__dirname', message: 'packages/model and packages/engine run anywhere: use new URL(..., import.meta.url).' },
      ],
    },
  },
);
