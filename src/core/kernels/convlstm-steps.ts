/**
 * The per-step loops of the fused ConvLSTM kernels (src/core/kernels/convlstm-fused.ts): the
 * gate columns doubled, a step's convolution input, the gates forward and back, im2col for the
 * kernel gradient, and a step's input gradient split. Plain loops over the wasm heap's views,
 * kept free of allocation (they run once per time step).
 */

function tanh(v: number): number {
  return 1 - 2 / (Math.exp(2 * v) + 1)
}

/**
 * Copies kernel and bias with the g columns doubled: tanh(z) = 2σ(2z) − 1, so one vectorised
 * sigmoid serves all four gates. `rows` = kh·kw·(C + F), the kernel's rows of 4F columns.
 */
export function doubleGateColumns(kernel: Float32Array, bias: Float32Array, kernel2: Float32Array, bias2: Float32Array, rows: number, F: number): void {
  const G = 4 * F
  kernel2.set(kernel)
  for (let row = 0; row < rows; row++) {
    for (let f = 2 * F; f < 3 * F; f++) kernel2[row * G + f] = 2 * kernel2[row * G + f]!
  }
  bias2.set(bias)
  for (let f = 2 * F; f < 3 * F; f++) bias2[f] = 2 * bias2[f]!
}

/** Step t's convolution input [x_t, h_{t-1}] into xh [B, H·W, C + F]; h_{-1} = 0. */
export function stepInput(x: Float32Array, hs: Float32Array, xh: Float32Array, B: number, T: number, P: number, C: number, F: number, t: number): void {
  const cin = C + F
  for (let b = 0; b < B; b++) {
    for (let p = 0; p < P; p++) {
      const to = (b * P + p) * cin
      const xFrom = ((b * T + t) * P + p) * C
      for (let k = 0; k < C; k++) xh[to + k] = x[xFrom + k]!
      if (t === 0) {
        for (let k = 0; k < F; k++) xh[to + C + k] = 0
      } else {
        const hFrom = ((b * T + t - 1) * P + p) * F
        for (let k = 0; k < F; k++) xh[to + C + k] = hs[hFrom + k]!
      }
    }
  }
}

/**
 * c_t = f⊙c_{t-1} + i⊙g, h_t = o⊙tanh(c_t) over one step; the g slots of the gate buffer hold
 * σ(2z) on entry and g = 2σ(2z) − 1 = tanh(z) on return. cPrevBase < 0: c_{t-1} = 0.
 */
export function gatesForward(gv: Float32Array, gateBase: number, cv: Float32Array, tcv: Float32Array, cBase: number, cPrevBase: number, hv: Float32Array, B: number, T: number, P: number, F: number, t: number): void {
  const G = 4 * F
  for (let q = 0; q < B * P; q++) {
    const b = Math.floor(q / P)
    const gq = gateBase + q * G
    const cq = cBase + q * F
    const cPrevQ = cPrevBase + q * F
    const hq = ((b * T + t) * P + (q - b * P)) * F
    for (let k = 0; k < F; k++) {
      const i = gv[gq + k]!
      const f = gv[gq + F + k]!
      const g = 2 * gv[gq + 2 * F + k]! - 1
      const o = gv[gq + 3 * F + k]!
      gv[gq + 2 * F + k] = g
      const c = (cPrevBase < 0 ? 0 : f * cv[cPrevQ + k]!) + i * g
      const tc = tanh(c)
      cv[cq + k] = c
      tcv[cq + k] = tc
      hv[hq + k] = o * tc
    }
  }
}

/**
 * One step back through the gates: from ∂L/∂h_t (dhs slice + recurrent part) and ∂L/∂c_t
 * (carried in dc) to dz = ∂L/∂[z_i, z_f, z_g, z_o] [B·H·W, 4F]; dc becomes ∂L/∂c_{t-1}.
 */
