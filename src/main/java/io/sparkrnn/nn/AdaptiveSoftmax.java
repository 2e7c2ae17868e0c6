package io.sparkrnn.nn;

import io.sparkrnn.math.Blas;
import java.util.List;

/**
 * Adaptive softmax (Grave et al. 2017) with the parameters and arithmetic of PyTorch's
 * nn.AdaptiveLogSoftmaxWithLoss (head_bias=True): the vocabulary, most frequent first, is cut at
 * c_0 &lt; c_1 &lt; ... into a head of the words below c_0 and tail clusters [c_i, c_i+1). The head scores its
 * words and one entry per cluster; cluster i scores its words behind a projection to H / div^(i+1) features.
 * log p(w) = log p_head(w) in the head, log p_head(cluster i) + log p_i(w) in cluster i: exactly normalised,
 * so perplexity stays exact. Training scores a cluster only on the rows whose target falls in it.
 *
 * <p>Tensors: {@code out.head.weight} (c_0 + clusters, H), {@code out.head.bias}, and per cluster i
 * {@code out.tail.i.0.weight} (H / div^(i+1), H) and {@code out.tail.i.1.weight} (c_i+1 − c_i, H / div^(i+1)).
 */
final class AdaptiveSoftmax implements OutputLayer {
  private final int hidden;
  private final int vocab;
  private final int shortlist;
  private final int[] cuts; // c_0, ..., c_{n-1}, V
  private final Dense head;
  private final ParamLayout.View[] project; // per cluster (hsz, H)
  private final ParamLayout.View[] score; // per cluster (osz, hsz)
  private final int maxProject;
  /**
   * Rows of cluster i scored at a time, so that a pass's (rows, cluster words) logits stay within
   * {@link #LOGIT_BUDGET}: a 97k-word cluster's logits for a 560-row chunk would be 217 MB per worker.
   */
  private final int[] passRows;
  /** Floats of cluster logits held at once (8 MB); the GEMMs are wide enough at this height to run at speed. */
  static final int LOGIT_BUDGET = 1 << 21;

  AdaptiveSoftmax(ParamLayout layout, int hidden, int vocab, List<Integer> cutoffs, int div) {
    this(layout, hidden, vocab, cutoffs, div, LOGIT_BUDGET);
  }

  /** With {@code logitBudget} floats of cluster logits at once (at least one row's). */
  AdaptiveSoftmax(ParamLayout layout, int hidden, int vocab, List<Integer> cutoffs, int div, int logitBudget) {
    this.hidden = hidden;
    this.vocab = vocab;
    this.shortlist = cutoffs.get(0);
    int clusters = cutoffs.size();
    this.cuts = new int[clusters + 1];
    for (int i = 0; i < clusters; i++) {
      cuts[i] = cutoffs.get(i);
    }
    cuts[clusters] = vocab;
    this.head = new Dense(layout, "out.head", hidden, shortlist + clusters);
    this.project = new ParamLayout.View[clusters];
    this.score = new ParamLayout.View[clusters];
    this.passRows = new int[clusters];
    int mp = 0;
    for (int i = 0; i < clusters; i++) {
      int hsz = ModelSpec.tailFeatures(hidden, div, i);
      project[i] = layout.add("out.tail." + i + ".0.weight", hsz, hidden);
      score[i] = layout.add("out.tail." + i + ".1.weight", cuts[i + 1] - cuts[i], hsz);
      mp = Math.max(mp, hsz);
      passRows[i] = Math.max(1, logitBudget / (cuts[i + 1] - cuts[i]));
    }
    this.maxProject = mp;
  }

  /** Buffers for a chunk of rows: the head's logits and targets, and one cluster's rows at a time. */
  private static final class Buffers implements Scratch {
    final float[] headLogits;
    final int[] headTargets;
    final int[] rows; // chunk rows whose target is in the current cluster
    final int[] targets; // their targets within the cluster
    final float[] x; // (m, H) those rows of h
    final float[] proj; // (m, hsz)
    final float[] logits; // (pass rows, osz), then their gradient
    final float[] dProj; // (m, hsz)
    final float[] dx; // (m, H)

    Buffers(AdaptiveSoftmax a, int n) {
      headLogits = new float[n * (a.shortlist + a.project.length)];
      headTargets = new int[n];
      rows = new int[n];
      targets = new int[n];
      x = new float[n * a.hidden];
      proj = new float[n * a.maxProject];
      int most = 0;
      for (int i = 0; i < a.passRows.length; i++) {
        most = Math.max(most, Math.min(n, a.passRows[i]) * a.score[i].rows());
      }
      logits = new float[most];
      dProj = new float[n * a.maxProject];
      dx = new float[n * a.hidden];
    }
  }

  @Override
  public Scratch newScratch(int rows) {
    return new Buffers(this, rows);
  }

  /** The cluster of a tail word (c_0 ≤ t < V; cuts ends with V, which no word reaches). */
  private int cluster(int t) {
    return ModelSpec.part(t, cuts) - 1;
  }

