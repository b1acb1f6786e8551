'use strict';
// ESLint for the package, its tests, the examples and the benchmark (ci/lint runs it).
const js = require('@eslint/js');
const globals = require('globals');

module.exports = [
  { ignores: ['build/', 'node_modules/'] },
  js.configs.recommended,
  {
    files: ['**/*.js'],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'commonjs',
      globals: { ...globals.node },
    },
    rules: {
      'no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: 'error',
      'prefer-const': 'error',
    },
  },
];
