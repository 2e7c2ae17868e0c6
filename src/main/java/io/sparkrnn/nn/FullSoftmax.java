package io.sparkrnn.nn;

/**
 * Dense over the whole vocabulary and softmax cross-entropy: tensors {@code out.weight} (V, H) and
 * {@code out.bias} (V), PyTorch's nn.Linear. The logits of a chunk of rows are overwritten by their gradient.
 *
 * <p>Tied to an embedding table (V, E) (Press &amp; Wolf 2017; Inan et al. 2017), the table is the weight and only
 * {@code out.bias} is the layer's own; when E differs from H, {@code proj.weight} (E, H) first maps the rows to
 * E features (nn.Linear(H, E, bias=False)).
 */
final class FullSoftmax implements OutputLayer {
  private final Dense out;
  private final Dense proj; // null: none
  private final int vocab;

  FullSoftmax(ParamLayout layout, int hidden, int vocab) {
    this.out = new Dense(layout, "out", hidden, vocab);
    this.proj = null;
    this.vocab = vocab;
  }

  /** The layer tied to {@code table} (V, E). */
  FullSoftmax(ParamLayout layout, int hidden, ParamLayout.View table) {
    this.proj = table.cols() == hidden ? null : Dense.withoutBias(layout, "proj", hidden, table.cols());
    this.out = Dense.sharing(table, layout, "out");
    this.vocab = table.rows();
  }

  /** The logits of a chunk and, with a projection, its projected rows and their gradient. */
  private record Logits(float[] logits, float[] z, float[] dz) implements Scratch {}

  @Override
  public Scratch newScratch(int rows) {
    int e = proj == null ? 0 : rows * proj.outputSize();
    return new Logits(new float[rows * vocab], new float[e], new float[e]);
  }

  @Override
  public double loss(float[] p, float[] h, int r0, int n, int[] targets, Scratch s, float[] grad, float[] dh) {
    Logits k = (Logits) s;
    float[] x = h;
    int x0 = r0;
    if (proj != null) {
      proj.forward(p, h, r0, n, k.z);
      x = k.z;
      x0 = 0;
    }
    out.forward(p, x, x0, n, k.logits);
    double loss = SoftmaxCrossEntropy.forwardBackward(k.logits, n, vocab, targets, r0, grad != null);
    if (grad != null) {
      out.backward(p, x, x0, k.logits, n, grad, proj == null ? dh : k.dz);
      if (proj != null) {
        proj.backward(p, h, r0, k.dz, n, grad, dh);
      }
    }
    return loss;
  }

  @Override
  public void logProbs(float[] p, float[] h, int n, float[] logProbs) {
    float[] x = h;
    if (proj != null) {
      x = new float[n * proj.outputSize()];
      proj.forward(p, h, n, x);
    }
    out.forward(p, x, n, logProbs);
    OutputLayer.logSoftmaxRows(logProbs, n, vocab, vocab, 0);
  }
}
