import * as tf from '@tensorflow/tfjs'
import { ClipcastError } from '../../shared/errors'
import { takeValues } from '../readback'
import type { ConvLstmModel } from '../model/convlstm'
import { NormHistory, type NormHistoryState } from './autoclip'
import { clipByGlobalNorm, clipByTensorNorm, clipByValue, type ClipMode } from './clipping'
import { decodeGradientStats, gradientStats } from './grad-norms'
import { computeLoss, type LossKind } from './losses'
import { createOptimizer, disposeOptimizer, setOptimizerLearningRate, type OptimizerKind } from './optimizers'
import { isPenalised, weightPenalty } from './regularization'

export interface TrainerOptions {
  loss: LossKind
  optimizer: OptimizerKind
  lr: number
  clip: ClipMode
  clipThreshold: number
  /** AutoClip's percentile (clip 'auto'; default 10). */
  clipPercentile?: number
  /** Seeds AutoClip's reservoir once the history passes its cap. */
  seed?: number
  l1: number
  l2: number
}

export interface StepResult {
  /** The data loss of the batch (without the L1/L2 penalty), before the update. */
  loss: number
  /** The L1/L2 penalty added to it for the gradients. */
  penalty: number
  /** Global L2 norm of all gradients before clipping. */
  preClipNorm: number
  /** Whether clipping changed the gradients (norm, auto: preClipNorm > threshold; tensor: some ‖g‖ > threshold; value: some |g| > threshold). */
  clipped: boolean
  /** The threshold this step was clipped at (AutoClip's percentile for 'auto'); null when clipping is off. */
  clipThreshold: number | null
  /** Loss, penalty and every gradient finite (a global norm that overflows float32 counts as not finite). */
  finite: boolean
  /** The batch's data loss was above `maxLoss` (a spike); the update was not applied. */
  spike: boolean
  /** The optimizer updated the weights; false when not finite or a spike, and then nothing changed. */
  applied: boolean
  /** Pre-clip L2 norms per layer ('layer0', 'head') and per gate ('layer0/i' … 'layer0/o'). */
  layerNorms: Record<string, number>
}

export interface OptimizerState {
  name: OptimizerKind
  /** tfjs optimizer weights with logical names: 'iter', then slots like 'layer0/kernel/m'. */
  tensors: Array<{ name: string; shape: number[]; values: Float32Array }>
}

export interface Trainer {
  /**
   * Forward, loss + L1/L2, gradients, pre-clip norm, clipping, and the update only when
   * everything is finite and the data loss is not above `limits.maxLoss` (the divergence
   * guard's spike limit, e.g. 1e3 × the best loss so far), so a caught step is never applied.
   */
  step(x: tf.Tensor5D, y: tf.Tensor3D, limits?: { maxLoss?: number }): Promise<StepResult>
  /** The data loss without regularisation; no update. */
  evaluate(x: tf.Tensor5D, y: tf.Tensor3D): Promise<number>
  setLearningRate(lr: number): void
  setClip(mode: ClipMode, threshold: number, percentile?: number): void
  /** AutoClip's norm history, for the checkpoint. */
  getClipHistory(): NormHistoryState
  setClipHistory(state: NormHistoryState): void
  readonly options: Readonly<TrainerOptions>
  getOptimizerState(): Promise<OptimizerState>
  /** CHECKPOINT_MISMATCH when the state belongs to another optimizer or model; nothing changes then. */
  setOptimizerState(state: OptimizerState): Promise<void>
  dispose(): void
}

/** Slot suffixes of tfjs' optimizers, in the order their getWeights lists them (after 'iter'). */
const SLOTS: Record<OptimizerKind, string[]> = { adam: ['m', 'v'], sgd: ['momentum'], rmsprop: ['rms', 'momentum'] }

export function createTrainer(model: ConvLstmModel, options: TrainerOptions): Trainer {
  return new ClipTrainer(model, options)
}

class ClipTrainer implements Trainer {
  private readonly current: TrainerOptions
  private optimizer: tf.Optimizer
  private readonly penalised: tf.Variable[]
  private history: NormHistory

  constructor(private readonly model: ConvLstmModel, options: TrainerOptions) {
    validateOptions(options)
    this.current = { ...options }
    this.optimizer = createOptimizer(options.optimizer, options.lr)
    this.penalised = model.variables.filter((_, k) => isPenalised(model.variableNames[k] as string))
    this.history = new NormHistory(options.seed ?? 0)
  }

  get options(): Readonly<TrainerOptions> {
    return { ...this.current }
  }

