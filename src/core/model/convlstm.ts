import * as tf from '@tensorflow/tfjs'
import { ClipcastError } from '../../shared/errors'
import { unrollLayer, type CellParams } from './cell'
import { fusedConvLstmStack } from '../kernels/convlstm-stack'
import { registerCpuKernels } from './cpu-kernels'
import { glorotUniform, initKernel, orthogonal, variableSeed } from './initializers'
import type { ModelSpec } from './spec'

export interface WeightInfo {
  name: string
  shape: number[]
}

export interface ConvLstmModel {
  spec: ModelSpec
  /** Trainable variables in a fixed order; their logical names are in `variableNames`. */
  variables: tf.Variable[]
  /** Logical names, parallel to `variables`: 'layer0/kernel', 'layer0/bias', 'layer0/gamma', 'layer0/cellGamma', 'layer0/cellBeta', …, 'head/kernel', 'head/bias', then 'highway/kernel' when the spec has one. */
  variableNames: string[]
  /** x: [batch, time, rows, cols, channels] → [batch, horizon, targets] */
  predict(x: tf.Tensor5D): tf.Tensor3D
  /** Names and shapes in variable order (for checkpoints). */
  weightShapes(): WeightInfo[]
  /** Copies of every weight by name, read without blocking: the only way on the webgpu backend, whose variables live on the device. */
  readWeights(): Promise<Map<string, Float32Array>>
  /** Replaces every weight; CHECKPOINT_MISMATCH on a missing, extra or wrongly sized weight, NON_FINITE_WEIGHTS on NaN/±Inf. Nothing changes on error. */
  setWeights(weights: Map<string, Float32Array>): void
  dispose(): void
}

interface LayerVariables {
  kernel: tf.Variable
  bias: tf.Variable
  norm?: { gateGamma: tf.Variable; cellGamma: tf.Variable; cellBeta: tf.Variable }
}

// tf.Variable names are global to the engine, so each model gets its own prefix.
let modelCount = 0

/**
 * The kernel's spatial size for an input of rows×cols: on an axis of length 1 (the single
 * row of the subseq layout) a k-wide 'same' kernel's off-centre taps only ever meet zero
 * padding, so that axis gets size 1 (Keras sub-sequence ConvLSTM2D models use (1, k)).
 */
export function kernelSize(spec: ModelSpec): [number, number] {
  const [, rows, cols] = spec.inputShape
  return [rows === 1 ? 1 : spec.kernel, cols === 1 ? 1 : spec.kernel]
}

/** A model's variables in their fixed order, and the same variables by role. */
interface ModelVariables {
  variables: tf.Variable[]
  variableNames: string[]
  layers: LayerVariables[]
  headKernel: tf.Variable
  headBias: tf.Variable
  highwayKernel?: tf.Variable
}

export function createModel(spec: ModelSpec): ConvLstmModel {
  validateSpec(spec)
  registerCpuKernels()
  const weights = createVariables(spec, `convlstm${++modelCount}`)
  const { variables, variableNames } = weights
  const weightShapes = (): WeightInfo[] => variables.map((v, k) => ({ name: variableNames[k] as string, shape: [...v.shape] }))
  return {
    spec,
    variables,
    variableNames,
    predict: (x) => predict(spec, weights, x),
    weightShapes,
    // copies: on the cpu backend data() hands out the variable's own buffer
    readWeights: async () => new Map(await Promise.all(variables.map(async (v, k) => [variableNames[k] as string, Float32Array.from((await v.data()) as Float32Array)] as const))),
    setWeights: (values) => assignWeights(weights, weightShapes(), values),
    dispose: () => tf.dispose(variables),
  }
}

