// Shared flat config. Each package's eslint.config.js calls `cdsConfig(import.meta.dirname)`.
import js from '@eslint/js'
import { defineConfig } from 'eslint/config'
import tseslint from 'typescript-eslint'

/**
 * @param {string} tsconfigRootDir folder of the package being linted
 * @param {{ restrictImports?: string[] }} [options]
 */
export function cdsConfig(tsconfigRootDir, options = {}) {
  return defineConfig(
    { ignores: ['dist/**', 'json-schema/**', 'openapi/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
    js.configs.recommended,
    tseslint.configs.strictTypeChecked,
    {
      languageOptions: {
        parserOptions: { projectService: true, tsconfigRootDir },
      },
      rules: {
        '@typescript-eslint/no-explicit-any': 'error',
        // Fastify plugins and handlers are async by contract even when they do not await.
        '@typescript-eslint/require-await': 'off',
        '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
        '@typescript-eslint/no-invalid-void-type': ['error', { allowAsThisParameter: true }],
        '@typescript-eslint/consistent-type-imports': 'error',
        '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
        '@typescript-eslint/no-unnecessary-condition': 'off',
        '@typescript-eslint/no-dynamic-delete': 'off',
        '@typescript-eslint/no-extraneous-class': 'off',
        '@typescript-eslint/unified-signatures': 'off',
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              // Never reach into another package's sources (STYLE.md §2.7).
              { group: ['@cds-ts/*/src/*', '../../*/src/*'], message: 'Import the package through its exports map.' },
              ...(options.restrictImports ?? []).map((name) => ({
                group: [name, `${name}/*`],
                message: `${name} may not be imported here (STYLE.md §2.1).`,
              })),
            ],
          },
        ],
      },
    },
    {
      files: ['**/*.test.ts', '**/*.test-d.ts', 'test/**/*.ts'],
      rules: {
        '@typescript-eslint/no-non-null-assertion': 'off',
        // Fixtures mutate decoded values freely to build invalid variants.
        '@typescript-eslint/no-explicit-any': 'off',
        '@typescript-eslint/no-unsafe-member-access': 'off',
        '@typescript-eslint/no-unsafe-assignment': 'off',
        '@typescript-eslint/no-unsafe-argument': 'off',
        '@typescript-eslint/no-unsafe-call': 'off',
        '@typescript-eslint/no-unsafe-return': 'off',
        '@typescript-eslint/no-confusing-void-expression': 'off',
      },
    },
  )
}
