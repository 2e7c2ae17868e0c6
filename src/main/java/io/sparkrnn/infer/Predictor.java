package io.sparkrnn.infer;

import io.sparkrnn.data.Vocab;
import io.sparkrnn.nn.LanguageModel;
import io.sparkrnn.nn.ModelSpec;
import io.sparkrnn.train.Checkpoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A trained language model answering queries one stream at a time: the log-probabilities of the next
 * word after a prefix, and the state to continue from. A prefix is read as the start of a sentence,
 * that is after {@code </s>}, exactly as sentences follow one another in training.
 */
public final class Predictor {
  private final LanguageModel model;
  private final float[] params;
  private final Vocab vocab;

  public Predictor(ModelSpec spec, float[] params, Vocab vocab) {
    this.model = new LanguageModel(spec);
    if (params.length != model.layout().size() || vocab.size() != spec.vocab()) {
      throw new IllegalArgumentException("the parameters or vocabulary do not fit the model " + spec);
    }
    this.params = params;
    this.vocab = vocab;
  }

  public static Predictor of(Checkpoint ck) {
    return new Predictor(ck.spec(), ck.params(), new Vocab(ck.vocab()));
  }

  public Vocab vocab() {
    return vocab;
  }

  /** A point in a text: the carried state and the next word's log-probabilities (V). Immutable. */
  public record Context(float[] state, float[] logProbs) {}

  /** The context after {@code </s>} and the prefix's tokens (whitespace-separated words). */
  public Context start(String prefix) {
    List<Integer> ids = new ArrayList<>();
    ids.add(Vocab.EOS_ID);
    for (String w : prefix.trim().isEmpty() ? new String[0] : prefix.trim().split("\\s+")) {
      ids.add(vocab.id(w));
    }
    return feed(new float[model.stateSize()], ids.stream().mapToInt(Integer::intValue).toArray());
  }

  /** The context after feeding {@code token} to {@code c}. */
  public Context next(Context c, int token) {
    return feed(c.state(), new int[] {token});
  }

  private Context feed(float[] state, int[] ids) {
    float[] s = state.clone();
    LanguageModel.Workspace ws = model.newWorkspace(ids.length, 1);
    model.logProbs(params, ids, s, ws);
    int v = vocab.size();
    return new Context(s, Arrays.copyOfRange(ws.logProbs(), (ids.length - 1) * v, ids.length * v));
  }

  /** Sentences are scored this many steps at a time, the state carried from one chunk to the next. */
  private static final int CHUNK = 64;

  /**
   * A sentence's score: the natural log-probability of its tokens and {@code </s>} read after {@code </s>}, how many
   * tokens that predicts (its length + 1), and the log-probabilities (V) of the word after its last token.
   */
  public record Score(double logLikelihood, int tokens, float[] next) {}

  /** Scores a sentence of tokens, {@value #CHUNK} steps at a time (a row may be a whole document). */
  public Score score(List<String> tokens) {
    int n = tokens.size();
    int[] inputs = new int[n + 1]; // (n+1): </s> w1 ... wn; the targets are w1 ... wn </s>
    inputs[0] = Vocab.EOS_ID;
    for (int i = 0; i < n; i++) {
      inputs[i + 1] = vocab.id(tokens.get(i));
    }
    float[] state = new float[model.stateSize()];
    int v = vocab.size();
    double logLikelihood = 0;
    float[] next = null;
    LanguageModel.Workspace full = n + 1 >= CHUNK ? model.newWorkspace(CHUNK, 1) : null;
    for (int from = 0; from <= n; from += CHUNK) {
      int len = Math.min(CHUNK, n + 1 - from);
      LanguageModel.Workspace ws = len == CHUNK ? full : model.newWorkspace(len, 1);
      model.logProbs(params, Arrays.copyOfRange(inputs, from, from + len), state, ws);
      float[] lp = ws.logProbs(); // (len, V)
      for (int t = 0; t < len; t++) {
        int pos = from + t;
        logLikelihood += lp[t * v + (pos < n ? inputs[pos + 1] : Vocab.EOS_ID)];
      }
      if (from + len == n + 1) {
        next = Arrays.copyOfRange(lp, (len - 1) * v, len * v);
      }
    }
    return new Score(logLikelihood, n + 1, next);
  }

  /** The k most likely ids of a distribution, most likely first (ties by lower id). */
  public static int[] topK(float[] logProbs, int k) {
    int n = Math.min(k, logProbs.length);
    int[] best = new int[n];
    int filled = 0;
    for (int id = 0; id < logProbs.length; id++) {
      if (filled < n || logProbs[id] > logProbs[best[filled - 1]]) {
        int pos = filled < n ? filled++ : n - 1;
        while (pos > 0 && logProbs[best[pos - 1]] < logProbs[id]) {
          best[pos] = best[pos - 1];
          pos--;
        }
        best[pos] = id;
      }
    }
    return best;
  }
}
