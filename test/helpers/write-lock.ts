import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'

const sqlitePath = createRequire(import.meta.url).resolve('better-sqlite3')

/** Another process that takes the write lock, reports it, and holds it for `holdMs`. */
export async function holdWriteLock(path: string, holdMs: number): Promise<ChildProcess> {
  const script = `const D = require(${JSON.stringify(sqlitePath)}); const db = new D(${JSON.stringify(path)});
    db.exec('BEGIN IMMEDIATE'); console.log('locked');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${holdMs}); db.exec('COMMIT'); db.close()`
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (data: Buffer) => String(data).includes('locked') && resolve())
    child.on('exit', (code) => reject(new Error(`lock holder exited with ${code}`)))
  })
  return child
}
