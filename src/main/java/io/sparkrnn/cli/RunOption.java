package io.sparkrnn.cli;

import io.sparkrnn.interop.TorchFormat;
import io.sparkrnn.train.Checkpoint;
import io.sparkrnn.train.RunFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The {@code --run} option of the commands that use a trained model, and reading that model. */
final class RunOption {
  @Option(names = {"-r", "--run"}, required = true,
      description = "a run folder (checkpoint/model.ckpt) or a folder written by export (model.npz, spec.json)")
  String run;

  Checkpoint checkpoint() throws IOException {
    return load(run);
  }

  /** The model of a run folder on any Hadoop path, or of a local folder written by export. */
  static Checkpoint load(String run) throws IOException {
    if (isExport(run)) {
      return TorchFormat.importModel(Path.of(run));
    }
    try (RunFolder folder = RunFolder.existing(run)) {
      return folder.loadCheckpoint();
    }
  }

  /** The metrics.jsonl rows of a run folder; none for an exported model folder. */
  static List<Map<String, Object>> metrics(String run) throws IOException {
    if (isExport(run)) {
      return List.of();
    }
    try (RunFolder folder = RunFolder.existing(run)) {
      return folder.readMetrics();
    }
  }

  /** Whether {@code run} is a local folder written by export rather than a run folder. */
  private static boolean isExport(String run) {
    Path local = Path.of(run);
    return Files.exists(local.resolve("model.npz")) && Files.exists(local.resolve("spec.json"));
  }
}
