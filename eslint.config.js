// The folder rules of docs/architecture.md ("Layers"), enforced: a wrong import fails the lint, not a review.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import vue from 'eslint-plugin-vue'

const nodeBuiltins = { group: ['node:*'], message: 'This layer runs in a browser or is pure: no Node built-ins.' }
const electron = { group: ['electron', 'electron/*'], message: 'Only src/main and src/preload may import electron.' }
const vueAndCharts = { group: ['vue', 'vue-echarts', 'echarts', 'echarts/*'], message: 'Only the renderer may import Vue or ECharts.' }
const engine = { group: ['@tensorflow/*', 'better-sqlite3'], message: 'Tensors and SQLite belong to src/core.' }
const layer = (...names) => ({
  group: names.flatMap((name) => [`**/${name}`, `**/${name}/*`, `**/${name}/**`]),
  message: `This folder may not import from ${names.join(', ')} (see docs/architecture.md, "Layers").`,
})
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] })
// a layer pattern like **/core also matches a package's subpath (echarts/core): let named ones through
const except = (rule, ...allowed) => ({ ...rule, group: [...rule.group, ...allowed.map((p) => `!${p}`)] })

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**', 'test-results/**', 'playwright-report/**', 'bench/reference/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // TypeScript checks names; plain .mjs scripts run under Node with its globals
      'no-undef': 'off',
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  // electron-vite's ESM shim adds top-level `require`, `__dirname` and `__filename` to a bundled chunk
  // that mentions them: a module declaring its own would not parse once bundled
  {
    files: ['src/**/*.{ts,mts,mjs,vue}'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: ':matches(VariableDeclarator, FunctionDeclaration, ClassDeclaration, ImportSpecifier, ImportDefaultSpecifier, ImportNamespaceSpecifier) > Identifier.id[name=/^(require|__dirname|__filename)$/], :matches(ImportSpecifier, ImportDefaultSpecifier, ImportNamespaceSpecifier) > Identifier.local[name=/^(require|__dirname|__filename)$/]',
        message: 'Name it otherwise: the bundle\'s ESM shim declares require, __dirname and __filename itself.',
      }],
    },
  },
  { files: ['src/shared/**'], rules: restrict(nodeBuiltins, electron, vueAndCharts, engine, layer('core', 'main', 'preload', 'server', 'cli', 'renderer')) },
  { files: ['src/core/**'], rules: restrict(electron, vueAndCharts, layer('main', 'preload', 'server', 'cli', 'renderer')) },
  // `clipcast serve` starts the browser host, so the CLI may import src/server
  { files: ['src/cli/**'], rules: restrict(electron, vueAndCharts, layer('main', 'preload', 'renderer')) },
  { files: ['src/server/**'], rules: restrict(electron, vueAndCharts, layer('main', 'preload', 'cli', 'renderer')) },
  { files: ['src/main/**'], rules: restrict(vueAndCharts, layer('cli', 'renderer', 'preload')) },
  { files: ['src/preload/**'], rules: restrict(vueAndCharts, engine, layer('core', 'main', 'server', 'cli', 'renderer')) },
  { files: ['src/renderer/**'], rules: restrict(nodeBuiltins, electron, engine, except(layer('core', 'main', 'preload', 'server', 'cli'), 'echarts/core')) },
)
