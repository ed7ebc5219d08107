import { describe, expect, it } from 'vitest'
import { addRows, choleskySolve, createGram, predictRidge, solveRidge } from '../../../../src/core/eval/ridge'

describe('ridge', () => {
  it('solves a symmetric positive definite system by Cholesky', () => {
    const a = Float64Array.from([4, 2, 2, 3])
    const b = Float64Array.from([2, 1, 1, 4]) // two right-hand sides
    choleskySolve(a, b, 2, 2)
    // [[4,2],[2,3]]⁻¹ = [[3,-2],[-2,4]] / 8
    expect(Array.from(b).map((v) => Number(v.toFixed(10)))).toEqual([0.5, -0.625, 0, 1.75])
  })

  it('recovers an exact linear map with its intercept when the penalty is tiny', () => {
    // y = 2·x0 − x1 + 3
    const x = [0, 0, 1, 0, 0, 1, 2, 1, 1, 3]
    const y = x.reduce<number[]>((out, _, i) => (i % 2 === 0 ? [...out, 2 * x[i]! - x[i + 1]! + 3] : out), [])
    const gram = createGram(2, 1)
    addRows(gram, x, y, 5)
    const model = solveRidge(gram, 1e-9)
    expect(model.weights[0]).toBeCloseTo(2, 6)
    expect(model.weights[1]).toBeCloseTo(-1, 6)
    expect(model.intercept[0]).toBeCloseTo(3, 6)
    expect(predictRidge(model, [10, 4], 1)[0]).toBeCloseTo(19, 5)
  })

  it('shrinks the slope as λ/(Σ(x−x̄)² + λ) with one feature, leaving the intercept at the mean', () => {
    // x = 0, 1, 2 (Σ(x−x̄)² = 2), y = 2x: slope 2·2/(2 + λ)
    const gram = createGram(1, 1)
    addRows(gram, [0, 1, 2], [0, 2, 4], 3)
    const model = solveRidge(gram, 2)
    expect(model.weights[0]).toBeCloseTo(1, 10)
    expect(model.intercept[0]).toBeCloseTo(2 - 1 * 1, 10)
  })
})
