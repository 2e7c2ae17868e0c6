package io.sparkrnn.nn;

import io.sparkrnn.math.Blas;

/**
 * Affine layer y = x·Wᵀ + b on N rows, as PyTorch's nn.Linear: weight (out, in), bias (out).
 * Stateless; the caller owns all buffers, so the same layer serves any number of rows.
 */
public final class Dense {
  private final int in;
  private final int out;
  private final ParamLayout.View weight;
  private final ParamLayout.View bias; // null: none (nn.Linear(bias=False))

  public Dense(ParamLayout layout, String prefix, int in, int out) {
    this(layout.add(prefix + ".weight", out, in), layout.add(prefix + ".bias", 1, out));
  }

  private Dense(ParamLayout.View weight, ParamLayout.View bias) {
    this.in = weight.cols();
    this.out = weight.rows();
    this.weight = weight;
    this.bias = bias;
  }

  /** y = x·Wᵀ with no bias. */
  static Dense withoutBias(ParamLayout layout, String prefix, int in, int out) {
    return new Dense(layout.add(prefix + ".weight", out, in), null);
  }

  /** y = x·Wᵀ + b with the weight of another layer (weight tying) and a bias of its own. */
  static Dense sharing(ParamLayout.View weight, ParamLayout layout, String prefix) {
    return new Dense(weight, layout.add(prefix + ".bias", 1, weight.rows()));
  }

  public int inputSize() {
    return in;
  }

  public int outputSize() {
    return out;
  }

  public ParamLayout.View weight() {
    return weight;
  }

  public ParamLayout.View bias() {
    return bias;
  }

  /** y(N, out) = x(N, in)·Wᵀ + b; y is overwritten. */
  public void forward(float[] params, float[] x, int rows, float[] y) {
    forward(params, x, 0, rows, y);
  }

  /** The same for the rows [row0, row0 + rows) of x; y gets them from its first row. */
  public void forward(float[] params, float[] x, int row0, int rows, float[] y) {
    for (int r = 0; bias != null && r < rows; r++) {
      System.arraycopy(params, bias.offset(), y, r * out, out);
    }
    Blas.gemm(false, true, rows, out, in, 1f, x, row0 * in, in, params, weight.offset(), in, bias == null ? 0f : 1f,
        y, 0, out);
  }

  /**
   * Adds dW += gradYᵀ·x and db += Σ gradY into gradParams; if gradX is not null, writes
   * gradX(N, in) = gradY·W (overwritten).
   */
  public void backward(float[] params, float[] x, float[] gradY, int rows, float[] gradParams, float[] gradX) {
    backward(params, x, 0, gradY, rows, gradParams, gradX);
  }

  /** The same for the rows [row0, row0 + rows) of x and gradX; gradY holds them from its first row. */
  public void backward(float[] params, float[] x, int row0, float[] gradY, int rows, float[] gradParams,
      float[] gradX) {
    Blas.gemm(true, false, out, in, rows, 1f, gradY, 0, out, x, row0 * in, in, 1f, gradParams, weight.offset(), in);
    if (bias != null) {
      Tensors.addColumnSums(gradY, rows, out, gradParams, bias.offset());
    }
    if (gradX != null) {
      Blas.gemm(false, false, rows, in, out, 1f, gradY, 0, out, params, weight.offset(), in, 0f, gradX, row0 * in,
          in);
    }
  }
}
