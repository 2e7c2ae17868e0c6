package io.sparkrnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkrnn.math.Activation;
import io.sparkrnn.math.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The whole language model (embedding, recurrent stack, Dense, softmax cross-entropy with padded
 * targets) and the losses on their own, against finite differences on every parameter view.
 */
class ModelGradientTest {
  static final int T = 3;
  static final int B = 2;
  static final int V = 7;

  @Test
  void lstmLanguageModelWithPaddedTargets() {
    checkModel(new ModelSpec("lstm", V, 5, 4, 1, false, Activation.TANH));
  }

  @Test
  void twoLayerPeepholeLstmLanguageModel() {
    checkModel(new ModelSpec("lstm", V, 5, 4, 2, true, Activation.TANH));
  }

  @Test
  void gruLanguageModel() {
    checkModel(new ModelSpec("gru", V, 5, 4, 2, false, Activation.TANH));
  }

  @Test
  void reluRnnLanguageModel() {
    checkModel(new ModelSpec("rnn", V, 5, 4, 1, false, Activation.RELU));
  }

  @Test
  void tiedLanguageModelsWithAndWithoutAProjection() {
    checkModel(new ModelSpec("lstm", V, 4, 4, 1, false, Activation.TANH).tied(true));
    checkModel(new ModelSpec("gru", V, 5, 4, 2, false, Activation.TANH).tied(true));
  }

  /** Head words 0-2, cluster 0 holds 3-5 behind 4/2 = 2 features, cluster 1 holds 6-10 behind 1 feature. */
  static final ModelSpec ADAPTIVE = new ModelSpec("lstm", 11, 5, 4, 1, false, Activation.TANH, List.of(3, 6), 2);

  @Test
  void lstmLanguageModelWithTheAdaptiveSoftmax() {
    checkModel(ADAPTIVE, new int[] {2, 4, 9, -1, 6, 3});
  }

  private static void checkModel(ModelSpec spec) {
    checkModel(spec, new int[] {2, 3, 6, -1, 0, -1}); // -1: padded positions, no loss
  }

  private static void checkModel(ModelSpec spec, int[] targets) {
    Rng rng = new Rng(7);
    LanguageModel m = new LanguageModel(spec);
    float[] p = GradCheck.random(m.layout().size(), 0.5, rng);
    int[] inputs = {1, 2, 3, 4, 5, -1};
    float[] state0 = GradCheck.random(B * m.stateSize(), 0.5, rng);
    float[] grad = new float[p.length];
    LanguageModel.Workspace ws = m.newWorkspace(T, B);
    List<float[]> told = new java.util.ArrayList<>();
    float[][] early = new float[1][];
    ws.whenReady((from, to) -> {
      told.add(new float[] {from, to});
      early[0] = java.util.Arrays.copyOfRange(grad, from, to);
    });
    m.window(p, inputs, targets, state0.clone(), ws, grad);
    // The output layer's gradient, said to be complete before the recurrent backward pass, is its final value.
    int inputSide = m.layout().views().stream().filter(v -> v.name().startsWith("emb") || v.name().startsWith("rnn"))
        .mapToInt(ParamLayout.View::end).max().orElseThrow();
    assertEquals(1, told.size());
    assertArrayEquals(new float[] {inputSide, p.length}, told.get(0),
        "the range is every parameter after the embedding and the recurrent stack");
    assertArrayEquals(java.util.Arrays.copyOfRange(grad, inputSide, p.length),
        early[0]);
    for (ParamLayout.View v : m.layout().views()) {
      GradCheck.check(v.name(), p, v.offset(), v.end(), grad, v.offset(),
          q -> m.window(q, inputs, targets, state0.clone(), m.newWorkspace(T, B), null), 40, rng);
    }
  }

  @Test
  void theOutputLayerInChunksGivesTheLossAndGradientOfOneBlock() {
    chunksEqualOneBlock(new ModelSpec("lstm", V, 5, 4, 1, false, Activation.TANH));
    chunksEqualOneBlock(ADAPTIVE);
  }

  /**
   * The adaptive softmax's probabilities sum to one at every position, and the loss of training is minus the
   * sum of the log-probabilities that inference gives the targets.
   */
  @Test
  void adaptiveSoftmaxIsNormalisedAndItsLossIsTheLogProbabilityOfTheTargets() {
    LanguageModel m = new LanguageModel(ADAPTIVE);
    Rng rng = new Rng(11);
    float[] p = GradCheck.random(m.layout().size(), 1.0, rng);
    int steps = 4;
    int batch = 3;
    int[] inputs = new int[steps * batch];
    int[] targets = new int[steps * batch];
    for (int i = 0; i < inputs.length; i++) {
      inputs[i] = rng.nextInt(11);
      targets[i] = (i * 7) % 11;
    }
    float[] state = GradCheck.random(batch * m.stateSize(), 0.5, rng);
    LanguageModel.Workspace ws = m.newWorkspace(steps, batch);
    m.logProbs(p, inputs, state.clone(), ws);
    double expected = 0;
    for (int r = 0; r < steps * batch; r++) {
      double sum = 0;
      for (int w = 0; w < 11; w++) {
        sum += Math.exp(ws.logProbs()[r * 11 + w]);
      }
      assertEquals(1.0, sum, 1e-5, "row " + r);
      expected -= ws.logProbs()[r * 11 + targets[r]];
    }
    double loss = m.window(p, inputs, targets, state.clone(), m.newWorkspace(steps, batch), null);
    assertEquals(expected, loss, 1e-4 * expected);
  }

