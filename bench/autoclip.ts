/**
 * AutoClip's norm history against the obvious reference, np.percentile over the whole history
 * re-sorted at every step, in the same process on the same norms: cost per step and the
 * threshold error once the history has passed its exact cap and become a reservoir.
 *   npm run bench:autoclip [-- --steps 100000] [--json]
 */
import { AUTOCLIP_EXACT_CAP, NormHistory } from '../src/core/train/autoclip'
import { percentileOfSorted } from '../src/core/stats'

const args = process.argv.slice(2)
const steps = Number(args[args.indexOf('--steps') + 1] ?? NaN) || 100_000
const json = args.includes('--json')
const P = 10

// log-normal norms with a slow drift, as a run's norms fall while it learns
// (xorshift32 mixed with a Weyl sequence: an LCG's correlated pairs bias Box–Muller's normals)
let xs = 0x9e3779b9
let weyl = 0x243f6a88
const uniform = () => {
  xs ^= xs << 13
  xs >>>= 0
  xs ^= xs >>> 17
  xs ^= xs << 5
  xs >>>= 0
  weyl = (weyl + 0x6d2b79f5) >>> 0
  return (((xs ^ weyl) >>> 0) + 0.5) / 4294967296
}
const norms = Array.from({ length: steps }, (_, k) => Math.fround(Math.exp(Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()) - k / steps)))

const history = new NormHistory(7)
const ours = new Float64Array(steps)
let started = performance.now()
norms.forEach((n, k) => {
  history.add(n)
  ours[k] = history.percentile(P)
})
const oursUs = ((performance.now() - started) * 1000) / steps

// the reference keeps every norm and sorts it all at every step: only affordable on a prefix
const referenceSteps = Math.min(steps, 20_000)
const all: number[] = []
const reference = new Float64Array(referenceSteps)
started = performance.now()
for (let k = 0; k < referenceSteps; k++) {
  all.push(norms[k]!)
  reference[k] = percentileOfSorted(Float64Array.from(all).sort(), P, 'linear')
}
const referenceUs = ((performance.now() - started) * 1000) / referenceSteps

// exact up to the cap; past it, where the reservoir's p10 lands in the rank of the full history
let exactMismatches = 0
for (let k = 0; k < Math.min(referenceSteps, AUTOCLIP_EXACT_CAP); k++) if (ours[k] !== reference[k]) exactMismatches++
const sortedAll = Float64Array.from(norms).sort()
const rank = sortedAll.findIndex((v) => v >= ours[steps - 1]!) / steps
const result = {
  steps, cap: AUTOCLIP_EXACT_CAP, percentile: P,
  oursMicrosecondsPerStep: Number(oursUs.toFixed(2)),
  referenceMicrosecondsPerStep: Number(referenceUs.toFixed(1)), referenceSteps,
  speedup: Number((referenceUs / oursUs).toFixed(0)),
  exactMismatchesBelowCap: exactMismatches,
  finalThresholdRankPercent: Number((rank * 100).toFixed(2)),
  statedRankSigmaPercent: Number((100 * Math.sqrt((P / 100) * (1 - P / 100) / AUTOCLIP_EXACT_CAP)).toFixed(2)),
}
if (json) process.stdout.write(JSON.stringify(result) + '\n')
else {
  process.stdout.write(
    `AutoClip history, ${steps} steps (cap ${AUTOCLIP_EXACT_CAP}): ${result.oursMicrosecondsPerStep} µs/step; ` +
      `sort-everything reference ${result.referenceMicrosecondsPerStep} µs/step over its first ${referenceSteps} steps (${result.speedup}× slower)\n` +
      `thresholds equal to the reference below the cap: ${exactMismatches === 0 ? 'all' : `${exactMismatches} differ`}; ` +
      `final threshold at rank ${result.finalThresholdRankPercent}% of all ${steps} norms (target ${P}%, stated σ ${result.statedRankSigmaPercent} points)\n`,
  )
}
