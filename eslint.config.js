// ESLint with typescript-eslint's type-aware recommended rules, run by `npm run lint`
// (part of `npm test`). Layering is dependency-cruiser's job (.dependency-cruiser.cjs).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The page table is changed only through kernel-shim/mm/ (its page-entries.ts for the rest of the kernel). */
const PAGE_TABLE_ONLY_IN_MM = {
  selector: "MemberExpression[property.name='pageTable']",
  message: 'The page table belongs to kernel-shim/mm/: use its operations (mm/page-entries.ts).',
};
/**
 * Unicorn's constants and register ids stay in the engine: its C names (UC_HOOK_*, UC_ERR_*,
 * ...; not Linux's ucontext UC_SIGCONTEXT_SS) and the generated uc_* tables with their
 * X86_REG_* / X86_INS_* members.
 */
const UNICORN_ONLY_IN_CPU = {
  selector: 'Identifier[name=/^(UC_(ARCH|MODE|HOOK|ERR|X86|MEM|PROT|CTL|TLB|CPU|QUERY|API|VERSION)_|uc_[a-z]|X86_(REG|INS)_)/]',
  message: 'Unicorn constants and register ids belong to cpu/: the kernel speaks through kernel-shim/cpu-port.ts.',
};

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
  // The layering inside files, where dependency-cruiser's import rules cannot see it.
  {
    files: ['**/*.ts'],
    ignores: ['cpu/**', 'kernel-shim/mm/**'],
    rules: { 'no-restricted-syntax': ['error', PAGE_TABLE_ONLY_IN_MM, UNICORN_ONLY_IN_CPU] },
  },
  {
    files: ['kernel-shim/mm/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', UNICORN_ONLY_IN_CPU] },
  },
  {
    files: ['cpu/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', PAGE_TABLE_ONLY_IN_MM] },
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
