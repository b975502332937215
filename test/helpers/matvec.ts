/**
 * y = W·x in f64 for a row-major f32 matrix W (rows × cols), with Σ_j |W[r][j]·x[j]| per row: the
 * reference and the scale of the f32 error bounds that matrix–vector kernels document.
 */
export function matvecReference(w: Float32Array, x: Float32Array, rows: number, cols: number): { y: Float64Array; magnitude: Float64Array } {
  const y = new Float64Array(rows);
  const magnitude = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) {
      const p = w[r * cols + j] * x[j];
      y[r] += p;
      magnitude[r] += Math.abs(p);
    }
  }
  return { y, magnitude };
}
