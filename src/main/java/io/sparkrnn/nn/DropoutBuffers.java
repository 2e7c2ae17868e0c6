package io.sparkrnn.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * A workspace's dropout masks and masked copies, drawn again for every training window from its {@link Noise}.
 * Masks are kept from forward to backward, where the same mask multiplies the gradient.
 */
final class DropoutBuffers {
  static final int IN = 0;
  static final int OUT = 1;
  private final float[][] masks = new float[2][];
  private float[][] between;
  /** The dropped recurrent output (T, B, H) the output layer reads. */
  float[] h;
  private float[] weights; // the parameters with DropConnect applied to the hidden-to-hidden tensors
  private float[] weightMask; // their masks, one tensor after the other
  private float[] savedGrad; // the gradient of those tensors before backward
  private List<ParamLayout.View> recurrentWeights = List.of();

  /** The mask (T, B, F) of the embedding output (IN) or the output layer's input (OUT); null when not dropped. */
  float[] mask(int slot, Noise noise, double rate, LanguageModel.Workspace ws, int features) {
    if (noise == null || rate == 0) {
      return null;
    }
    masks[slot] = exact(masks[slot], ws.steps * ws.batch * features);
    noise.fill(masks[slot], slot == IN ? Noise.INPUT : Noise.OUTPUT, 0, rate, ws.steps, ws.batch, features);
    return masks[slot];
  }

  /** Masks of the inputs of stacked layers 1..L−1 (see {@link Stack#dropBetween}), or null. */
  float[][] between(Noise noise, double rate, LanguageModel.Workspace ws, int hidden, int layers) {
    if (noise == null || rate == 0) {
      return null;
    }
    if (between == null || between.length != layers) {
      between = new float[layers][];
    }
    for (int l = 1; l < layers; l++) {
      between[l] = exact(between[l], ws.steps * ws.batch * hidden);
      noise.fill(between[l], Noise.HIDDEN, l, rate, ws.steps, ws.batch, hidden);
    }
    return between;
  }

  /** Embedding dropout: scales each of the n rows of x (n, E) by the factor of its word (0 or 1 / (1 − rate)). */
  void scaleWords(Noise noise, int[] ids, int n, int dim, float[] x) {
    if (noise == null || noise.reg().embedding() == 0) {
      return;
    }
    for (int r = 0; r < n; r++) {
      if (ids[r] >= 0) {
        float s = noise.wordScale(ids[r]);
        for (int j = r * dim; j < (r + 1) * dim; j++) {
          x[j] *= s;
        }
      }
    }
  }

  /**
   * The parameters the window runs with: {@code p} itself, or with DropConnect a copy whose hidden-to-hidden
   * weights are masked (the gradient then flows through the mask, see {@link #afterBackward}).
   */
  float[] weights(float[] p, ParamLayout layout, Noise noise) {
    if (noise == null || noise.reg().weight() == 0) {
      recurrentWeights = List.of();
      return p;
    }
    List<ParamLayout.View> views = new ArrayList<>();
    int total = 0;
    for (ParamLayout.View v : layout.views()) {
      if (v.name().contains("weight_hh")) {
        views.add(v);
        total += v.size();
      }
    }
    recurrentWeights = views;
    weights = exact(weights, p.length);
    System.arraycopy(p, 0, weights, 0, p.length);
    weightMask = exact(weightMask, total);
    int off = 0;
    for (int i = 0; i < views.size(); i++) {
      ParamLayout.View v = views.get(i);
      noise.fillWeights(weightMask, off, v.size(), i);
      for (int j = 0; j < v.size(); j++) {
        weights[v.offset() + j] *= weightMask[off + j];
      }
      off += v.size();
    }
    savedGrad = exact(savedGrad, total);
    return weights;
  }

  /** Keeps the gradient of the dropped tensors as it stands before the recurrent backward adds to it. */
  void beforeBackward(float[] grad) {
    int off = 0;
    for (ParamLayout.View v : recurrentWeights) {
      System.arraycopy(grad, v.offset(), savedGrad, off, v.size());
      off += v.size();
    }
  }

  /** What backward added to a dropped weight is the gradient of the masked weight: times its mask, it is its own. */
  void afterBackward(float[] grad) {
    int off = 0;
    for (ParamLayout.View v : recurrentWeights) {
      for (int j = 0; j < v.size(); j++) {
        int i = v.offset() + j;
        grad[i] = savedGrad[off + j] + (grad[i] - savedGrad[off + j]) * weightMask[off + j];
      }
      off += v.size();
    }
  }

  private static float[] exact(float[] a, int n) {
    return a != null && a.length == n ? a : new float[n];
  }
}
