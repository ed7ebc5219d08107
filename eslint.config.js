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
// the hosts and the renderer: src/core imports none of them
const hosts = ['main', 'preload', 'server', 'cli', 'renderer']
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] })
// electron-vite's ESM shim adds top-level `require`, `__dirname` and `__filename` to a bundled chunk
// that mentions them: a module declaring its own would not parse once bundled
const bundleShimNames = {
  selector: ':matches(VariableDeclarator, FunctionDeclaration, ClassDeclaration, ImportSpecifier, ImportDefaultSpecifier, ImportNamespaceSpecifier) > Identifier.id[name=/^(require|__dirname|__filename)$/], :matches(ImportSpecifier, ImportDefaultSpecifier, ImportNamespaceSpecifier) > Identifier.local[name=/^(require|__dirname|__filename)$/]',
  message: 'Name it otherwise: the bundle\'s ESM shim declares require, __dirname and __filename itself.',
}
const sqlOutsideStore = [
  { selector: "CallExpression[callee.property.name='prepare']", message: 'SQL lives in src/core/store; add a repository function there.' },
  { selector: "CallExpression[callee.object.name='db'][callee.property.name=/^(exec|pragma)$/]", message: 'SQL lives in src/core/store; add a repository function there.' },
]
// a deferred transaction that reads, then writes, fails at once (SQLITE_BUSY) while another process
// writes; writeTransaction (src/core/store/workspace.ts) takes the write lock first and retries
const bareTransaction = { selector: "CallExpression[callee.property.name='transaction']", message: 'Use writeTransaction (src/core/store/workspace.ts): it takes the write lock first and retries while another process writes.' }
// lines of code: blank lines and comments do not count
const sizeLimit = (max) => ({ max, skipBlankLines: true, skipComments: true })
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
  { files: ['src/**/*.{ts,mts,mjs,vue}'], rules: { 'no-restricted-syntax': ['error', bundleShimNames] } },
  // files small and named for what they hold; a longer function says why on the line above it:
  // `// eslint-disable-next-line max-lines-per-function -- <reason>`
  { files: ['src/**'], rules: { 'max-lines': ['error', sizeLimit(300)], 'max-lines-per-function': ['error', sizeLimit(60)] } },
  // SQL lives in src/core/store: a statement anywhere else in core fails the lint (this block repeats
  // the shim rule, as a later block replaces an earlier one's options for the same rule)
  { files: ['src/core/**/*.{ts,mts}'], ignores: ['src/core/store/**'], rules: { 'no-restricted-syntax': ['error', bundleShimNames, ...sqlOutsideStore, bareTransaction] } },
  { files: ['src/core/store/**/*.{ts,mts}'], ignores: ['src/core/store/workspace.ts'], rules: { 'no-restricted-syntax': ['error', bundleShimNames, bareTransaction] } },
  { files: ['src/shared/**'], rules: restrict(nodeBuiltins, electron, vueAndCharts, engine, layer('core', 'main', 'preload', 'server', 'cli', 'renderer')) },
  { files: ['src/core/**'], rules: restrict(electron, vueAndCharts, layer(...hosts)) },
  // core's own folders, lowest first: kernels < model < data < eval < train, and the store, which
  // takes nothing from them but types (of data and train)
  { files: ['src/core/kernels/**'], rules: restrict(electron, vueAndCharts, layer(...hosts), layer('model', 'data', 'store', 'eval', 'train')) },
  { files: ['src/core/model/**'], rules: restrict(electron, vueAndCharts, layer(...hosts), layer('data', 'store', 'eval', 'train')) },
  { files: ['src/core/data/**'], rules: restrict(electron, vueAndCharts, layer(...hosts), layer('eval', 'train')) },
  { files: ['src/core/eval/**'], rules: restrict(electron, vueAndCharts, layer(...hosts), layer('train')) },
  {
    files: ['src/core/store/**'],
    rules: {
      ...restrict(electron, vueAndCharts, layer(...hosts), layer('kernels', 'model', 'eval')),
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ ...layer('data', 'train'), allowTypeImports: true, message: 'The store takes only types from data and train (see docs/architecture.md, "Layers").' }] }],
    },
  },
  // `clipcast serve` starts the browser host, so the CLI may import src/server
  { files: ['src/cli/**'], rules: restrict(electron, vueAndCharts, layer('main', 'preload', 'renderer')) },
  { files: ['src/server/**'], rules: restrict(electron, vueAndCharts, layer('main', 'preload', 'cli', 'renderer')) },
  { files: ['src/main/**'], rules: restrict(vueAndCharts, layer('cli', 'renderer', 'preload')) },
  { files: ['src/preload/**'], rules: restrict(vueAndCharts, engine, layer('core', 'main', 'server', 'cli', 'renderer')) },
  { files: ['src/renderer/**'], rules: restrict(nodeBuiltins, electron, engine, except(layer('core', 'main', 'preload', 'server', 'cli'), 'echarts/core')) },
)
