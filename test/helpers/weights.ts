import type { ConvLstmModel } from '../../src/core/model/convlstm'

/** Copies of a model's weights by name, read synchronously (the cpu and wasm backends; the app reads them with readWeights). */
export function weightsOf(model: Pick<ConvLstmModel, 'variables' | 'variableNames'>): Map<string, Float32Array> {
  return new Map(model.variables.map((v, k) => [model.variableNames[k]!, Float32Array.from(v.dataSync() as Float32Array)]))
}