/** The variables of the spec, seeded per name: each layer's fused kernel and bias (+ norm), the head, the highway. */
function createVariables(spec: ModelSpec, prefix: string): ModelVariables {
  const variables: tf.Variable[] = []
  const variableNames: string[] = []
  const add = (name: string, initial: tf.Tensor): tf.Variable => {
    const variable = tf.variable(initial, true, `${prefix}/${name}`)
    initial.dispose()
    variables.push(variable)
    variableNames.push(name)
    return variable
  }

  const [, rows, cols, channels] = spec.inputShape
  const [kh, kw] = kernelSize(spec)
  const F = spec.filters
  const layers: LayerVariables[] = []
  try {
    for (let n = 0; n < spec.layers; n++) {
      const inChannels = n === 0 ? channels : F
      const name = `layer${n}`
      const kernel = add(`${name}/kernel`, tf.tidy(() => {
        const seed = (part: string) => variableSeed(spec.seed, `${name}/kernel/${part}`)
        // input and recurrent parts get their own fans, as Keras' kernel and recurrent_kernel
        const inputPart = initKernel(spec.init === 'he' ? 'he' : 'glorot', [kh, kw, inChannels, 4 * F], seed('input'))
        const recurrentPart = spec.init === 'orthogonal'
          ? orthogonal([kh, kw, F, 4 * F], seed('recurrent'))
          : initKernel(spec.init, [kh, kw, F, 4 * F], seed('recurrent'))
        return tf.concat([inputPart, recurrentPart], 2) // [kh, kw, inChannels + F, 4F]
      }))
      // forget-gate bias 1 (Jozefowicz et al. 2015; Keras unit_forget_bias)
      const bias = add(`${name}/bias`, tf.tidy(() => tf.concat([tf.zeros([F]), tf.ones([F]), tf.zeros([2 * F])])))
      const layer: LayerVariables = { kernel, bias }
      if (spec.norm === 'layer') {
        layer.norm = {
          gateGamma: add(`${name}/gamma`, tf.ones([4 * F])),
          cellGamma: add(`${name}/cellGamma`, tf.ones([F])),
          cellBeta: add(`${name}/cellBeta`, tf.zeros([F])),
        }
      }
      layers.push(layer)
    }
    const headIn = rows * cols * F
    const headOut = headOutputs(spec)
    const headKernelShape = [headIn, headOut]
    const headSeed = variableSeed(spec.seed, 'head/kernel')
    const headKernel = add('head/kernel', spec.init === 'he' ? initKernel('he', headKernelShape, headSeed) : glorotUniform(headKernelShape, headSeed))
    const headBias = add('head/bias', tf.zeros([headOut]))
    // zeros: the highway starts as no correction, so with the window frame the first forecast is ~naive
    const highwayKernel = spec.highway ? add('highway/kernel', tf.zeros([inputSize(spec), headOut])) : undefined
    return { variables, variableNames, layers, headKernel, headBias, ...(highwayKernel ? { highwayKernel } : {}) }
  } catch (error) {
    tf.dispose(variables)
    throw error
  }
}

/** x: [batch, time, rows, cols, channels] → [batch, horizon, targets] */
function predict(spec: ModelSpec, weights: ModelVariables, x: tf.Tensor5D): tf.Tensor3D {
  const [, time, xr, xc, xch] = x.shape
  const [, rows, cols, channels] = spec.inputShape
  if (time !== spec.inputShape[0] || xr !== rows || xc !== cols || xch !== channels) {
    throw new ClipcastError('INVALID_CONFIG', `The model expects input [batch, ${spec.inputShape.join(', ')}]; got [${x.shape.join(', ')}].`, {
      hint: 'The batch was laid out for another model spec.',
    })
  }
  return tf.tidy(() => {
    const batch = x.shape[0]
    if (spec.recursive) return predictRecursive(spec, weights, x, spec.recursive.targetColumns)
    return tf.reshape(stepOutputs(spec, weights, x), [batch, spec.horizon, spec.targets]) as tf.Tensor3D
  })
}

/** The plain stack: layer n+1 reads layer n's hidden sequence; returns the last layer's last h. */
function unrollStack(layers: LayerVariables[], filters: number, x: tf.Tensor5D): tf.Tensor4D {
  // tfjs 4.22's unstack gradient breaks on an axis of length 1 (its lone dy reaches tf.stack
  // unwrapped), so one timestep is a squeeze: the same values, a gradient that works
  let sequence = (x.shape[1] === 1 ? [tf.squeeze(x, [1])] : tf.unstack(x, 1)) as tf.Tensor4D[] // T × [batch, rows, cols, channels]
  let last = sequence[0] as tf.Tensor4D
  layers.forEach((layer, n) => {
    const params: CellParams = { kernel: layer.kernel as tf.Tensor4D, bias: layer.bias as tf.Tensor1D, ...(layer.norm ? { norm: layer.norm as CellParams['norm'] } : {}) }
    const result = unrollLayer(params, sequence, { filters, returnSequence: n < layers.length - 1 })
    last = result.last
    sequence = result.sequence
  })
  return last
}

/** One pass of the stack and the head (+ highway): [batch, headOutputs(spec)]. */
function stepOutputs(spec: ModelSpec, weights: ModelVariables, x: tf.Tensor5D): tf.Tensor2D {
  const batch = x.shape[0]
  const [, rows, cols] = spec.inputShape
  const F = spec.filters
  // the fused whole-layer kernels on wasm (src/core/kernels, same maths); null where they do not apply
  const h = fusedConvLstmStack(x, weights.layers) ?? unrollStack(weights.layers, F, x) // [batch, rows, cols, F]
  // multi-step head: last hidden state → horizon × targets (direct) or targets (recursive)
  const flat = tf.reshape(h, [batch, rows * cols * F]) // [batch, rows·cols·F]
  let out = tf.add(tf.matMul(flat, weights.headKernel), weights.headBias) as tf.Tensor2D // [batch, headOutputs]
  if (weights.highwayKernel) out = tf.add(out, tf.matMul(tf.reshape(x, [batch, inputSize(spec)]), weights.highwayKernel)) // + [batch, time·rows·cols·channels] × kernel
  return out
}

/**
 * The recursive head: each step's prediction of the targets becomes the window's next row
 * (the other columns repeat their last value) and the window moves on by one row, `horizon`
 * times; gradients flow back through every unroll. x: [batch, nSeq, 1, nSteps, vars].
 */
