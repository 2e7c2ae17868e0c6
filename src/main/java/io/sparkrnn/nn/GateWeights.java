package io.sparkrnn.nn;

import io.sparkrnn.math.Blas;

/**
 * The four tensors every recurrent cell has, with PyTorch's names and shapes for G packed gates:
 * {@code weight_ih} (G·H, in), {@code weight_hh} (G·H, H), {@code bias_ih} and {@code bias_hh} (G·H).
 * Holds the three GEMM shapes that make a recurrent layer fast: the input projection of all T·B
 * rows at once, the per-step recurrent product, and their gradients.
 */
final class GateWeights {
  final int in;
  final int hidden;
  final int width; // G·H
  final ParamLayout.View wIh;
  final ParamLayout.View wHh;
  final ParamLayout.View bIh;
  final ParamLayout.View bHh;

  /** {@code suffix} is PyTorch's layer tag, e.g. "_l0" or "_l1_reverse". */
  GateWeights(ParamLayout layout, String prefix, String suffix, int gates, int in, int hidden) {
    this.in = in;
    this.hidden = hidden;
    this.width = gates * hidden;
    this.wIh = layout.add(prefix + ".weight_ih" + suffix, width, in);
    this.wHh = layout.add(prefix + ".weight_hh" + suffix, width, hidden);
    this.bIh = layout.add(prefix + ".bias_ih" + suffix, 1, width);
    this.bHh = layout.add(prefix + ".bias_hh" + suffix, 1, width);
  }

  /** pre(rows, GH) = x(rows, in)·W_ihᵀ + b_ih (+ b_hh when {@code withHiddenBias}); overwritten. */
  void projectInput(float[] p, float[] x, int rows, float[] pre, boolean withHiddenBias) {
    if (withHiddenBias) {
      Tensors.fillRows(pre, 0, rows, p, bIh.offset(), bHh.offset(), width);
    } else {
      for (int r = 0; r < rows; r++) {
        System.arraycopy(p, bIh.offset(), pre, r * width, width);
      }
    }
    Blas.gemm(false, true, rows, width, in, 1f, x, 0, in, p, wIh.offset(), in, 1f, pre, 0, width);
  }

  /** out(B, GH) at outOff += h(B, H)·W_hhᵀ; with {@code startFromBias} it is first set to b_hh. */
  void addRecurrent(float[] p, float[] h, int hOff, int batch, float[] out, int outOff, boolean startFromBias) {
    if (startFromBias) {
      for (int b = 0; b < batch; b++) {
        System.arraycopy(p, bHh.offset(), out, outOff + b * width, width);
      }
    }
    Blas.gemm(false, true, batch, width, hidden, 1f, h, hOff, hidden, p, wHh.offset(), hidden, 1f, out, outOff, width);
  }

  /**
   * dh(B, H) = dGates(B, GH)·W_hh, the gradient for the previous hidden state; overwritten, or
   * added to dh when {@code accumulate}.
   */
  void gradPreviousHidden(float[] p, float[] dGates, int gOff, int batch, float[] dh, boolean accumulate) {
    Blas.gemm(false, false, batch, hidden, width, 1f, dGates, gOff, width, p, wHh.offset(), hidden,
        accumulate ? 1f : 0f, dh, 0, hidden);
  }

  /**
   * Adds the recurrent weight gradients of a whole window: dW_hh += Σ_t dGates[t]ᵀ·h[t-1] and
   * db_hh += Σ dGates, where h[-1] = h0 and h[t] are the outputs (T, B, H).
   */
  void addHiddenGrads(float[] dGates, float[] h0, float[] h, int steps, int batch, float[] g) {
    int rows = (steps - 1) * batch;
    Blas.gemm(true, false, width, hidden, batch, 1f, dGates, 0, width, h0, 0, hidden, 1f, g, wHh.offset(), hidden);
    if (rows > 0) {
      Blas.gemm(true, false, width, hidden, rows, 1f, dGates, batch * width, width, h, 0, hidden,
          1f, g, wHh.offset(), hidden);
    }
    Tensors.addColumnSums(dGates, steps * batch, width, g, bHh.offset());
  }

  /**
   * Adds dW_ih += dGatesᵀ·x and db_ih += Σ dGates over all rows, and writes dx(rows, in) = dGates·W_ih.
   */
  void addInputGrads(float[] p, float[] dGates, float[] x, int rows, float[] g, float[] dx) {
    Blas.gemm(true, false, width, in, rows, 1f, dGates, 0, width, x, 0, in, 1f, g, wIh.offset(), in);
    Tensors.addColumnSums(dGates, rows, width, g, bIh.offset());
    Blas.gemm(false, false, rows, in, width, 1f, dGates, 0, width, p, wIh.offset(), in, 0f, dx, 0, in);
  }
}
