package io.sparkrnn.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkrnn.data.SyntheticCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "corpus", mixinStandardHelpOptions = true,
    description = {"Write a large synthetic corpus as gzip files, sampled from a bigram model fitted on a text, with",
        "a Zipf-like tail of spellings, and print its entropy floor (the lowest perplexity a model can reach on it)."})
final class CorpusCommand implements Callable<Integer> {
  @Option(names = "--from", defaultValue = "data/brown/train.txt", description = "the text to fit on")
  Path from;

  @Option(names = "--tokens", defaultValue = "100000000", description = "tokens to write, </s> included")
  long tokens;

  @Option(names = "--files", defaultValue = "100", description = "gzip files to cut them into")
  int files;

  @Option(names = "--seed", defaultValue = "1")
  long seed;

  @Option(names = "--threads", defaultValue = "0", description = "threads writing files (0: available cores)")
  int threads;

  @Option(names = "--out", required = true, description = "the folder to write (part-00000.txt.gz, ..., corpus.json)")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(from)) {
      throw new IllegalArgumentException("--from " + from + " is not a file");
    }
    if (Files.exists(out.resolve("corpus.json"))) {
      throw new IllegalArgumentException(out + " already holds a corpus (corpus.json); choose another --out");
    }
    long t0 = System.nanoTime();
    SyntheticCorpus model = SyntheticCorpus.fit(from);
    int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    SyntheticCorpus.Summary s = model.generate(out, tokens, files, seed, n);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("fitted_on", from.toString());
    r.put("fitted_types", model.types());
    r.put("seed", seed);
    r.put("files", s.files());
    r.put("tokens", s.tokens());
    r.put("floor_nats_per_token", s.natsPerToken());
    r.put("floor_perplexity", s.floorPerplexity());
    r.put("seconds", (System.nanoTime() - t0) / 1e9);
    String json = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(r);
    Files.writeString(out.resolve("corpus.json"), json + "\n");
    System.out.println(json);
    return 0;
  }
}
