package io.sparkrnn.cli;

import io.sparkrnn.interop.TorchFormat;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Write a trained model for PyTorch: model.npz (a state_dict), spec.json and the vocabularies",
        "(vocab.txt; an encoder-decoder's vocab.source.txt and vocab.target.txt)."})
final class ExportCommand implements Callable<Integer> {
  @Mixin
  RunOption run;

  @Option(names = "--to", required = true, description = "the folder to write")
  Path to;

  @Override
  public Integer call() throws Exception {
    System.out.println("Wrote " + String.join(", ", TorchFormat.export(run.checkpoint(), to)) + " to " + to);
    return 0;
  }
}
