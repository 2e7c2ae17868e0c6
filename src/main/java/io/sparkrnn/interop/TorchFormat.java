package io.sparkrnn.interop;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkrnn.math.Activation;
import io.sparkrnn.nn.LanguageModel;
import io.sparkrnn.nn.ModelSpec;
import io.sparkrnn.nn.ParamLayout;
import io.sparkrnn.nn.Seq2Seq;
import io.sparkrnn.train.Checkpoint;
import io.sparkrnn.train.Config;
import io.sparkrnn.train.LanguageModelCard;
import io.sparkrnn.train.ModelCard;
import io.sparkrnn.train.Seq2SeqCard;
import io.sparkrnn.train.TrainConfig;
import io.sparkrnn.train.StepBackend.CarriedState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model as PyTorch users load it: {@code model.npz} with the state_dict of a module made of
 * {@code emb = nn.Embedding(V, E)}, {@code rnn = nn.LSTM / nn.GRU / nn.RNN(E, H, layers)} and
 * {@code out = nn.Linear(H, V)}, or {@code out = nn.AdaptiveLogSoftmaxWithLoss(H, V, cutoffs, div_value,
 * head_bias=True)} for the adaptive softmax (same names, same shapes; biases 1-D). A tied model ({@code "tie": true}
 * in spec.json) has {@code out.weight} equal to {@code emb.weight}, which PyTorch ties with
 * {@code out.weight = emb.weight}, and {@code proj = nn.Linear(H, E, bias=False)} before {@code out} when E differs
 * from H. {@code vocab.txt} (one word per
 * line, in id order) and {@code spec.json}. Parameters are stored exactly as PyTorch lays them out, so
 * export is a rename and import its inverse, bit for bit.
 */
public final class TorchFormat {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TorchFormat() {}

