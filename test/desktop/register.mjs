// `node --import ./test/desktop/register.mjs out/main/index.js`: the bundled main process under
// plain Node, with `electron` resolved to the stand-in next to this file.
import { register } from 'node:module'

register('./resolve-electron.mjs', import.meta.url)
