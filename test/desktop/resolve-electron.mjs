// module resolution hook: `electron` is the stand-in, everything else resolves as usual
const standIn = new URL('./electron-stand-in.mjs', import.meta.url).href

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron' || specifier === 'electron/main') return { url: standIn, shortCircuit: true }
  return nextResolve(specifier, context)
}
