package io.sparkrnn.cli;

import io.sparkrnn.interop.TorchFormat;
import io.sparkrnn.train.Checkpoint;
import io.sparkrnn.train.RunFolder;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "import", mixinStandardHelpOptions = true,
    description = "Make a run folder from an exported model (model.npz, vocab.txt, spec.json), for predict,"
        + " generate and evaluate.")
final class ImportCommand implements Callable<Integer> {
  @Option(names = "--from", required = true, description = "the exported folder")
  Path from;

  @Option(names = {"-r", "--run"}, required = true, description = "the run folder to create")
  String run;

  @Option(names = "--overwrite", description = "replace a run already in that folder")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    Checkpoint ck = TorchFormat.importModel(from);
    try (RunFolder folder = RunFolder.forTraining(run, false, overwrite)) {
      folder.clearForNewRun();
      folder.writeText("config.properties", ck.config());
      folder.writeText("vocab.txt", String.join("\n", ck.vocab()) + "\n");
      folder.saveCheckpoint(ck);
      System.out.println("Imported into " + folder.uri());
    }
    return 0;
  }
}
