package io.quire.node;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code quire} command line. */
@Command(name = "quire", mixinStandardHelpOptions = true, version = "quire 0.1.0-SNAPSHOT",
    description = "Quire: a JCache data grid on a distributed shared memory of pages.",
    subcommands = {DemoCommand.class, NodeCommand.class, StatusCommand.class})
public final class QuireCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new QuireCommand()).execute(args));
  }
}
