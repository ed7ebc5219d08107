/**
 * Ridge regression by its normal equations, small and dense: (XᵀX + λI) B = XᵀY on centred
 * data, solved by Cholesky for every right-hand side at once. The intercept is not penalised
 * (it is the mean, put back after centring), as scikit-learn's Ridge(fit_intercept=True).
 */
export interface RidgeModel {
  features: number
  outputs: number
  /** [features, outputs], row-major */
  weights: Float64Array
  /** [outputs] */
  intercept: Float64Array
  lambda: number
}

/** Running sums of XᵀX, XᵀY and the means, fed a batch of rows at a time. */
export interface Gram {
  features: number
  outputs: number
  count: number
  /** Σx, Σy */
  sumX: Float64Array
  sumY: Float64Array
  /** Σxxᵀ [features, features] and Σxyᵀ [features, outputs], uncentred */
  xx: Float64Array
  xy: Float64Array
}

export function createGram(features: number, outputs: number): Gram {
  return { features, outputs, count: 0, sumX: new Float64Array(features), sumY: new Float64Array(outputs), xx: new Float64Array(features * features), xy: new Float64Array(features * outputs) }
}

/** Adds `rows` samples: x [rows, features], y [rows, outputs], row-major. */
export function addRows(gram: Gram, x: ArrayLike<number>, y: ArrayLike<number>, rows: number): void {
  const { features: d, outputs: m, xx, xy } = gram
  for (let r = 0; r < rows; r++) {
    const xo = r * d
    const yo = r * m
    for (let i = 0; i < d; i++) {
      const xi = x[xo + i]!
      gram.sumX[i]! += xi
      if (xi === 0) continue
      const row = i * d
      // the upper triangle only; solve() mirrors it
      for (let j = i; j < d; j++) xx[row + j]! += xi * x[xo + j]!
      const out = i * m
      for (let k = 0; k < m; k++) xy[out + k]! += xi * y[yo + k]!
    }
    for (let k = 0; k < m; k++) gram.sumY[k]! += y[yo + k]!
  }
  gram.count += rows
}

/** The centred Gram matrix's mean diagonal: the scale the penalties are relative to. */
export function meanVariance(gram: Gram): number {
  const { features: d, count } = gram
  let sum = 0
  for (let i = 0; i < d; i++) sum += gram.xx[i * d + i]! - (gram.sumX[i]! * gram.sumX[i]!) / count
  return d === 0 || count === 0 ? 0 : sum / d
}

/** Solves the ridge problem for penalty λ (on the centred sums). */
export function solveRidge(gram: Gram, lambda: number): RidgeModel {
  const { features: d, outputs: m, count } = gram
  const meanX = gram.sumX.map((v) => v / count)
  const meanY = gram.sumY.map((v) => v / count)
  const a = new Float64Array(d * d)
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const value = gram.xx[i * d + j]! - count * meanX[i]! * meanX[j]!
      a[i * d + j] = value
      a[j * d + i] = value
    }
    a[i * d + i]! += lambda
  }
  const b = new Float64Array(d * m)
  for (let i = 0; i < d; i++) for (let k = 0; k < m; k++) b[i * m + k] = gram.xy[i * m + k]! - count * meanX[i]! * meanY[k]!
  choleskySolve(a, b, d, m)
  const intercept = Float64Array.from(meanY)
  for (let i = 0; i < d; i++) for (let k = 0; k < m; k++) intercept[k]! -= meanX[i]! * b[i * m + k]!
  return { features: d, outputs: m, weights: b, intercept, lambda }
}

/** x [rows, features] → [rows, outputs] */
export function predictRidge(model: RidgeModel, x: ArrayLike<number>, rows: number): Float64Array {
  const { features: d, outputs: m, weights, intercept } = model
  const out = new Float64Array(rows * m)
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < m; k++) out[r * m + k] = intercept[k]!
    for (let i = 0; i < d; i++) {
      const xi = x[r * d + i]!
      if (xi === 0) continue
      for (let k = 0; k < m; k++) out[r * m + k]! += xi * weights[i * m + k]!
    }
  }
  return out
}

/**
 * In place: A (symmetric positive definite, [d, d]) is overwritten by its Cholesky factor and
 * B ([d, m]) by A⁻¹B. A pivot that is not positive (a singular A with λ = 0) is nudged, so
 * the solve never returns NaN.
 */
export function choleskySolve(a: Float64Array, b: Float64Array, d: number, m: number): void {
  for (let j = 0; j < d; j++) {
    let diagonal = a[j * d + j]!
    for (let k = 0; k < j; k++) diagonal -= a[j * d + k]! ** 2
    const pivot = Math.sqrt(Math.max(diagonal, 1e-12))
    a[j * d + j] = pivot
    for (let i = j + 1; i < d; i++) {
      let value = a[i * d + j]!
      for (let k = 0; k < j; k++) value -= a[i * d + k]! * a[j * d + k]!
      a[i * d + j] = value / pivot
    }
  }
  // L z = b, then Lᵀ w = z
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < i; k++) {
      const l = a[i * d + k]!
      if (l === 0) continue
      for (let c = 0; c < m; c++) b[i * m + c]! -= l * b[k * m + c]!
    }
    for (let c = 0; c < m; c++) b[i * m + c]! /= a[i * d + i]!
  }
  for (let i = d - 1; i >= 0; i--) {
    for (let k = i + 1; k < d; k++) {
      const l = a[k * d + i]!
      if (l === 0) continue
      for (let c = 0; c < m; c++) b[i * m + c]! -= l * b[k * m + c]!
    }
    for (let c = 0; c < m; c++) b[i * m + c]! /= a[i * d + i]!
  }
}
