package io.sparkrnn.nn;

import io.sparkrnn.math.Init;
import io.sparkrnn.math.Rng;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The layout of a model's single flat {@code float[] params}: each named tensor (PyTorch names,
 * e.g. {@code rnn.weight_ih_l0}) is a row-major view (offset, rows, cols). The gradient and the
 * optimizer moments use the same layout, so broadcast, aggregation, clipping, checkpoints and
 * export never need to know the layers.
 */
public final class ParamLayout {
  /** One named tensor inside the flat vector; a vector (bias) has one row. */
  public record View(String name, int offset, int rows, int cols) {
    public int size() {
      return rows * cols;
    }

    public int end() {
      return offset + size();
    }
  }

  private final List<View> views = new ArrayList<>();
  private int size;

  /** Appends a (rows, cols) tensor and returns its view; names must be unique. */
  public View add(String name, int rows, int cols) {
    if (rows <= 0 || cols <= 0) {
      throw new IllegalArgumentException("tensor " + name + " must have a positive shape, not ("
          + rows + ", " + cols + ")");
    }
    if (find(name) != null) {
      throw new IllegalArgumentException("duplicate tensor name " + name);
    }
    long end = (long) size + (long) rows * cols;
    if (end > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("model too large for one float array: " + end + " parameters");
    }
    View v = new View(name, size, rows, cols);
    views.add(v);
    size = (int) end;
    return v;
  }

  public int size() {
    return size;
  }

  /**
   * A new parameter vector for this layout. Uniform and normal draw every tensor, biases included (as
   * in Zaremba et al. 2014 and PyTorch's recurrent layers); Xavier and He draw the weight matrices from
   * their fans (cols in, rows out) and leave the biases at zero.
   */
  public float[] init(Init init, double scale, Rng rng) {
    float[] p = new float[size];
    for (View v : views) {
      boolean bias = v.name().contains("bias");
      if (!bias || init == Init.UNIFORM || init == Init.NORMAL) {
        init.fill(p, v.offset(), v.size(), v.cols(), v.rows(), scale, rng);
      }
    }
    return p;
  }

  public List<View> views() {
    return Collections.unmodifiableList(views);
  }

  /** The view with this name, or null. */
  public View find(String name) {
    for (View v : views) {
      if (v.name().equals(name)) {
        return v;
      }
    }
    return null;
  }
}
