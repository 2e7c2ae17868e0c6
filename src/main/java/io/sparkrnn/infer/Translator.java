package io.sparkrnn.infer;

import io.sparkrnn.data.ParallelText;
import io.sparkrnn.data.Vocab;
import io.sparkrnn.nn.Seq2Seq;
import io.sparkrnn.train.Checkpoint;
import io.sparkrnn.train.Seq2SeqCard;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A trained encoder-decoder translating batches of sentences: greedy decoding, and beam search that ranks
 * hypotheses by log p / length^α (length counts the final {@code </s>}; α = 0: plain log p). The sentences of a
 * batch, and the beams of each, decode side by side as the rows of one decoder step. A translation stops at
 * {@code </s>} or after 2·(source length) + 10 tokens.
 */
public final class Translator {
  /** Sentences encoded and decoded together. */
  static final int BATCH = 32;
  private final Seq2Seq model;
  private final float[] params;
  private final Vocab source;
  private final Vocab target;

  public Translator(Seq2SeqCard card, float[] params) {
    this.model = new Seq2Seq(card.spec());
    if (params.length != model.layout().size()) {
      throw new IllegalArgumentException(params.length + " parameters do not fit the model " + card.spec());
    }
    this.params = params;
    this.source = new Vocab(card.sourceVocab());
    this.target = new Vocab(card.targetVocab());
  }

  public static Translator of(Checkpoint ck) {
    if (!(ck.model() instanceof Seq2SeqCard card)) {
      throw new IllegalArgumentException("this checkpoint holds a model.family=" + ck.model().family()
          + " model, not an"
          + " encoder-decoder (model.family=seq2seq)");
    }
    return new Translator(card, ck.params());
  }

  /**
   * A translation: target ids (without the final {@code </s>}), log p of them and of the {@code </s>} if it
   * ended, and the attention weights of each output step over the source positions.
   */
  public record Translation(int[] ids, double logProb, boolean ended, float[][] attention) {
    /** The beam's ranking score, log p / length^α. */
    public double score(double alpha) {
      int len = ids.length + (ended ? 1 : 0);
      return alpha == 0 ? logProb : logProb / Math.pow(Math.max(1, len), alpha);
    }
  }

  public int[] sourceIds(String sentence) {
    return ParallelText.ids(sentence, source);
  }

  /** The words of a translation, space-separated. */
  public String text(Translation t) {
    StringBuilder b = new StringBuilder();
    for (int id : t.ids()) {
      b.append(b.length() == 0 ? "" : " ").append(target.word(id));
    }
    return b.toString();
  }

  public List<String> sourceWords(String sentence) {
    List<String> out = new ArrayList<>();
    for (int id : sourceIds(sentence)) {
      out.add(source.word(id));
    }
    return out;
  }

  /** Beam-search translations of the sentences, in order (width 1: the greedy translations, by the beam). */
  public List<Translation> translate(List<String> sentences, int width, double alpha) {
    if (width < 1) {
      throw new IllegalArgumentException("the beam width must be at least 1, not " + width);
    }
    return inBatches(sentences, batch -> beam(batch, width, alpha));
  }

  /** Greedy translations: the most likely next token at every step. */
  public List<Translation> greedy(List<String> sentences) {
    return inBatches(sentences, this::greedyBatch);
  }