function predictRecursive(spec: ModelSpec, weights: ModelVariables, x: tf.Tensor5D, targetColumns: number[]): tf.Tensor3D {
  const [batch, nSeq, , nSteps, vars] = x.shape
  const lookback = nSeq * nSteps
  const place = new Float32Array(targetColumns.length * vars) // [targets, vars]: target k → its input column
  targetColumns.forEach((column, k) => (place[k * vars + column] = 1))
  const scatter = tf.tensor2d(place, [targetColumns.length, vars])
  const keep = tf.sub(1, tf.sum(scatter, 0)) // [vars]: 1 where a column is not predicted
  let window = tf.reshape(x, [batch, lookback, vars]) as tf.Tensor3D
  const steps: tf.Tensor2D[] = []
  for (let s = 0; s < spec.horizon; s++) {
    const y = stepOutputs(spec, weights, tf.reshape(window, [batch, nSeq, 1, nSteps, vars]) as tf.Tensor5D) // [batch, targets]
    steps.push(y)
    if (s === spec.horizon - 1) break
    const lastRow = tf.slice(window, [0, lookback - 1, 0], [batch, 1, vars]) // [batch, 1, vars]
    const next = tf.add(tf.mul(lastRow, keep), tf.reshape(tf.matMul(y, scatter), [batch, 1, vars]))
    window = (lookback === 1 ? next : tf.concat([tf.slice(window, [0, 1, 0], [batch, lookback - 1, vars]), next], 1)) as tf.Tensor3D
  }
  return tf.stack(steps, 1) as tf.Tensor3D // [batch, horizon, targets]
}

/** Replaces every weight; CHECKPOINT_MISMATCH on a missing, extra or wrongly sized weight, NON_FINITE_WEIGHTS on NaN/±Inf. Nothing changes on error. */
function assignWeights({ variables, variableNames }: ModelVariables, expected: WeightInfo[], weights: Map<string, Float32Array>): void {
  const missing = expected.filter((w) => !weights.has(w.name)).map((w) => w.name)
  const extra = [...weights.keys()].filter((name) => !variableNames.includes(name))
  const wrongSize = expected.filter((w) => weights.has(w.name) && weights.get(w.name)?.length !== sizeOf(w.shape))
  if (missing.length > 0 || extra.length > 0 || wrongSize.length > 0) {
    const parts = [
      missing.length > 0 ? `missing ${missing.join(', ')}` : '',
      extra.length > 0 ? `unexpected ${extra.join(', ')}` : '',
      ...wrongSize.map((w) => `${w.name} has ${weights.get(w.name)?.length} values, the model needs ${sizeOf(w.shape)} ([${w.shape.join(', ')}])`),
    ].filter(Boolean)
    throw new ClipcastError('CHECKPOINT_MISMATCH', `The weights do not fit this model: ${parts.join('; ')}.`, {
      hint: 'The checkpoint was saved by a run with another architecture or dataset; load it with that run\'s configuration.',
      details: { missing, extra, wrongSize: wrongSize.map((w) => w.name) },
    })
  }
  const nonFinite = expected.filter((w) => (weights.get(w.name) as Float32Array).some((value) => !Number.isFinite(value))).map((w) => w.name)
  if (nonFinite.length > 0) {
    throw new ClipcastError('NON_FINITE_WEIGHTS', `Weights ${nonFinite.join(', ')} contain NaN or infinite values.`, {
      hint: 'Load an earlier checkpoint of this run.',
      details: { weights: nonFinite },
    })
  }
  tf.tidy(() => {
    variables.forEach((v, k) => v.assign(tf.tensor(weights.get(variableNames[k] as string) as Float32Array, v.shape)))
  })
}

/** Outputs of the head per pass: every horizon step × target (direct), or one step of each target (recursive). */
function headOutputs(spec: ModelSpec): number {
  return spec.recursive ? spec.targets : spec.horizon * spec.targets
}

/** Values per sample of the model input: the highway's fan-in. */
function inputSize(spec: ModelSpec): number {
  return sizeOf(spec.inputShape)
}

function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1)
}

function validateSpec(spec: ModelSpec): void {
  const positive = { time: spec.inputShape[0], rows: spec.inputShape[1], cols: spec.inputShape[2], channels: spec.inputShape[3], layers: spec.layers, filters: spec.filters, kernel: spec.kernel, horizon: spec.horizon, targets: spec.targets }
  const bad = Object.entries(positive).filter(([, value]) => !Number.isInteger(value) || value < 1)
  if (bad.length > 0) {
    throw new ClipcastError('INVALID_CONFIG', `The model spec needs positive whole numbers; got ${bad.map(([k, v]) => `${k}=${v}`).join(', ')}.`, {
      hint: 'Check {layers}, {filters}, {kernel}, {horizon} and the dataset\'s columns.',
      details: { settings: ['layers', 'filters', 'kernel', 'horizon'] },
    })
  }
}
