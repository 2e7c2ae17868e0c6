package io.sparkrnn.nn;

/**
 * Dense over the whole vocabulary and softmax cross-entropy: tensors {@code out.weight} (V, H) and
 * {@code out.bias} (V), PyTorch's nn.Linear. The logits of a chunk of rows are overwritten by their gradient.
 */
final class FullSoftmax implements OutputLayer {
  private final Dense out;
  private final int vocab;

  FullSoftmax(ParamLayout layout, int hidden, int vocab) {
    this.out = new Dense(layout, "out", hidden, vocab);
    this.vocab = vocab;
  }

  private record Logits(float[] logits) implements Scratch {}

  @Override
  public Scratch newScratch(int rows) {
    return new Logits(new float[rows * vocab]);
  }

  @Override
  public double loss(float[] p, float[] h, int r0, int n, int[] targets, Scratch s, float[] grad, float[] dh) {
    float[] logits = ((Logits) s).logits();
    out.forward(p, h, r0, n, logits);
    double loss = SoftmaxCrossEntropy.forwardBackward(logits, n, vocab, targets, r0, grad != null);
    if (grad != null) {
      out.backward(p, h, r0, logits, n, grad, dh);
    }
    return loss;
  }

  @Override
  public void logProbs(float[] p, float[] h, int n, float[] logProbs) {
    out.forward(p, h, n, logProbs);
    OutputLayer.logSoftmaxRows(logProbs, n, vocab, vocab, 0);
  }
}
