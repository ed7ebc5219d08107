import { describe, expect, it } from 'vitest'
import { runCli, startCli } from '../helpers/cli'
import { workspaceWithSeries } from '../helpers/datasets'
import { webgpuAdapter, webgpuSkipReason } from '../helpers/webgpu'

// tiny: in CI the adapter is lavapipe (Vulkan on the CPU), and its first step compiles every shader
const FLAGS = ['--horizon', '2', '--lookback', '4', '--filters', '2', '--batch', '32', '--backend', 'webgpu', '--patience', '0', '--json']

describe.skipIf(webgpuAdapter === undefined)(`clipcast train --backend webgpu${webgpuSkipReason}`, () => {
  it('trains, stops on Ctrl-C with its epochs intact, resumes to completion and records the adapter', async () => {
    const { path, db, datasetId } = workspaceWithSeries(120)
    db.close()
    const live = startCli(['train', String(datasetId), '--epochs', '1000', '--db', path, ...FLAGS])
    try {
      await live.waitFor((l) => l.event === 'epoch' && l.epoch === 2, 90_000)
      live.child.kill('SIGINT')
      expect((await live.exited).code, live.stderr()).toBe(0)
    } finally {
      live.child.kill('SIGKILL')
    }
    const stopped = live.lines.at(-1)!.run as { id: number; status: string; epochs: number; backend: string }
    expect(stopped).toMatchObject({ status: 'stopped', backend: 'webgpu' })
    expect(stopped.epochs).toBeGreaterThanOrEqual(2)

    const resumed = runCli(['resume', String(stopped.id), '--epochs', String(stopped.epochs + 1), '--db', path, '--json'])
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(resumed.json.filter((l) => l.event === 'epoch').map((l) => l.epoch)).toEqual([stopped.epochs + 1])
    expect(resumed.json.at(-1)).toMatchObject({ event: 'done', run: { status: 'completed', backend: 'webgpu' } })

    const shown = runCli(['show', String(stopped.id), '--db', path, '--json']).json[0]!.run as {
      epochRecords: Array<{ epoch: number; trainLoss: number }>
      versions: Record<string, string>
      metrics: { mae: number } | null
    }
    expect(shown.epochRecords.map((e) => e.epoch)).toEqual(Array.from({ length: stopped.epochs + 1 }, (_, i) => i + 1))
    expect(shown.epochRecords.every((e) => Number.isFinite(e.trainLoss))).toBe(true)
    // the test split was scored on the device too
    expect(shown.metrics!.mae).toBeGreaterThan(0)
    expect(shown.versions).toMatchObject({ gpuVendor: webgpuAdapter!.vendor, gpuDescription: webgpuAdapter!.description, dawnBackend: webgpuAdapter!.dawnBackend })
    expect(runCli(['show', String(stopped.id), '--db', path]).stdout).toContain(`gpu ${webgpuAdapter!.description} (`)
  })
})
