package io.sparkrnn.cli;

import io.sparkrnn.train.Checkpoint;
import io.sparkrnn.train.RunFolder;
import java.io.IOException;

/** Reading a trained model from a run folder, for the commands that use one. */
final class RunFolders {
  private RunFolders() {}

  static Checkpoint checkpoint(String run) throws IOException {
    try (RunFolder folder = RunFolder.existing(run)) {
      return folder.loadCheckpoint();
    }
  }
}
