// `npm run bench [-- --json] [--configs S,M,L] [--steps N] [--backend auto|wasm|cpu|tensorflow|webgpu[,…]] [--no-reference]`
// `--backend webgpu` alone means `wasm,webgpu`: the GPU rows next to the CPU path's, in the same command.
// Trains the product's own engine (createModel + createTrainer) on the issue's ConvLSTM
// configs, each in a child process (its own wasm heap and peak RSS), then the same model in
// PyTorch (bench/reference/convlstm_step.py, 2 threads) when /usr/bin/python3 has torch.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { loadavg } from 'node:os'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BENCH_CONFIGS, type BenchConfigName, benchEngineStep, type EngineResult } from './engine-step'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '..')
const PYTHON = '/usr/bin/python3'
const DEFAULT_STEPS: Record<BenchConfigName, number> = { S: 20, M: 10, L: 5 }

interface Row {
  config: string
  backend: string
  threads: number
  device: string | null
  software: string | null
  msPerStep: number
  msSpread: number
  referenceMsPerStep: number | null
  ratio: number | null
  tensorsLeaked: number
  peakRssMiB: number
}

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name)
  return at >= 0 ? process.argv[at + 1] : undefined
}

async function child(config: BenchConfigName, steps: number, backend: string): Promise<void> {
  const result = await benchEngineStep(config, steps, backend as 'auto')
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

function lastJsonLine(text: string): unknown {
  const line = text.trim().split('\n').filter((l) => l.startsWith('{')).pop()
  return line === undefined ? undefined : JSON.parse(line)
}

function runEngine(config: BenchConfigName, steps: number, backend: string): EngineResult {
  const out = spawnSync(process.execPath, [resolve(root, 'bin/run-ts.mjs'), resolve(here, 'train-step.ts'), '--child', config, '--steps', String(steps), '--backend', backend], { encoding: 'utf8', maxBuffer: 1 << 26 })
  const parsed = lastJsonLine(out.stdout ?? '') as EngineResult | undefined
  if (out.status !== 0 || parsed === undefined) throw new Error(`bench ${config} failed (exit ${out.status}): ${(out.stderr ?? '').trim().split('\n').slice(-5).join('\n')}`)
  return parsed
}

function referenceAvailable(): string | null {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' })
  return probe.status === 0 ? null : `torch does not import in ${PYTHON} (${(probe.stderr ?? '').trim().split('\n').pop()})`
}

function runReference(config: BenchConfigName, steps: number): number | null {
  const out = spawnSync(PYTHON, [resolve(here, 'reference/convlstm_step.py'), '--config', config, '--steps', String(steps), '--threads', '2'], { encoding: 'utf8' })
  const parsed = lastJsonLine(out.stdout ?? '') as { msPerStep: number } | undefined
  return out.status === 0 && parsed !== undefined ? parsed.msPerStep : null
}

function formatTable(rows: Row[]): string {
  const header = ['config', 'backend', 'device', 'threads', 'ms/step', '± (IQR)', 'PyTorch ms/step', 'ratio', 'tensors leaked', 'peak RSS MiB']
  const cells = rows.map((r) => [r.config, r.backend, r.device === null ? '—' : `${r.device}${r.software === null ? '' : ' [software]'}`, String(r.threads), r.msPerStep.toFixed(1), r.msSpread.toFixed(1), r.referenceMsPerStep === null ? '—' : r.referenceMsPerStep.toFixed(1), r.ratio === null ? '—' : `${r.ratio.toFixed(2)}×`, String(r.tensorsLeaked), r.peakRssMiB.toFixed(0)])
  const widths = header.map((h, k) => Math.max(h.length, ...cells.map((c) => c[k]!.length)))
  const line = (c: string[]) => c.map((v, k) => (k === 2 ? v.padEnd(widths[k]!) : v.padStart(widths[k]!))).join('  ')
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n')
}

async function main(): Promise<void> {
  const backendOption = option('--backend') ?? 'auto'
  const childConfig = option('--child')
  const stepsOption = option('--steps')
  if (childConfig !== undefined) {
    await child(childConfig as BenchConfigName, Number(stepsOption ?? DEFAULT_STEPS[childConfig as BenchConfigName]), backendOption)
    return
  }
  const backends = backendOption === 'webgpu' ? ['wasm', 'webgpu'] : backendOption.split(',').map((b) => b.trim())
  const json = process.argv.includes('--json')
  const configs = (option('--configs') ?? 'S,M,L').split(',').map((c) => c.trim().toUpperCase()) as BenchConfigName[]
  for (const c of configs) if (!(c in BENCH_CONFIGS)) throw new Error(`unknown config ${c}; choose from ${Object.keys(BENCH_CONFIGS).join(', ')}`)
  const noReference = process.argv.includes('--no-reference') ? '--no-reference given' : referenceAvailable()
  const say = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`)
  say(`load average ${loadavg().map((v) => v.toFixed(2)).join(' ')} (other processes share these cores; compare ratios, not absolute times)`)
  if (noReference !== null) say(`PyTorch reference skipped: ${noReference}`)
  const rows: Row[] = []
  for (const config of configs) {
    const steps = stepsOption === undefined ? DEFAULT_STEPS[config] : Number(stepsOption)
    const reference = noReference === null ? runReference(config, steps) : null
    for (const backend of backends) rows.push(engineRow(config, steps, backend, reference, say))
  }
  say(formatTable(rows))
  const software = rows.find((r) => r.software !== null)
  if (software) say(`note: ${software.device} is a software adapter (${software.software}): its webgpu times measure a CPU emulating a GPU and say nothing about a GPU`)
  say(`load average ${loadavg().map((v) => v.toFixed(2)).join(' ')}`)
  if (json) process.stdout.write(`${JSON.stringify(rows)}\n`)
}

function engineRow(config: BenchConfigName, steps: number, backend: string, reference: number | null, say: (line: string) => void): Row {
  const engine = runEngine(config, steps, backend)
  say(`${config}: ${engine.backend}${engine.device ? ` on ${engine.device}` : ''} ${engine.msPerStep.toFixed(1)} ms/step${reference === null ? '' : `, PyTorch ${reference.toFixed(1)} ms/step`} (${engine.detail})`)
  return {
    config,
    backend: engine.backend,
    device: engine.device,
    software: engine.software,
    threads: engine.threads,
    msPerStep: engine.msPerStep,
    msSpread: engine.msSpread,
    referenceMsPerStep: reference,
    ratio: reference === null ? null : engine.msPerStep / reference,
    tensorsLeaked: engine.tensorsLeaked,
    peakRssMiB: engine.peakRssMiB,
  }
}

await main()
