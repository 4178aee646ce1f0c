package io.quire.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code quire node}'s member list, the status file, and {@code quire status}'s table, without any process. */
class NodeCommandTest {
  @TempDir
  Path dir;

  @Test
  void members_takeBracketsColonsOrTheDefaultPort() {
    assertThat(NodeCommand.parseMembers(List.of("127.0.0.1[7800]", " 127.0.0.1:7801", "localhost"), 7900))
        .containsExactly(new InetSocketAddress("127.0.0.1", 7800), new InetSocketAddress("127.0.0.1", 7801),
            new InetSocketAddress("localhost", 7900));
    assertThatThrownBy(() -> NodeCommand.parseMembers(List.of(""), 7800)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void config_givesTheNodeSettings_andOptionsOverrideThem() throws Exception {
    Path xml = dir.resolve("quire.xml");
    java.nio.file.Files.writeString(xml, "<quire xmlns=\"urn:io.quire:cache:1.0\">\n"
        + "  <node data-directory=\"" + dir.resolve("n1") + "\" cluster=\"orders\" replication=\"3\" "
        + "ram-budget=\"8MiB\" page-size=\"8192\" transport=\"jgroups\"/>\n</quire>\n");
    NodeCommand fromFile = new NodeCommand();
    fromFile.config = xml.toString();
    var config = fromFile.resolveConfig();
    assertThat(config.dataDirectory()).isEqualTo(dir.resolve("n1"));
    assertThat(config.ramBudgetBytes()).isEqualTo(8L << 20);
    assertThat(config.pageSize().bytes()).isEqualTo(8192);
    assertThat(fromFile.cluster).isEqualTo("orders");
    assertThat(fromFile.k).isEqualTo(3);

    NodeCommand overridden = new NodeCommand();
    overridden.config = xml.toUri().toString();
    overridden.k = 2;
    overridden.data = dir.resolve("n2");
    assertThat(overridden.resolveConfig().dataDirectory()).isEqualTo(dir.resolve("n2"));
    assertThat(overridden.k).isEqualTo(2);
    assertThat(overridden.cluster).isEqualTo("orders");

    assertThatThrownBy(() -> new NodeCommand().resolveConfig()).hasMessageContaining("--data");
  }

  @Test
  void statusFile_roundTrips() {
    NodeStatus status = status("node-a", ProcessHandle.current().pid(), "running", 7, 16, 4, 1_000);
    status.writeTo(dir);
    assertThat(NodeStatus.readFrom(dir)).contains(status);
    assertThat(NodeStatus.readFrom(dir.resolve("absent"))).isEmpty();
  }

  @Test
  void statusTable_showsTheViewAndEachNode_andExitsNonZeroWhenOneIsDown() {
    long now = 100_000;
    long self = ProcessHandle.current().pid();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int exit = StatusCommand.print(List.of(status("node-a", self, "running", 7, 16, 4, now - 500),
        status("node-b", self, "running", 7, 0, 16, now - 900),
        status("node-c", self, "running", 6, 4, 0, now - 60_000)), now,
        new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String table = bytes.toString(StandardCharsets.UTF_8);
    assertThat(table).contains("cluster 'c', view 7: 2 members node-a, node-b");
    assertThat(table.lines().filter(l -> l.startsWith("node-a")).findFirst().orElseThrow())
        .contains("running").contains(" 16 ").contains("2 ok");
    assertThat(table.lines().filter(l -> l.startsWith("node-c")).findFirst().orElseThrow()).contains("down");
    assertThat(exit).isEqualTo(1);
    assertThat(StatusCommand.print(List.of(), now, new PrintStream(new ByteArrayOutputStream()))).isEqualTo(2);
  }

  private static NodeStatus status(String node, long pid, String state, long view, long owned, long replicas,
      long updated) {
    return new NodeStatus(node, pid, state, "127.0.0.1[7800]", "c", 2, view,
        view == 7 ? List.of("node-a", "node-b") : List.of("node-a", "node-b", "node-c"), owned, replicas,
        "satisfied", updated);
  }
}
