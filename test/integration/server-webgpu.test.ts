import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { workspaceWithSeries } from '../helpers/datasets'
import { webgpuAdapter, webgpuSkipReason } from '../helpers/webgpu'

// the browser host trains in the same worker-thread process as the CLI: a webgpu run through its HTTP API
describe.skipIf(webgpuAdapter === undefined)(`clipcast serve with --backend webgpu${webgpuSkipReason}`, () => {
  it('trains a webgpu run started over HTTP to completion and records the adapter', async () => {
    const { path, db, datasetId } = workspaceWithSeries(120)
    db.close()
    const token = 'webgpu-token-1234567'
    const child = spawn(process.execPath, ['bin/clipcast.mjs', 'serve', '--port', '0', '--db', path], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CLIPCAST_TOKEN: token } })
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let stdout = ''
        child.stdout!.on('data', (chunk: Buffer) => {
          stdout += chunk.toString()
          const found = /serving (http:\/\/\S+)/.exec(stdout)?.[1]
          if (found) resolve(found)
        })
        child.on('exit', (code) => reject(new Error(`serve exited with ${code}`)))
      })
      const call = async (method: string, ...args: unknown[]) => {
        const response = await fetch(`${url}/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-clipcast-token': token }, body: JSON.stringify(args) })
        return ((await response.json()) as { value: unknown }).value
      }
      const { runId } = (await call('startRun', { datasetId, horizon: 2, lookback: 4, filters: 2, batch: 32, epochs: 2, backend: 'webgpu', patience: 0, highway: 'off', normalize: 'global' })) as { runId: number }
      let run: { status: string; backend: string; versions: Record<string, string> }
      do {
        await new Promise((resolve) => setTimeout(resolve, 250))
        run = (await call('getRun', runId)) as typeof run
      } while (run.status === 'queued' || run.status === 'running')
      expect(run).toMatchObject({ status: 'completed', backend: 'webgpu', versions: { gpuDescription: webgpuAdapter!.description } })
    } finally {
      child.kill('SIGTERM')
    }
  }, 180_000)
})
