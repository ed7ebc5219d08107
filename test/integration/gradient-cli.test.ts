import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli'
import { workspaceWithSeries } from '../helpers/datasets'

const FLAGS = ['--horizon', '2', '--lookback', '6', '--filters', '2', '--batch', '16', '--backend', 'cpu', '--patience', '0']

describe('clipcast train --clip auto / show / suggest-clip', () => {
  it('trains with AutoClip, shows every step norm and suggests thresholds from them', () => {
    const { path: db, db: handle, datasetId } = workspaceWithSeries(240)
    handle.close()
    const train = runCli(['train', String(datasetId), '--epochs', '2', '--clip', 'auto', '--clip-percentile', '20', '--db', db, '--json', ...FLAGS])
    expect(train.code, train.stderr).toBe(0)
    const lines = train.json.filter((l) => l.event === 'epoch')
    const done = train.json.at(-1)! as { run: { id: number; config: { clip: string; clipPercentile: number } } }
    expect(done.run.config).toMatchObject({ clip: 'auto', clipPercentile: 20 })

    const show = runCli(['show', String(done.run.id), '--db', db, '--json'])
    const { epochs, run } = show.json[0] as { epochs: Array<{ stepNorms: number[]; clipThreshold: number }>; run: { epochRecords: Array<Record<string, unknown>> } }
    expect(epochs).toHaveLength(2)
    epochs.forEach((e, k) => {
      expect(e.stepNorms.length).toBeGreaterThan(3)
      expect(e.stepNorms.every((n) => n > 0)).toBe(true)
      expect(e.clipThreshold).toBe(lines[k]!.clipThreshold)
    })
    // the step norms appear once, under epochs
    expect(run.epochRecords[0]).not.toHaveProperty('stepNorms')

    const suggest = runCli(['suggest-clip', String(done.run.id), '--db', db, '--json'])
    expect(suggest.code, suggest.stderr).toBe(0)
    const { suggestions } = suggest.json[0] as { suggestions: Array<{ mode: string; threshold: number; why: string }> }
    expect(suggestions.map((s) => s.mode)).toEqual(['auto', 'norm'])
    for (const s of suggestions) {
      expect(s.threshold).toBeGreaterThan(0)
      expect(s.why).toMatch(/percentile .* clipped \d+%/)
    }
    const text = runCli(['suggest-clip', String(done.run.id), '--db', db])
    expect(text.stdout).toContain('--clip auto --clip-percentile 10')
  })
})
