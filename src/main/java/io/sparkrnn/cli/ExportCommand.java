package io.sparkrnn.cli;

import io.sparkrnn.interop.TorchFormat;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Write a trained model for PyTorch: model.npz (a state_dict), vocab.txt and spec.json.")
final class ExportCommand implements Callable<Integer> {
  @Option(names = {"-r", "--run"}, required = true, description = "the run folder holding checkpoint/model.ckpt")
  String run;

  @Option(names = "--to", required = true, description = "the folder to write")
  Path to;

  @Override
  public Integer call() throws Exception {
    TorchFormat.export(RunFolders.checkpoint(run), to);
    System.out.println("Wrote " + to.resolve("model.npz") + ", vocab.txt and spec.json");
    return 0;
  }
}