  @Override
  public double loss(float[] p, float[] h, int r0, int n, int[] targets, Scratch s, float[] grad, float[] dh) {
    Buffers b = (Buffers) s;
    int heads = shortlist + project.length;
    for (int r = 0; r < n; r++) {
      int t = targets[r0 + r];
      if (t >= vocab) {
        throw new IllegalArgumentException("target " + t + " outside the vocabulary of " + vocab);
      }
      b.headTargets[r] = t < shortlist ? t : shortlist + cluster(t);
    }
    head.forward(p, h, r0, n, b.headLogits);
    double loss = SoftmaxCrossEntropy.forwardBackward(b.headLogits, n, heads, b.headTargets, 0, grad != null);
    if (grad != null) {
      head.backward(p, h, r0, b.headLogits, n, grad, dh);
    }
    for (int i = 0; i < project.length; i++) {
      loss += cluster(i, p, h, r0, n, targets, b, grad, dh);
    }
    return loss;
  }

  /** The loss of the rows whose target is in cluster i, and its gradient (added into dh). */
  private double cluster(int i, float[] p, float[] h, int r0, int n, int[] targets, Buffers b, float[] grad,
      float[] dh) {
    int m = 0;
    for (int r = 0; r < n; r++) {
      int t = targets[r0 + r];
      if (t >= cuts[i] && t < cuts[i + 1]) {
        b.rows[m] = r0 + r;
        b.targets[m] = t - cuts[i];
        System.arraycopy(h, (r0 + r) * hidden, b.x, m * hidden, hidden);
        m++;
      }
    }
    double loss = 0;
    int pass = passRows[i];
    for (int j0 = 0; j0 < m; j0 += pass) {
      loss += clusterPass(i, p, j0, Math.min(pass, m - j0), b, grad, dh);
    }
    return loss;
  }

  /** Rows [j0, j0 + k) of the ones gathered for cluster i: their loss, gradient, and dh. */
  private double clusterPass(int i, float[] p, int j0, int k, Buffers b, float[] grad, float[] dh) {
    int hsz = project[i].rows();
    int osz = score[i].rows();
    int x0 = j0 * hidden;
    Blas.gemm(false, true, k, hsz, hidden, 1f, b.x, x0, hidden, p, project[i].offset(), hidden, 0f, b.proj, 0, hsz);
    Blas.gemm(false, true, k, osz, hsz, 1f, b.proj, 0, hsz, p, score[i].offset(), hsz, 0f, b.logits, 0, osz);
    double loss = SoftmaxCrossEntropy.forwardBackward(b.logits, k, osz, b.targets, j0, grad != null);
    if (grad != null) {
      Blas.gemm(true, false, osz, hsz, k, 1f, b.logits, 0, osz, b.proj, 0, hsz, 1f, grad, score[i].offset(), hsz);
      Blas.gemm(false, false, k, hsz, osz, 1f, b.logits, 0, osz, p, score[i].offset(), hsz, 0f, b.dProj, 0, hsz);
      Blas.gemm(true, false, hsz, hidden, k, 1f, b.dProj, 0, hsz, b.x, x0, hidden, 1f, grad, project[i].offset(),
          hidden);
      Blas.gemm(false, false, k, hidden, hsz, 1f, b.dProj, 0, hsz, p, project[i].offset(), hidden, 0f, b.dx, 0,
          hidden);
      for (int j = 0; j < k; j++) {
        int at = b.rows[j0 + j] * hidden;
        for (int c = 0; c < hidden; c++) {
          dh[at + c] += b.dx[j * hidden + c];
        }
      }
    }
    return loss;
  }

  @Override
  public void logProbs(float[] p, float[] h, int n, float[] out) {
    int heads = shortlist + project.length;
    float[] headLog = new float[n * heads];
    head.forward(p, h, n, headLog);
    OutputLayer.logSoftmaxRows(headLog, n, heads, heads, 0);
    for (int r = 0; r < n; r++) {
      System.arraycopy(headLog, r * heads, out, r * vocab, shortlist);
    }
    float[] proj = new float[n * maxProject];
    for (int i = 0; i < project.length; i++) {
      int hsz = project[i].rows();
      int osz = score[i].rows();
      Blas.gemm(false, true, n, hsz, hidden, 1f, h, 0, hidden, p, project[i].offset(), hidden, 0f, proj, 0, hsz);
      Blas.gemm(false, true, n, osz, hsz, 1f, proj, 0, hsz, p, score[i].offset(), hsz, 0f, out, cuts[i], vocab);
      OutputLayer.logSoftmaxRows(out, n, osz, vocab, cuts[i]);
      for (int r = 0; r < n; r++) {
        float clusterLog = headLog[r * heads + shortlist + i];
        for (int j = 0; j < osz; j++) {
          out[r * vocab + cuts[i] + j] += clusterLog;
        }
      }
    }
  }
}
