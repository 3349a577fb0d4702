// ESLint with typescript-eslint's type-aware recommended rules, run by `npm run lint`
// (part of `npm test`). Layering is dependency-cruiser's job (.dependency-cruiser.cjs).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'vendor/**', 'node_modules/**', 'fixtures/build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Interfaces here declare callbacks with method syntax and are implemented by arrow
      // functions (table.nameOf, VNode.open, options.randomBytes): passing them is the norm.
      '@typescript-eslint/unbound-method': 'off',
      // A union such as `UtimeValue | number` names the special values a number may take.
      '@typescript-eslint/no-redundant-type-constituents': 'off',
      // It calls assertions unnecessary that tsc needs: a field narrowed to null by an earlier
      // assignment (emu/api/emulator.ts), a base type widened to a subtype (kernel-shim/uffd).
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
    },
  },
  {
    // koffi's foreign functions return `any`: the FFI modules give those values their types.
    // The engine's hooks store whatever a callback threw and rethrow it after the run.
    files: ['cpu/**/*.ts', 'host/**/*.ts', 'kernel-shim/fs/hostcalls.ts'],
    rules: {
      '@typescript-eslint/only-throw-error': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Linux's errno aliases (EWOULDBLOCK = EAGAIN, EOPNOTSUPP = ENOTSUP) share values.
    files: ['kernel-shim/errno.ts'],
    rules: { '@typescript-eslint/no-duplicate-enum-values': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', module: 'writable', require: 'readonly', __dirname: 'readonly' } },
  },
);
