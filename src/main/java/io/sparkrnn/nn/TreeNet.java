package io.sparkrnn.nn;

import io.sparkrnn.math.Init;
import io.sparkrnn.math.Rng;

/**
 * A tree classifier: word embeddings ({@code emb}), a {@link TreeCell} composing each tree bottom-up ({@code
 * cell}), and a softmax layer ({@code out}) over the state of every labelled node (the root of a ListOps
 * expression; every node of an SST tree). Immutable: the weights are the caller's flat {@code params}, so one
 * instance serves every thread.
 */
public final class TreeNet {
  private final TreeSpec spec;
  private final ParamLayout layout = new ParamLayout();
  private final Embedding emb;
  private final TreeCell cell;
  private final Dense out;

  public TreeNet(TreeSpec spec) {
    this.spec = spec;
    this.emb = new Embedding(layout, "emb", spec.vocab(), spec.embed());
    this.cell = switch (spec.cell()) {
      case "rnn" -> new RecursiveCell(layout, spec.hidden(), spec.activation());
      case "treelstm" -> new BinaryTreeLstm(layout, spec.embed(), spec.hidden());
      default -> new ChildSumTreeLstm(layout, spec.embed(), spec.hidden());
    };
    this.out = new Dense(layout, "out", spec.hidden(), spec.classes());
  }

  public TreeSpec spec() {
    return spec;
  }

  public ParamLayout layout() {
    return layout;
  }

  public float[] initParams(Init init, double scale, Rng rng) {
    return layout.init(init, scale, rng);
  }

  /**
   * Summed cross-entropy over the labelled nodes of the batch; when {@code grad} is not null, adds the gradient of
   * that sum into it.
   */
  public double loss(float[] p, TreeSchedule s, float[] grad) {
    Forward f = forward(p, s);
    double loss = io.sparkrnn.nn.SoftmaxCrossEntropy.forwardBackward(f.logits, f.rows.length, spec.classes(),
        f.targets, grad != null);
    if (grad == null) {
      return loss;
    }
    int h = spec.hidden();
    int r = f.rows.length;
    float[] dRows = new float[r * h];
    out.backward(p, f.states, f.logits, r, grad, dRows);
    float[] dH = new float[s.nodes * h]; // (N, H)
    for (int i = 0; i < r; i++) {
      System.arraycopy(dRows, i * h, dH, f.rows[i] * h, h);
    }
    cell.backward(p, s, f.inputs, f.cache, dH, grad);
    return loss;
  }

  /** The class of each tree's root, in the order of the batch's trees. */
  public int[] predict(float[] p, TreeSchedule s) {
    return argmax(rootLogits(p, s), s.trees(), spec.classes());
  }

  /** The best class of each row of logits (rows, classes). */
  public static int[] argmax(float[] logits, int rows, int classes) {
    int[] best = new int[rows];
    for (int t = 0; t < rows; t++) {
      for (int k = 1; k < classes; k++) {
        if (logits[t * classes + k] > logits[t * classes + best[t]]) {
          best[t] = k;
        }
      }
    }
    return best;
  }

  /** The roots' logits (trees, classes). */
  public float[] rootLogits(float[] p, TreeSchedule s) {
    TreeCell.Cache cache = cell.forward(p, s, new NodeInputs(p, s, emb));
    int h = spec.hidden();
    float[] roots = new float[s.trees() * h];
    for (int t = 0; t < s.trees(); t++) {
      System.arraycopy(cache.h, s.roots[t] * h, roots, t * h, h);
    }
    float[] logits = new float[s.trees() * spec.classes()];
    out.forward(p, roots, s.trees(), logits);
    return logits;
  }

  private record Forward(NodeInputs inputs, TreeCell.Cache cache, int[] rows, float[] states, int[] targets,
      float[] logits) {}

  private Forward forward(float[] p, TreeSchedule s) {
    NodeInputs inputs = new NodeInputs(p, s, emb);
    TreeCell.Cache cache = cell.forward(p, s, inputs);
    int h = spec.hidden();
    int[] rows = s.labelled();
    float[] states = new float[rows.length * h]; // (R, H)
    int[] targets = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(cache.h, rows[i] * h, states, i * h, h);
      targets[i] = s.labels[rows[i]];
      if (targets[i] >= spec.classes()) {
        throw new IllegalArgumentException("label " + targets[i] + " outside the model's " + spec.classes()
            + " classes");
      }
    }
    float[] logits = new float[rows.length * spec.classes()];
    out.forward(p, states, rows.length, logits);
    return new Forward(inputs, cache, rows, states, targets, logits);
  }
}