export function gatesBackward(gv: Float32Array, gateBase: number, tcv: Float32Array, cv: Float32Array, cBase: number, cPrevBase: number, dhv: Float32Array, dhRecurrent: Float32Array, dc: Float32Array, dzv: Float32Array, B: number, T: number, P: number, F: number, t: number): void {
  const G = 4 * F
  for (let q = 0; q < B * P; q++) {
    const b = Math.floor(q / P)
    const gq = gateBase + q * G
    const cq = cBase + q * F
    const cPrevQ = cPrevBase + q * F
    const dhq = ((b * T + t) * P + (q - b * P)) * F
    const rq = q * F
    const zq = q * G
    for (let k = 0; k < F; k++) {
      const i = gv[gq + k]!
      const f = gv[gq + F + k]!
      const g = gv[gq + 2 * F + k]!
      const o = gv[gq + 3 * F + k]!
      const tc = tcv[cq + k]!
      const cPrev = cPrevBase < 0 ? 0 : cv[cPrevQ + k]!
      const dh = dhv[dhq + k]! + dhRecurrent[rq + k]!
      const dcT = dc[rq + k]! + dh * o * (1 - tc * tc)
      dc[rq + k] = dcT * f
      dzv[zq + k] = dcT * g * i * (1 - i)
      dzv[zq + F + k] = dcT * cPrev * f * (1 - f)
      dzv[zq + 2 * F + k] = dcT * i * (1 - g * g)
      dzv[zq + 3 * F + k] = dh * tc * o * (1 - o)
    }
  }
}

/**
 * im2col of one step's conv input, transposed: cols[(a·kw + b)·(C + F) + ci, n·H·W + y·W + x] =
 * xh[n, y + a − top, x + b − left, ci] (0 outside the image), so that the kernel gradient of the
 * step is the plain matmul cols [kh·kw·(C + F), B·H·W] × dz [B·H·W, 4F].
 */
export function im2colT(xh: Float32Array, xhBase: number, cols: Float32Array, B: number, rows: number, width: number, cin: number, kh: number, kw: number, top: number, left: number): void {
  const P = rows * width
  const BP = B * P
  // one image at a time, so that its pixels stay in cache while all kh·kw·(C + F) rows read them
  for (let n = 0; n < B; n++) {
    for (let a = 0; a < kh; a++) {
      for (let b = 0; b < kw; b++) {
        const dy = a - top
        const dx = b - left
        // the columns x0 ≤ x < x1 read inside the image (clamped: a kernel may be wider than the image)
        const x0 = Math.min(width, Math.max(0, -dx))
        const x1 = Math.max(x0, Math.min(width, width - dx))
        for (let ci = 0; ci < cin; ci++) {
          const rowBase = ((a * kw + b) * cin + ci) * BP + n * P
          for (let y = 0; y < rows; y++) {
            const to = rowBase + y * width
            const sy = y + dy
            if (sy < 0 || sy >= rows) {
              cols.fill(0, to, to + width)
              continue
            }
            const from = xhBase + (n * P + sy * width + dx) * cin + ci
            for (let x = 0; x < x0; x++) cols[to + x] = 0
            for (let x = x0; x < x1; x++) cols[to + x] = xh[from + x * cin]!
            for (let x = x1; x < width; x++) cols[to + x] = 0
          }
        }
      }
    }
  }
}

/** Step t's ∂L/∂[x_t, h_{t-1}] [B·H·W, C + F]: the x part into dx [B, T, H, W, C], the h part into dhRecurrent. */
export function splitInputGradient(dxh: Float32Array, dx: Float32Array, dhRecurrent: Float32Array, B: number, T: number, P: number, C: number, F: number, t: number): void {
  const cin = C + F
  for (let q = 0; q < B * P; q++) {
    const b = Math.floor(q / P)
    const p = q - b * P
    const from = q * cin
    const to = ((b * T + t) * P + p) * C
    for (let k = 0; k < C; k++) dx[to + k] = dxh[from + k]!
    for (let k = 0; k < F; k++) dhRecurrent[q * F + k] = dxh[from + C + k]!
  }
}
