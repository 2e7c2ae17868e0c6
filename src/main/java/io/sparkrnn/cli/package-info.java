/**
 * The command line: one picocli entry point with subcommands. It turns settings into a
 * {@link io.sparkrnn.train.Config} and user mistakes into one sentence and a non-zero exit code.
 */
package io.sparkrnn.cli;