  /** Writes the model to {@code dir}; returns the names of the files written. */
  public static List<String> export(Checkpoint ck, Path dir) throws IOException {
    if (ck.model() instanceof Seq2SeqCard card) {
      exportSeq2Seq(card, ck.params(), dir);
      return List.of("model.npz", Seq2SeqCard.SOURCE_FILE, Seq2SeqCard.TARGET_FILE, "spec.json");
    }
    ModelSpec spec = ck.spec();
    if (spec.peephole()) {
      throw new IllegalArgumentException("this LSTM has peephole connections, which PyTorch's nn.LSTM lacks;"
          + " it cannot be exported as a PyTorch state_dict");
    }
    if (spec.cell().equals("rnn") && spec.activation() == Activation.SIGMOID) {
      throw new IllegalArgumentException("PyTorch's nn.RNN has no sigmoid nonlinearity (only tanh and relu);"
          + " this model cannot be exported");
    }
    ParamLayout layout = new LanguageModel(spec).layout();
    Map<String, Npz.Array> arrays = arrays(layout, ck.params());
    if (spec.tie()) { // PyTorch's state_dict of a tied module holds the shared table under both names
      arrays.put("out.weight", arrays.get("emb.weight"));
    }
    writeNpz(arrays, dir);
    Files.write(dir.resolve("vocab.txt"), ck.vocab(), StandardCharsets.UTF_8);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("cell", spec.cell());
    json.put("vocab", spec.vocab());
    json.put("embed", spec.embed());
    json.put("hidden", spec.hidden());
    json.put("layers", spec.layers());
    json.put("nonlinearity", spec.activation().name().toLowerCase(java.util.Locale.ROOT));
    if (spec.adaptive()) {
      json.put("cutoffs", spec.cutoffs());
      json.put("div_value", spec.tailDiv());
    }
    if (spec.tie()) {
      json.put("tie", true);
    }
    JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("spec.json").toFile(), json);
    return List.of("model.npz", "vocab.txt", "spec.json");
  }

  /** Every tensor of the layout under its name, a bias as a vector. */
  private static Map<String, Npz.Array> arrays(ParamLayout layout, float[] params) {
    Map<String, Npz.Array> arrays = new LinkedHashMap<>();
    for (ParamLayout.View v : layout.views()) {
      float[] data = java.util.Arrays.copyOfRange(params, v.offset(), v.end());
      int[] shape = v.name().contains("bias") ? new int[] {v.size()} : new int[] {v.rows(), v.cols()};
      arrays.put(v.name(), new Npz.Array(shape, data));
    }
    return arrays;
  }

  private static void writeNpz(Map<String, Npz.Array> arrays, Path dir) throws IOException {
    Files.createDirectories(dir);
    try (OutputStream out = Files.newOutputStream(dir.resolve("model.npz"))) {
      Npz.write(out, arrays);
    }
  }

  /**
   * An encoder-decoder: model.npz with the tensors as {@link Seq2Seq} names them (nn.Embedding, nn.LSTM/nn.GRU
   * with bidirectional=True for the encoder, attn.* as in {@link io.sparkrnn.nn.Attention}, combine and out as
   * nn.Linear), vocab.source.txt, vocab.target.txt and spec.json ({@code "family": "seq2seq"} and the shape).
   */
  private static void exportSeq2Seq(Seq2SeqCard card, float[] params, Path dir) throws IOException {
    writeNpz(arrays(new Seq2Seq(card.spec()).layout(), params), dir);
    for (var v : card.vocabularies().entrySet()) {
      Files.write(dir.resolve(v.getKey()), v.getValue(), StandardCharsets.UTF_8);
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("family", card.family());
    ModelCard.keys(card.shape()).forEach((k, v) -> json.put(k, v.matches("-?\\d+") ? Integer.valueOf(v)
        : v.equals("true") || v.equals("false") ? Boolean.valueOf(v) : v.toLowerCase(java.util.Locale.ROOT)));
    JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("spec.json").toFile(), json);
  }

  /** Reads an exported folder back as a checkpoint at step 0 (no optimizer state). */
  public static Checkpoint importModel(Path dir) throws IOException {
    for (String f : List.of("model.npz", "vocab.txt", "spec.json")) {
      if (!Files.exists(dir.resolve(f))) {
        throw new IllegalArgumentException(dir + " has no " + f + " (expected model.npz, vocab.txt and spec.json)");
      }
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> json = JSON.readValue(dir.resolve("spec.json").toFile(), Map.class);
    ModelSpec spec = new ModelSpec((String) json.get("cell"), (Integer) json.get("vocab"), (Integer) json.get("embed"),
        (Integer) json.get("hidden"), (Integer) json.get("layers"), false,
        Activation.parse((String) json.getOrDefault("nonlinearity", "tanh")),
        (List<Integer>) json.getOrDefault("cutoffs", List.of()), (Integer) json.getOrDefault("div_value", 4),
        Boolean.TRUE.equals(json.get("tie")));
    List<String> vocab = Files.readAllLines(dir.resolve("vocab.txt"), StandardCharsets.UTF_8);
    if (vocab.size() != spec.vocab()) {
      throw new IllegalArgumentException("vocab.txt has " + vocab.size() + " words but spec.json says " + spec.vocab());
    }
    Map<String, Npz.Array> arrays;
    try (InputStream in = Files.newInputStream(dir.resolve("model.npz"))) {
      arrays = Npz.read(in, dir.resolve("model.npz").toString());
    }
    LanguageModel model = new LanguageModel(spec);
    float[] params = new float[model.layout().size()];
    for (ParamLayout.View v : model.layout().views()) {
      Npz.Array a = arrays.get(v.name());
      if (a == null) {
        throw new IllegalArgumentException("model.npz has no tensor " + v.name());
      }
      if (a.data().length != v.size()) {
        throw new IllegalArgumentException("model.npz tensor " + v.name() + " has shape "
            + java.util.Arrays.toString(a.shape()) + ", not (" + v.rows() + ", " + v.cols() + ")");
      }
      System.arraycopy(a.data(), 0, params, v.offset(), v.size());
    }
    Map<String, String> keys = new LinkedHashMap<>(Map.of("model.cell", spec.cell(), "model.embed",
        "" + spec.embed(), "model.hidden", "" + spec.hidden(), "model.layers", "" + spec.layers(),
        "model.activation", spec.activation().name().toLowerCase(java.util.Locale.ROOT)));
    if (spec.adaptive()) {
      keys.putAll(Map.of("model.softmax", "adaptive", "model.cutoffs", TrainConfig.cutoffsText(spec.cutoffs()),
          "model.tailDiv", "" + spec.tailDiv()));
    }
    keys.put("model.tie", "" + spec.tie());
    Config config = Config.defaults().with(keys, "import");
    return new Checkpoint(config.toText(), new LanguageModelCard(spec, vocab), params, "none", 0, new float[0][], 0,
        0, 0, 0,
        new CarriedState(new int[0], new float[0], 0));
  }
}
