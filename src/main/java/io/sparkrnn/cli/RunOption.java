package io.sparkrnn.cli;

import io.sparkrnn.train.Checkpoint;
import io.sparkrnn.train.RunFolder;
import java.io.IOException;
import picocli.CommandLine.Option;

/** The {@code --run} option of the commands that use a trained model, and reading that model. */
final class RunOption {
  @Option(names = {"-r", "--run"}, required = true, description = "the run folder holding checkpoint/model.ckpt")
  String run;

  Checkpoint checkpoint() throws IOException {
    try (RunFolder folder = RunFolder.existing(run)) {
      return folder.loadCheckpoint();
    }
  }
}
