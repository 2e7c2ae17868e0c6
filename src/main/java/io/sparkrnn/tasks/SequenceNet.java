package io.sparkrnn.tasks;

import io.sparkrnn.math.Init;
import io.sparkrnn.math.Rng;
import io.sparkrnn.nn.Cache;
import io.sparkrnn.nn.Dense;
import io.sparkrnn.nn.ParamLayout;
import io.sparkrnn.nn.Recurrent;
import java.util.function.Function;

/**
 * A recurrent layer with a Dense head over real-valued inputs (T, B, in), for the course exercises:
 * many-to-many (a head output at every step) or many-to-one (the head reads the last step only).
 */
public final class SequenceNet {
  private final ParamLayout layout = new ParamLayout();
  private final Recurrent rnn;
  private final Dense head;
  private final boolean manyToOne;
  private Cache cache;
  private float[] h; // (T, B, H) the recurrent output of the last forward
  private float[] last; // (B, H) many-to-one: the last step's output
  private float[] y; // (T·B or B, out)
  private float[] dh; // (T, B, H)

  public SequenceNet(Function<ParamLayout, Recurrent> rnn, int out, boolean manyToOne) {
    this.rnn = rnn.apply(layout);
    this.head = new Dense(layout, "out", this.rnn.outputSize(), out);
    this.manyToOne = manyToOne;
  }

  public int size() {
    return layout.size();
  }

  public float[] init(Init init, double scale, long seed) {
    return layout.init(init, scale, new Rng(seed));
  }

  /** Head outputs: (T, B, out) many-to-many, (B, out) many-to-one; owned by this net. */
  public float[] forward(float[] p, float[] x, int steps, int batch) {
    if (cache == null || cache.steps() != steps || cache.batch() != batch) {
      cache = rnn.newCache(steps, batch);
      int hd = rnn.outputSize();
      last = new float[batch * hd];
      y = new float[(manyToOne ? batch : steps * batch) * head.outputSize()];
      dh = new float[steps * batch * hd];
    }
    h = rnn.forward(p, x, new float[batch * rnn.stateSize()], cache);
    if (manyToOne) {
      System.arraycopy(h, (steps - 1) * last.length, last, 0, last.length);
      head.forward(p, last, batch, y);
    } else {
      head.forward(p, h, steps * batch, y);
    }
    return y;
  }

  /** Adds the gradient for gradY (shaped as forward's output) into grad. */
  public void backward(float[] p, float[] gradY, float[] grad) {
    int steps = cache.steps();
    int batch = cache.batch();
    if (manyToOne) {
      java.util.Arrays.fill(dh, 0f);
      float[] dLast = new float[last.length];
      head.backward(p, last, gradY, batch, grad, dLast);
      System.arraycopy(dLast, 0, dh, (steps - 1) * last.length, last.length);
    } else {
      head.backward(p, h, gradY, steps * batch, grad, dh);
    }
    rnn.backward(p, dh, null, cache, grad);
  }
}
