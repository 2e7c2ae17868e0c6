package io.sparkrnn.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one entry point: {@code train}, {@code keys}, ... as subcommands. Bad input ends with one
 * sentence on stderr and exit code 2; an I/O failure with exit code 1; a stack trace only with
 * {@code --debug}.
 */
@Command(name = "spark-rnn", mixinStandardHelpOptions = true, version = "spark-rnn 0.1.0",
    description = "Recurrent neural networks trained data-parallel on Apache Spark.",
    subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, GenerateCommand.class,
        ExportCommand.class, ImportCommand.class, NeighboursCommand.class, VectorsCommand.class, TaskCommand.class,
        BenchCommand.class, CorpusCommand.class, CompareCommand.class, KeysCommand.class, BleuCommand.class,
        TranslateCommand.class, AnalogyCommand.class, SimilarityCommand.class,
        MllibWord2VecCommand.class, ListOpsCommand.class})
public final class Main implements Callable<Integer> {
  static boolean debug;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line and returns the exit code. */
  public static int run(String... args) {
    return run(new java.io.PrintWriter(System.err, true), args);
  }

  /** Runs a command line with errors going to {@code err} (tests read them) and returns the exit code. */
  public static int run(java.io.PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setErr(err);
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      Throwable cause = e;
      while (cause.getCause() != null && !(cause instanceof IllegalArgumentException)) {
        cause = cause.getCause();
      }
      if (debug) {
        e.printStackTrace();
      }
      if (cause instanceof IllegalArgumentException) {
        cmd.getErr().println("error: " + cause.getMessage());
        return 2;
      }
      cmd.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      return 1;
    });
    // Picocli prints the general usage and succeeds for "NAME --help" when NAME is no command.
    if (args.length > 0 && !args[0].startsWith("-") && !cl.getSubcommands().containsKey(args[0])) {
      err.println("error: unknown command '" + args[0] + "'; the commands: " + String.join(", ", cl.getSubcommands()
          .values().stream().map(CommandLine::getCommandName).distinct().toList()));
      return 2;
    }
    return cl.execute(args);
  }

  @Override
  public Integer call() {
    new CommandLine(this).usage(System.out);
    return 0;
  }
}
