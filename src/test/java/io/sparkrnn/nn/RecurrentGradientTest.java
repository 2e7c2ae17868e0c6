package io.sparkrnn.nn;

import io.sparkrnn.math.Activation;
import io.sparkrnn.math.Rng;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every recurrent layer and option against finite differences, with loss = Σ out·R + Σ finalState·S
 * for random R and S, so the output gradient is exactly R and the final-state gradient exactly S,
 * starting from a non-zero initial state. Checked: every parameter view, the input, the initial state.
 */
class RecurrentGradientTest {
  static final int T = 3;
  static final int B = 2;
  static final int IN = 5;
  static final int H = 4;

  @Test
  void rnnTanh() {
    check(l -> new RnnLayer(l, "rnn", "_l0", IN, H, Activation.TANH), null);
  }

  @Test
  void rnnSigmoid() {
    check(l -> new RnnLayer(l, "rnn", "_l0", IN, H, Activation.SIGMOID), null);
  }

  @Test
  void rnnRelu() {
    check(l -> new RnnLayer(l, "rnn", "_l0", IN, H, Activation.RELU), null);
  }

  @Test
  void lstm() {
    check(l -> new Lstm(l, "rnn", "_l0", IN, H, false), null);
  }

  @Test
  void lstmPeephole() {
    check(l -> new Lstm(l, "rnn", "_l0", IN, H, true), null);
  }

  @Test
  void gru() {
    check(l -> new Gru(l, "rnn", "_l0", IN, H), null);
  }

  @Test
  void twoStackedLstms() {
    check(l -> new Stack(List.of(new Lstm(l, "rnn", "_l0", IN, H, false), new Lstm(l, "rnn", "_l1", H, H, true))), null);
  }

  @Test
  void bidirectionalGru() {
    check(l -> new Bidirectional(new Gru(l, "rnn", "_l0", IN, H), new Gru(l, "rnn", "_l0_reverse", IN, H)), null);
  }

  @Test
  void bidirectionalLstmWithPaddedStreams() {
    check(l -> new Bidirectional(new Lstm(l, "rnn", "_l0", IN, H, false),
        new Lstm(l, "rnn", "_l0_reverse", IN, H, false)), new int[] {3, 2});
  }

  @Test
  void stackedBidirectionalRnn() {
    check(l -> new Stack(List.of(
        new Bidirectional(new RnnLayer(l, "rnn", "_l0", IN, H, Activation.TANH),
            new RnnLayer(l, "rnn", "_l0_reverse", IN, H, Activation.TANH)),
        new Bidirectional(new RnnLayer(l, "rnn", "_l1", 2 * H, H, Activation.TANH),
            new RnnLayer(l, "rnn", "_l1_reverse", 2 * H, H, Activation.TANH)))), null);
  }

  private static void check(Function<ParamLayout, Recurrent> make, int[] lengths) {
    Rng rng = new Rng(42);
    ParamLayout layout = new ParamLayout();
    Recurrent layer = make.apply(layout);
    float[] params = GradCheck.random(layout.size(), 0.5, rng);
    float[] x = GradCheck.random(T * B * IN, 1.0, rng);
    float[] state0 = GradCheck.random(B * layer.stateSize(), 0.5, rng);
    float[] r = GradCheck.random(T * B * layer.outputSize(), 1.0, rng);
    float[] s = GradCheck.random(B * layer.stateSize(), 1.0, rng);
    Cache cache = layer.newCache(T, B);
    cache.setLengths(lengths);

    // Analytic gradients.
    float[] state = state0.clone();
    layer.forward(params, x, state, cache);
    float[] grads = new float[layout.size()];
    float[] gradState = s.clone();
    float[] dx = layer.backward(params, r, gradState, cache, grads).clone();

    float[][] current = {params, x, state0};
    java.util.function.ToDoubleFunction<float[]> loss = ignored -> {
      float[] st = current[2].clone();
      Cache c = layer.newCache(T, B);
      c.setLengths(lengths);
      float[] out = layer.forward(current[0], current[1], st, c);
      return GradCheck.dot(out, r, r.length) + GradCheck.dot(st, s, s.length);
    };
    for (ParamLayout.View v : layout.views()) {
      GradCheck.check(v.name(), params, v.offset(), v.end(), grads, v.offset(), loss, 40, rng);
    }
    GradCheck.check("input", x, 0, x.length, dx, 0, loss, 40, rng);
    GradCheck.check("initial state", state0, 0, state0.length, gradState, 0, loss, 40, rng);
  }
}