  private List<Translation> inBatches(List<String> sentences,
      java.util.function.Function<List<int[]>, Translation[]> decode) {
    List<int[]> ids = new ArrayList<>();
    for (String s : sentences) {
      int[] x = sourceIds(s);
      ids.add(x.length == 0 ? new int[] {Vocab.EOS_ID} : x);
    }
    // Sentences of similar length together, so little of a batch is padding.
    Integer[] order = new Integer[ids.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Integer.compare(ids.get(a).length, ids.get(b).length));
    Translation[] out = new Translation[ids.size()];
    // Batches decode independently, on every core (BLAS runs one thread per call here, as in training); each
    // writes its own slots, and a batch's result does not depend on which thread ran it.
    java.util.stream.IntStream.range(0, (order.length + BATCH - 1) / BATCH).parallel().forEach(k -> {
      int from = k * BATCH;
      int n = Math.min(BATCH, order.length - from);
      List<int[]> batch = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        batch.add(ids.get(order[from + j]));
      }
      Translation[] got = decode.apply(batch);
      for (int j = 0; j < n; j++) {
        out[order[from + j]] = got[j];
      }
    });
    return Arrays.asList(out);
  }

  /** The padded (S, B) source of a batch of sentences and their lengths. */
  private record Source(int[] ids, int[] lengths, int steps) {
    static Source of(List<int[]> sources) {
      int[] lengths = sources.stream().mapToInt(x -> x.length).toArray();
      int s = Arrays.stream(lengths).max().orElse(0);
      return new Source(Seq2Seq.timeMajor(sources, s), lengths, s);
    }

    int limit(int j) {
      return 2 * lengths[j] + 10;
    }
  }

  private Translation[] greedyBatch(List<int[]> sources) {
    int b = sources.size();
    Source src = Source.of(sources);
    Seq2Seq.Encoded enc = model.encode(params, src.ids(), src.lengths(), b, src.steps());
    Seq2Seq.DecoderState st = model.new DecoderState(b);
    int v = model.spec().targetVocab();
    List<List<Integer>> ids = new ArrayList<>();
    List<List<float[]>> att = new ArrayList<>();
    double[] logProb = new double[b];
    boolean[] ended = new boolean[b];
    boolean[] done = new boolean[b];
    for (int j = 0; j < b; j++) {
      ids.add(new ArrayList<>());
      att.add(new ArrayList<>());
    }
    int[] prev = new int[b];
    float[] weights = new float[b * src.steps()];
    for (int t = 0, left = b; left > 0; t++) {
      float[] lp = model.decodeStep(params, enc, prev, st, weights);
      for (int j = 0; j < b; j++) {
        if (done[j]) {
          continue;
        }
        int best = 0;
        for (int id = 1; id < v; id++) {
          if (lp[j * v + id] > lp[j * v + best]) {
            best = id;
          }
        }
        logProb[j] += lp[j * v + best];
        att.get(j).add(Arrays.copyOfRange(weights, j * src.steps(), j * src.steps() + src.lengths()[j]));
        prev[j] = best;
        ended[j] = best == Vocab.EOS_ID;
        if (!ended[j]) {
          ids.get(j).add(best);
        }
        if (ended[j] || t + 1 >= src.limit(j)) {
          done[j] = true;
          left--;
        }
      }
    }
    Translation[] out = new Translation[b];
    for (int j = 0; j < b; j++) {
      out[j] = new Translation(ids.get(j).stream().mapToInt(Integer::intValue).toArray(), logProb[j], ended[j],
          att.get(j).toArray(new float[0][]));
    }
    return out;
  }

  /** One hypothesis of a beam: its tokens, log p and attention rows so far. */
  private record Hyp(int[] ids, double logProb, float[][] attention) {
    Hyp extend(int id, double lp, float[] weights) {
      int[] x = Arrays.copyOf(ids, ids.length + 1);
      x[ids.length] = id;
      float[][] a = Arrays.copyOf(attention, attention.length + 1);
      a[attention.length] = weights;
      return new Hyp(x, logProb + lp, a);
    }
  }

  /**
   * Beam search over B sentences with K rows each: at every step each sentence keeps the best extensions of its
   * live hypotheses while live + finished &lt; K, so the beam narrows as hypotheses finish (as in dl4mt and
   * Nematus); one that ends in {@code </s>} is set aside, and a sentence is done when K have finished (or at its
   * length limit, where its live ones count as they are). With K = 1 this is greedy decoding.
   */
  private Translation[] beam(List<int[]> sources, int k, double alpha) {
    int b = sources.size();
    Source src = Source.of(sources);
    int s = src.steps();
    int[] lengths = src.lengths();
    Seq2Seq.Encoded enc = model.encode(params, src.ids(), lengths, b, s).repeat(k);
    Seq2Seq.DecoderState st = model.new DecoderState(b * k);
    int v = model.spec().targetVocab();
    List<List<Hyp>> live = new ArrayList<>();
    List<List<Hyp>> ended = new ArrayList<>();
    for (int j = 0; j < b; j++) {
      live.add(new ArrayList<>(List.of(new Hyp(new int[0], 0, new float[0][]))));
      ended.add(new ArrayList<>());
    }
    int[] prev = new int[b * k]; // </s> starts every row
    float[] weights = new float[b * k * s];
    for (int t = 0; ; t++) {
      float[] lp = model.decodeStep(params, enc, prev, st, weights);
      int[] rows = new int[b * k];
      boolean any = false;
      for (int j = 0; j < b; j++) {
        List<Hyp> hyps = live.get(j);
        if (hyps.isEmpty()) {
          Arrays.fill(rows, j * k, j * k + k, j * k);
          continue;
        }
        boolean last = t + 1 >= src.limit(j);
        // Candidates: (row, token) by log p; the K best of each live row suffice for the K best overall.
        List<double[]> cand = new ArrayList<>();
        for (int h = 0; h < hyps.size(); h++) {
          int row = j * k + h;
          for (int id : Predictor.topK(Arrays.copyOfRange(lp, row * v, row * v + v), k)) {
            cand.add(new double[] {hyps.get(h).logProb() + lp[row * v + id], h, id});
          }
        }
        cand.sort((x, y) -> Double.compare(y[0], x[0]));
        List<Hyp> next = new ArrayList<>();
        List<Integer> from = new ArrayList<>();
        for (double[] c : cand) {
          if (next.size() + ended.get(j).size() >= k) {
            break;
          }
          int h = (int) c[1];
          int id = (int) c[2];
          int row = j * k + h;
          float[] w = Arrays.copyOfRange(weights, row * s, row * s + lengths[j]);
          Hyp e = hyps.get(h).extend(id, lp[row * v + id], w);
          if (id == Vocab.EOS_ID || last) {
            ended.get(j).add(e);
          } else {
            next.add(e);
            from.add(row);
          }
        }
        live.set(j, next);
        for (int h = 0; h < k; h++) {
          // Rows of a sentence without a live hypothesis keep decoding a copy of its first row, unread.
          rows[j * k + h] = h < from.size() ? from.get(h) : j * k;
          prev[j * k + h] = h < next.size() ? next.get(h).ids()[next.get(h).ids().length - 1] : Vocab.EOS_ID;
        }
        any |= !next.isEmpty();
      }
      if (!any) {
        break;
      }
      st = st.select(rows);
    }
    Translation[] out = new Translation[b];
    for (int j = 0; j < b; j++) {
      Translation best = null;
      for (Hyp h : ended.get(j)) {
        boolean end = h.ids().length > 0 && h.ids()[h.ids().length - 1] == Vocab.EOS_ID;
        int[] ids = end ? Arrays.copyOf(h.ids(), h.ids().length - 1) : h.ids();
        Translation tr = new Translation(ids, h.logProb(), end, h.attention());
        if (best == null || tr.score(alpha) > best.score(alpha)) {
          best = tr;
        }
      }
      out[j] = best;
    }
    return out;
  }
}
