package io.quire.core;

import java.nio.file.Path;

/** Opens a node in its own JVM, prints {@code OPEN}, and holds it for at most 60 s or until killed. */
public final class NodeHolderMain {
  private NodeHolderMain() {}

  public static void main(String[] args) throws InterruptedException {
    GridNode node = GridNode.open(GridConfig.defaults(Path.of(args[0])));
    System.out.println("OPEN " + node.id());
    Thread.sleep(60_000);
    node.close();
  }
}