  @Test
  void defaultCutoffsAndBadOnesRefusedWithTheReason() {
    assertEquals(List.of(3528, 10000), ModelSpec.defaultCutoffs(14115, 256, 4));
    assertEquals(List.of(4000, 10000, 50000),
        ModelSpec.defaultCutoffs(267735, 256, 4)); // a fourth cluster would project to 256/256 = 1 feature
    assertEquals(List.of(25), ModelSpec.defaultCutoffs(100, 256, 4));
    for (List<Integer> bad : List.of(List.of(6, 3), List.of(3, 11), List.of(0))) {
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> new ModelSpec("lstm", 11, 5, 4, 1, false, Activation.TANH, bad, 2));
      org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("model.cutoffs " + bad), e.getMessage());
    }
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new ModelSpec("lstm", 11, 5, 4, 1, false, Activation.TANH, List.of(3, 6), 4));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("0 features"), e.getMessage());
  }

  private static void chunksEqualOneBlock(ModelSpec spec) {
    int vocab = spec.vocab();
    LanguageModel m = new LanguageModel(spec);
    Rng rng = new Rng(9);
    float[] p = GradCheck.random(m.layout().size(), 0.5, rng);
    int steps = 9;
    int batch = 11; // 99 rows: chunks of 25, 25, 25 and 24 below
    int[] inputs = new int[steps * batch];
    int[] targets = new int[steps * batch];
    for (int i = 0; i < inputs.length; i++) {
      inputs[i] = rng.nextInt(vocab);
      targets[i] = i % 13 == 0 ? -1 : rng.nextInt(vocab);
    }
    float[] state = GradCheck.random(batch * m.stateSize(), 0.5, rng);
    float[] whole = new float[p.length];
    float[] chunked = new float[p.length];
    double lossWhole = m.window(p, inputs, targets, state.clone(), m.newWorkspace(steps, batch, 1000), whole);
    double lossChunked = m.window(p, inputs, targets, state.clone(), m.newWorkspace(steps, batch, 25), chunked);
    assertEquals(lossWhole, lossChunked, 1e-9 * Math.abs(lossWhole));
    for (int i = 0; i < p.length; i++) {
      assertEquals(whole[i], chunked[i], 1e-5 * (1 + Math.abs(whole[i])),
          "gradient " + i);
    }
  }

  @Test
  void denseLayer() {
    Rng rng = new Rng(3);
    ParamLayout layout = new ParamLayout();
    Dense d = new Dense(layout, "out", 5, 3);
    float[] p = GradCheck.random(layout.size(), 0.5, rng);
    float[] x = GradCheck.random(4 * 5, 1, rng);
    float[] r = GradCheck.random(4 * 3, 1, rng);
    float[] g = new float[p.length];
    float[] dx = new float[x.length];
    float[] y = new float[12];
    d.forward(p, x, 4, y);
    d.backward(p, x, r, 4, g, dx);
    java.util.function.ToDoubleFunction<float[]> loss = ignored -> {
      float[] out = new float[12];
      d.forward(p, x, 4, out);
      return GradCheck.dot(out, r, 12);
    };
    GradCheck.check("dense params", p, 0, p.length, g, 0, loss, 100, rng);
    GradCheck.check("dense input", x, 0, x.length, dx, 0, loss, 100, rng);
  }

  @Test
  void softmaxCrossEntropyAlone() {
    Rng rng = new Rng(4);
    float[] logits = GradCheck.random(3 * V, 3, rng);
    int[] targets = {4, -1, 0};
    float[] g = logits.clone();
    SoftmaxCrossEntropy.forwardBackward(g, 3, V, targets, true);
    GradCheck.check("logits", logits, 0, logits.length, g, 0,
        q -> SoftmaxCrossEntropy.forwardBackward(q.clone(), 3, V, targets, false), 100, rng);
  }

  @Test
  void meanSquaredErrorWithMask() {
    Rng rng = new Rng(5);
    float[] y = GradCheck.random(4 * 2, 1, rng);
    float[] t = GradCheck.random(4 * 2, 1, rng);
    float[] mask = {1, 0, 1, 1};
    float[] g = new float[8];
    MeanSquaredError.forwardBackward(y, t, mask, 4, 2, g);
    GradCheck.check("mse", y, 0, y.length, g, 0,
        q -> MeanSquaredError.forwardBackward(q, t, mask, 4, 2, null), 100, rng);
  }

  @Test
  void embeddingScatterAddsRepeatedIds() {
    ParamLayout layout = new ParamLayout();
    Embedding e = new Embedding(layout, "emb", 4, 2);
    float[] g = new float[layout.size()];
    e.backward(new int[] {1, 3, 1, -1}, 4, new float[] {1, 2, 3, 4, 5, 6, 7, 8}, g);
    assertArrayEquals(new float[] {0, 0, 6, 8, 0, 0, 3, 4}, g);
  }
}