  async step(x: tf.Tensor5D, y: tf.Tensor3D, limits: { maxLoss?: number } = {}): Promise<StepResult> {
    const { model } = this
    const { loss: lossKind, l1, l2, clip } = this.current
    const names = model.variableNames
    let dataLoss: tf.Scalar | undefined
    let penaltyLoss: tf.Scalar | undefined
    let total: tf.Scalar | undefined
    let grads: tf.Tensor[] = []
    let stats: tf.Tensor | undefined
    try {
      const result = tf.variableGrads(() => {
        const loss = computeLoss(lossKind, model.predict(x), y)
        dataLoss = tf.keep(loss)
        if (l1 === 0 && l2 === 0) return loss
        penaltyLoss = tf.keep(weightPenalty(this.penalised, l1, l2))
        return tf.add(loss, penaltyLoss)
      }, model.variables)
      total = result.value
      // a variable the loss does not reach gets a zero gradient, so every list stays parallel
      grads = model.variables.map((v) => result.grads[v.name] ?? tf.zerosLike(v))
      // one download for the loss, the penalty and every gradient statistic
      stats = tf.tidy(() => tf.concat([tf.stack([dataLoss as tf.Scalar, total as tf.Scalar, penaltyLoss ?? tf.scalar(0)]), gradientStats(names, grads)]))
      const values = await stats.data()
      const loss = values[0] as number
      const penalty = values[2] as number
      const summary = decodeGradientStats(names, values as Float32Array, 3)
      const finite = Number.isFinite(loss) && Number.isFinite(values[1]) && Number.isFinite(summary.norm)
      const spike = finite && limits.maxLoss !== undefined && loss > limits.maxLoss
      const apply = finite && !spike
      const tensorNorms = names.map((_, k) => Math.sqrt(values[3 + k] as number))
      const threshold = this.thresholdFor(apply ? summary.norm : undefined)
      // AutoClip's history holds float32 norms: compare in the same precision, so a step is never clipped by its own rounding
      const norm = clip === 'auto' ? Math.fround(summary.norm) : summary.norm
      const clipped = finite && threshold !== null && (
        clip === 'value' ? summary.maxAbs > threshold : clip === 'tensor' ? tensorNorms.some((n) => n > threshold) : norm > threshold)
      if (apply) {
        tf.tidy(() => {
          const update = threshold === null ? grads
            : clip === 'value' ? clipByValue(grads, threshold)
              : clip === 'tensor' ? clipByTensorNorm(grads, threshold, tensorNorms)
                : clipByGlobalNorm(grads, threshold, norm)
          const named: tf.NamedTensorMap = {}
          model.variables.forEach((v, k) => (named[v.name] = update[k] as tf.Tensor))
          this.optimizer.applyGradients(named)
        })
      }
      return { loss, penalty, preClipNorm: summary.norm, clipped, clipThreshold: threshold, finite, spike, applied: apply, layerNorms: summary.layerNorms }
    } finally {
      tf.dispose([...grads, dataLoss, penaltyLoss, total, stats].filter((t): t is tf.Tensor => t !== undefined))
    }
  }

  /**
   * The step's threshold. AutoClip takes the applied step's norm into its history first (the
   * current norm included, as the reference code); a step that is not applied leaves the
   * history as it was, so a caught divergence does not move later thresholds.
   */
  private thresholdFor(appliedNorm: number | undefined): number | null {
    const { clip, clipThreshold, clipPercentile } = this.current
    if (clip === 'none') return null
    if (clip !== 'auto') return clipThreshold
    if (appliedNorm !== undefined) this.history.add(appliedNorm)
    const threshold = this.history.percentile(clipPercentile ?? 10)
    return Number.isNaN(threshold) ? null : threshold
  }

  getClipHistory(): NormHistoryState {
    return this.history.toState()
  }

  setClipHistory(state: NormHistoryState): void {
    this.history = NormHistory.fromState(state)
  }

  async evaluate(x: tf.Tensor5D, y: tf.Tensor3D): Promise<number> {
    return (await takeValues(tf.tidy(() => computeLoss(this.current.loss, this.model.predict(x), y))))[0] as number
  }

  setLearningRate(lr: number): void {
    validateOptions({ ...this.current, lr })
    this.current.lr = lr
    setOptimizerLearningRate(this.optimizer, lr)
  }

  setClip(mode: ClipMode, threshold: number, percentile?: number): void {
    validateOptions({ ...this.current, clip: mode, clipThreshold: threshold, clipPercentile: percentile ?? this.current.clipPercentile })
    this.current.clip = mode
    this.current.clipThreshold = threshold
    if (percentile !== undefined) this.current.clipPercentile = percentile
  }

