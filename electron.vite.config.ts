import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import vue from '@vitejs/plugin-vue'

// main and preload keep node_modules external (better-sqlite3 and tfjs load their native or
// wasm parts at run time); the preload is one CommonJS file, as a sandboxed preload must be.
export default defineConfig({
  main: {
    build: {
      // webgpu is an optional dependency (Dawn's prebuilt addon), so it is named: it finds dawn.node beside itself
      externalizeDeps: { include: ['webgpu'] },
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/main/index.ts') },
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    build: {
      // electron-vite leaves output unminified; the browser host sends it over the network
      minify: true,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/renderer/index.html') },
      },
    },
    plugins: [vue()],
  },
})