  async getOptimizerState(): Promise<OptimizerState> {
    const internalToLogical = new Map(this.model.variables.map((v, k) => [v.name, this.model.variableNames[k] as string]))
    const weights = await this.optimizer.getWeights()
    try {
      const tensors = await Promise.all(weights.map(async ({ name, tensor }) => {
        const slash = name.lastIndexOf('/')
        const owner = slash < 0 ? undefined : internalToLogical.get(name.slice(0, slash))
        return {
          name: owner === undefined ? name : `${owner}${name.slice(slash)}`,
          shape: [...tensor.shape],
          values: Float32Array.from(await tensor.data()),
        }
      }))
      return { name: this.current.optimizer, tensors }
    } finally {
      // 'iter' is a fresh scalar; the slots are the optimizer's own variables
      for (const { name, tensor } of weights) if (name === 'iter') tensor.dispose()
    }
  }

  async setOptimizerState(state: OptimizerState): Promise<void> {
    const { model } = this
    const mismatch = (why: string) => new ClipcastError('CHECKPOINT_MISMATCH', `The optimizer state does not fit this run: ${why}.`, {
      hint: 'The checkpoint was saved by a run with another optimizer or architecture; resume it with that run\'s configuration.',
    })
    if (state.name !== this.current.optimizer) throw mismatch(`it is ${state.name}'s, this run uses ${this.current.optimizer}`)
    const byName = new Map(state.tensors.map((t) => [t.name, t]))
    const iter = byName.get('iter')
    if (iter === undefined || iter.values.length !== 1) throw mismatch('the iteration count is missing')
    const expected = state.tensors.length === 1 ? [] : SLOTS[this.current.optimizer].flatMap((slot) => model.variableNames.map((name, k) => ({ name: `${name}/${slot}`, internal: `${(model.variables[k] as tf.Variable).name}/${slot}`, shape: [...(model.variables[k] as tf.Variable).shape] })))
    if (state.tensors.length !== expected.length + 1) throw mismatch(`it has ${state.tensors.length - 1} slots, this model needs ${expected.length}`)
    for (const slot of expected) {
      const found = byName.get(slot.name)
      if (found === undefined) throw mismatch(`slot ${slot.name} is missing`)
      if (found.shape.join(',') !== slot.shape.join(',') || found.values.length !== slot.shape.reduce((a, b) => a * b, 1)) {
        throw mismatch(`slot ${slot.name} has shape [${found.shape.join(', ')}], the model needs [${slot.shape.join(', ')}]`)
      }
    }
    const fresh = createOptimizer(this.current.optimizer, this.current.lr)
    const tensors: Parameters<tf.Optimizer['setWeights']>[0] = [
      { name: 'iter', tensor: tf.scalar(iter.values[0] as number, 'int32') },
      ...expected.map((slot) => ({ name: slot.internal, tensor: tf.tensor((byName.get(slot.name) as OptimizerState['tensors'][number]).values, slot.shape) })),
    ]
    try {
      await fresh.setWeights(tensors)
    } catch (error) {
      disposeOptimizer(fresh)
      throw error
    } finally {
      tf.dispose(tensors.map((t) => t.tensor))
    }
    disposeOptimizer(this.optimizer)
    this.optimizer = fresh
  }

  dispose(): void {
    disposeOptimizer(this.optimizer)
  }
}

function validateOptions(options: TrainerOptions): void {
  if (!(options.lr > 0) || !Number.isFinite(options.lr)) {
    throw new ClipcastError('INVALID_CONFIG', `The learning rate must be a positive number; got ${options.lr}.`, { hint: 'Set {lr} to a value such as 0.001.', details: { settings: ['lr'] } })
  }
  if (options.clip !== 'none' && (!(options.clipThreshold > 0) || !Number.isFinite(options.clipThreshold))) {
    throw new ClipcastError('INVALID_CONFIG', `The clip threshold must be a positive number; got ${options.clipThreshold}.`, { hint: 'Set {clipThreshold} to a value such as 1.', details: { settings: ['clipThreshold'] } })
  }
  if (options.clipPercentile !== undefined && !(options.clipPercentile > 0 && options.clipPercentile <= 100)) {
    throw new ClipcastError('INVALID_CONFIG', `The AutoClip percentile must be above 0 and at most 100; got ${options.clipPercentile}.`, { hint: 'Set {clipPercentile} to a value such as 10.', details: { settings: ['clipPercentile'] } })
  }
  if (!(options.l1 >= 0) || !(options.l2 >= 0)) {
    throw new ClipcastError('INVALID_CONFIG', `L1 and L2 must be zero or positive; got l1=${options.l1}, l2=${options.l2}.`, { hint: 'Set {l1} and {l2} to 0 or a small value such as 1e-4.', details: { settings: ['l1', 'l2'] } })
  }
}
