package io.quire.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.transport.jgroups.LoopbackPorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code quire node} processes (the shaded jar) on 127.0.0.1 over JGroups, k = 2: pages one process writes are
 * read by the others, survive a SIGKILL of a third, are read by it after it restarts from its data directory, and
 * survive the writer's graceful leave (SIGTERM). The test speaks to the nodes only through their status files and
 * the hidden {@code --self-test} request files.
 */
class NodeProcessesIT {
  private static final int NODES = 3;
  private static final int PAGES = 24;
  /** Bounds every wait; a healthy run needs a few seconds per step. */
  private static final long WAIT_MILLIS = 45_000;

  @TempDir
  Path dir;

  private final String cluster = "quire-it-" + UUID.randomUUID();
  private final List<Integer> ports = LoopbackPorts.free(NODES);
  private final Process[] processes = new Process[NODES];
  private int requests;

  @AfterEach
  void killAll() throws InterruptedException {
    for (int i = 0; i < NODES; i++) {
      if (processes[i] != null && processes[i].isAlive()) {
        processes[i].destroyForcibly();
        processes[i].waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void pagesSurviveAKilledNode_itsRestart_andTheWritersGracefulLeave() throws Exception {
    try {
      for (int i = 0; i < NODES; i++) {
        start(i);
      }
      awaitView(List.of(0, 1, 2), NODES);

      Properties written = request(0, "op=write\npages=" + PAGES);
      assertThat(written.getProperty("error")).as("write error").isNull();
      assertThat(written.getProperty("acknowledged")).isEqualTo(Integer.toString(PAGES));
      String range = "range.hi=" + written.getProperty("range.hi") + "\nrange.lo=" + written.getProperty("range.lo")
          + "\npages=" + PAGES;
      assertReadsAll(1, range, "written by node 0");
      assertReadsAll(2, range, "written by node 0");
      awaitTrue("node 0's status reports its group, tiers and directory", () -> NodeStatus.readFrom(data(0))
          .filter(s -> s.group().equals("site-a/rack-0") && s.ownedPages() >= PAGES && s.ramPages() > 0
              && s.ramBytes() > 0 && s.diskPages() >= 0 && s.directoryDepth() >= 1).isPresent());

      processes[2].destroyForcibly(); // SIGKILL: no hand-over
      assertThat(processes[2].waitFor(10, TimeUnit.SECONDS)).isTrue();
      awaitView(List.of(0, 1), NODES - 1);
      assertReadsAll(1, range, "after node 2 was killed");
      assertReadsAll(0, range, "after node 2 was killed");

      start(2); // the same data directory and port: the same node
      awaitView(List.of(0, 1, 2), NODES);
      assertReadsAll(2, range, "after node 2 restarted from its data directory");

      processes[0].destroy(); // SIGTERM: the shutdown hook hands node 0's pages over
      assertThat(processes[0].waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS)).as("node 0 exits").isTrue();
      assertThat(NodeStatus.readFrom(data(0)).orElseThrow().state()).isEqualTo("left");
      awaitView(List.of(1, 2), NODES - 1);
      assertReadsAll(1, range, "after node 0 left");
      assertReadsAll(2, range, "after node 0 left");
    } catch (AssertionError | Exception e) {
      printLogs();
      throw e;
    }
  }

  /**
   * Issue 5's kill under load: nodes 0 and 1 write to pages of their own as fast as they can while node 1 is killed
   * with SIGKILL mid-load. No write acknowledged before the kill is lost (node 1 logged each acknowledged write as it
   * came back, unbuffered, so its log survives it), node 0's load goes on through the view change, and every page
   * of both ranges reads, on both survivors, as its last acknowledged write (or, for the one write in flight, the
   * write that had not returned yet).
   */
  @Test
  void aWriterKilledMidLoad_losesNoAcknowledgedWrite_theOtherWriterGoesOn_andTheRestartedWriterRejoins()
      throws Exception {
    try {
      for (int i = 0; i < NODES; i++) {
        start(i);
      }
      awaitView(List.of(0, 1, 2), NODES);
      int pages = 8;
      Path survivorResult = submit(0, "op=load\npages=" + pages + "\nmillis=8000\nlog=load-0.log");
      submit(1, "op=load\npages=" + pages + "\nmillis=8000\nlog=load-1.log");
      Path killedLog = data(1).resolve(SelfTest.DIRECTORY).resolve("load-1.log");
      awaitTrue("node 1 has acknowledged 200 writes", () -> lines(killedLog).size() > 200);

      processes[1].destroyForcibly(); // SIGKILL mid-load
      assertThat(processes[1].waitFor(10, TimeUnit.SECONDS)).isTrue();
      awaitView(List.of(0, 2), NODES - 1);

      Properties survivor = awaitResult(survivorResult);
      assertThat(survivor.getProperty("error")).as("node 0's load went on through node 1's death").isNull();
      List<String> killed = lines(killedLog);
      String[] header = killed.get(0).split(" ");
      long[] killedAcked = new long[pages];
      for (String line : killed.subList(1, killed.size())) {
        String[] f = line.split(" ");
        if (f.length == 2) { // a line cut short by the kill was never complete
          killedAcked[Integer.parseInt(f[0])] = Math.max(killedAcked[Integer.parseInt(f[0])], Long.parseLong(f[1]));
        }
      }
      String killedRange = "range.hi=" + header[1] + "\nrange.lo=" + header[2] + "\npages=" + pages;
      String survivorRange = "range.hi=" + survivor.getProperty("range.hi") + "\nrange.lo="
          + survivor.getProperty("range.lo") + "\npages=" + pages;
      for (int reader : new int[] {0, 2}) {
        Properties values = request(reader, "op=read-values\n" + killedRange);
        assertThat(values.getProperty("error")).as("read-values error on node %d", reader).isNull();
        for (int p = 0; p < pages; p++) {
          long value = Long.parseLong(values.getProperty("value." + p));
          // Never older than the last acknowledged write; at most the one write that was in flight is newer.
          assertThat(value).as("page %d of the killed writer's range, read on node %d", p, reader)
              .isGreaterThanOrEqualTo(killedAcked[p]).isLessThanOrEqualTo(killedAcked[p] + 2L * pages);
        }
        Properties own = request(reader, "op=read-values\n" + survivorRange);
        for (int p = 0; p < pages; p++) {
          assertThat(own.getProperty("value." + p)).as("page %d of node 0's range, read on node %d", p, reader)
              .isEqualTo(survivor.getProperty("attempted." + p));
        }
      }

      // The killed writer restarts from its disk, rejoins, reads both ranges as the survivors do, and k holds again.
      start(1);
      awaitView(List.of(0, 1, 2), NODES);
      Properties restarted = request(1, "op=read-values\n" + killedRange);
      assertThat(restarted.getProperty("error")).as("read-values error on the restarted node").isNull();
      for (int p = 0; p < pages; p++) {
        assertThat(Long.parseLong(restarted.getProperty("value." + p))).as("page %d read on restarted node 1", p)
            .isGreaterThanOrEqualTo(killedAcked[p]).isLessThanOrEqualTo(killedAcked[p] + 2L * pages);
      }
      Properties ownAfter = request(1, "op=read-values\n" + survivorRange);
      for (int p = 0; p < pages; p++) {
        assertThat(ownAfter.getProperty("value." + p)).as("page %d of node 0's range on restarted node 1", p)
            .isEqualTo(survivor.getProperty("attempted." + p));
      }
      awaitTrue("k = 2 holds on every node again", () -> List.of(0, 1, 2).stream()
          .allMatch(i -> NodeStatus.readFrom(data(i)).map(st -> st.replication().equals("satisfied")).orElse(false)));
    } catch (AssertionError | Exception e) {
      printLogs();
      throw e;
    }
  }

  private static List<String> lines(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    } catch (IOException e) {
      return List.of();
    }
  }

  /**
   * Caches on node processes: each node's JCache manager runs on it (quire node attaches the node to its JVM's
   * provider), so a cache created and filled through one node's manager is found by name and read through the others',
   * also after the node that filled it is killed; the status files list it.
   */
  @Test
  void aCacheFilledThroughOneNodeProcess_isReadThroughTheOthers_countersInvokedFromTwoLoseNothing_andSurviveAKill()
      throws Exception {
    try {
      for (int i = 0; i < NODES; i++) {
        start(i);
      }
      awaitView(List.of(0, 1, 2), NODES);

      Properties put = request(2, "op=cache-put\ncache=orders\nentries=150");
      assertThat(put.getProperty("error")).as("cache-put error").isNull();
      assertThat(put.getProperty("acknowledged")).isEqualTo("150");
      for (int reader : new int[] {0, 1}) {
        Properties got = request(reader, "op=cache-get\ncache=orders\nentries=150");
        assertThat(got.getProperty("error")).as("cache-get error on node %d", reader).isNull();
        assertThat(got.getProperty("good")).as("node %d: %s", reader, got).isEqualTo("150");
      }
      // invoke from two processes at once on the same counters: every increment counts, none is lost or doubled.
      Path fromNode0 = submit(0, "op=cache-increment\ncache=counters\nkeys=4\ntimes=100");
      Path fromNode1 = submit(1, "op=cache-increment\ncache=counters\nkeys=4\ntimes=100");
      for (Path result : List.of(fromNode0, fromNode1)) {
        Properties incremented = awaitResult(result);
        assertThat(incremented.getProperty("error")).as("cache-increment error: %s", incremented).isNull();
        assertThat(incremented.getProperty("acknowledged")).isEqualTo("400");
      }
      Properties counters = request(2, "op=cache-increment\ncache=counters\nkeys=4\ntimes=0");
      for (int k = 0; k < 4; k++) {
        assertThat(counters.getProperty("value." + k)).as("counter %d read on node 2: %s", k, counters)
            .isEqualTo("200");
      }
      awaitTrue("node 0's status lists the cache",
          () -> NodeStatus.readFrom(data(0)).map(s -> s.caches().contains("orders")).orElse(false));
      assertThat(Files.readString(data(0).resolve(NodeCommand.NODE_DESCRIPTOR))).contains(data(0).toString());

      processes[2].destroyForcibly(); // SIGKILL: the node that filled the cache, without a hand-over
      assertThat(processes[2].waitFor(10, TimeUnit.SECONDS)).isTrue();
      awaitView(List.of(0, 1), NODES - 1);
      for (int reader : new int[] {0, 1}) {
        Properties got = request(reader, "op=cache-get\ncache=orders\nentries=150");
        assertThat(got.getProperty("good")).as("node %d after node 2 was killed: %s", reader, got).isEqualTo("150");
      }
    } catch (AssertionError | Exception e) {
      printLogs();
      throw e;
    }
  }

  /**
   * Issue 5 end to end: two nodes started with the same --auth-secret-file and either the same --keystore
   * (SYM_ENCRYPT) or --encryption asymmetric (ASYM_ENCRYPT, no key files), or with certificates of one CA
   * (--auth-keystore, --truststore) and ASYM_ENCRYPT, form a view and read each other's pages; a third with another
   * secret (or a self-signed certificate) never appears in their view, and no log shows a secret or a password.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"symmetric", "asymmetric", "certificate"})
  void securedNodes_formAView_andANodeWithAnotherSecretNeverJoins(String encryption) throws Exception {
    Path secret = Files.writeString(dir.resolve("secret"), "the-shared-secret-" + UUID.randomUUID() + "\n");
    Path otherSecret = Files.writeString(dir.resolve("other-secret"), "another-secret-" + UUID.randomUUID());
    Path password = Files.writeString(dir.resolve("keystore-password"), "pw-" + UUID.randomUUID());
    Path keystore = dir.resolve("cluster.p12");
    List<String> encryptionOptions;
    List<String> memberAuth = List.of("--auth-secret-file", secret.toString());
    List<String> outsiderAuth = List.of("--auth-secret-file", otherSecret.toString());
    String expectedAuth = "ClusterSecurity[auth shared secret";
    if (encryption.equals("symmetric")) {
      keytool("-genseckey", "-keyalg", "AES", "-keysize", "256", "-alias", "quire", "-storetype", "PKCS12",
          "-keystore", keystore.toString(), "-storepass:file", password.toString());
      encryptionOptions = List.of("--keystore", keystore.toString(), "--keystore-password-file", password.toString());
    } else {
      encryptionOptions = List.of("--encryption", "asymmetric");
    }
    if (encryption.equals("certificate")) {
      makeCertificates(password);
      List<String> trust = List.of("--truststore", dir.resolve("trust.p12").toString(), "--truststore-password-file",
          password.toString());
      memberAuth = options(List.of("--auth-keystore", dir.resolve("node.p12").toString(),
          "--auth-keystore-password-file", password.toString()), trust);
      outsiderAuth = options(List.of("--auth-keystore", dir.resolve("self-signed.p12").toString(),
          "--auth-keystore-password-file", password.toString()), trust);
      expectedAuth = "ClusterSecurity[auth certificate 'CN=quire-node'";
    }
    Process outsider = null;
    try {
      for (int i = 0; i < 2; i++) {
        start(i, options(memberAuth, encryptionOptions).toArray(String[]::new));
      }
      awaitView(List.of(0, 1), 2);
      Properties written = request(0, "op=write\npages=" + PAGES);
      assertThat(written.getProperty("error")).as("write error").isNull();
      assertReadsAll(1, "range.hi=" + written.getProperty("range.hi") + "\nrange.lo="
          + written.getProperty("range.lo") + "\npages=" + PAGES, "written by node 0, " + encryption);

      outsider = launch(2, options(outsiderAuth, encryptionOptions).toArray(String[]::new));
      Process watched = outsider;
      // Refused: the process exits, or runs alone. Either way its log says why, and the members never list it.
      awaitTrue("the outsider exits or runs alone", () -> !watched.isAlive()
          || NodeStatus.readFrom(data(2)).filter(s -> s.state().equals("running") && s.members().size() == 1)
          .isPresent());
      Thread.sleep(3_000); // a MERGE3 round of the loopback stack
      for (int i = 0; i < 2; i++) {
        assertThat(NodeStatus.readFrom(data(i)).orElseThrow().members()).as("node %d's view", i).hasSize(2);
      }
      for (int i = 0; i < 3; i++) {
        assertThat(Files.readString(log(i))).doesNotContain(Files.readString(secret).trim())
            .doesNotContain(Files.readString(otherSecret)).doesNotContain(Files.readString(password));
      }
      assertThat(Files.readString(log(0))).contains(expectedAuth);
    } catch (AssertionError | Exception e) {
      printLogs();
      throw e;
    } finally {
      if (outsider != null) {
        outsider.destroyForcibly();
        outsider.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static List<String> options(List<String> first, List<String> second) {
    List<String> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }

  /**
   * With keytool, as an operator would: a CA, a trust store holding it, a node key pair signed by it (both members use
   * it; their addresses differ), and a self-signed key pair for the outsider. One password for every store.
   */
  private void makeCertificates(Path password) throws Exception {
    String[] store = {"-storetype", "PKCS12", "-storepass:file", password.toString()};
    keytool(with(store, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
        "CN=Quire Test CA", "-ext", "bc:c", "-validity", "2", "-keystore", path("ca.p12")));
    keytool(with(store, "-exportcert", "-rfc", "-alias", "ca", "-file", path("ca.pem"), "-keystore", path("ca.p12")));
    keytool(with(store, "-importcert", "-noprompt", "-alias", "ca", "-file", path("ca.pem"), "-keystore",
        path("trust.p12")));
    keytool(with(store, "-genkeypair", "-alias", "quire", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
        "CN=quire-node", "-validity", "2", "-keystore", path("node.p12")));
    keytool(with(store, "-certreq", "-alias", "quire", "-file", path("node.csr"), "-keystore", path("node.p12")));
    keytool(with(store, "-gencert", "-alias", "ca", "-infile", path("node.csr"), "-outfile", path("node.pem"), "-rfc",
        "-validity", "2", "-keystore", path("ca.p12")));
    keytool(with(store, "-importcert", "-noprompt", "-alias", "ca", "-file", path("ca.pem"), "-keystore",
        path("node.p12")));
    keytool(with(store, "-importcert", "-alias", "quire", "-file", path("node.pem"), "-keystore", path("node.p12")));
    keytool(with(store, "-genkeypair", "-alias", "quire", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
        "CN=intruder", "-validity", "2", "-keystore", path("self-signed.p12")));
  }

  private String path(String file) {
    return dir.resolve(file).toString();
  }

  private static String[] with(String[] tail, String... head) {
    List<String> all = new ArrayList<>(List.of(head));
    all.addAll(List.of(tail));
    return all.toArray(String[]::new);
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
        .toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("keytool finished").isTrue();
    assertThat(process.exitValue()).as("keytool: %s", output).isZero();
  }

  private Path data(int i) {
    return dir.resolve("node-" + i);
  }

  private Path log(int i) {
    return dir.resolve("node-" + i + ".log");
  }

  private void start(int i, String... extra) throws IOException {
    processes[i] = launch(i, extra);
  }

  private Process launch(int i, String... extra) throws IOException {
    String jar = System.getProperty("quire.jar", "target/quire.jar");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String members = ports.stream().map(p -> "127.0.0.1[" + p + "]").collect(Collectors.joining(","));
    List<String> command = new ArrayList<>(List.of(java, "-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Djava.net.preferIPv4Stack=true", "-jar", jar, "node", "--data", data(i).toString(), "--cluster", cluster,
        "--bind", "127.0.0.1", "--port", Integer.toString(ports.get(i)), "--members", members, "--k", "2",
        "--ram-mb", "8", "--group", "site-a/rack-" + i, "--self-test"));
    command.addAll(List.of(extra));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log(i).toFile()))
        .start();
  }

  /** Waits until each of {@code nodes} runs and reports a view of {@code size} members, the same view for all. */
  private void awaitView(List<Integer> nodes, int size) throws InterruptedException {
    awaitTrue("nodes " + nodes + " in one view of " + size, () -> {
      List<NodeStatus> statuses = new ArrayList<>();
      for (int i : nodes) {
        Optional<NodeStatus> s = NodeStatus.readFrom(data(i));
        if (s.isEmpty() || !s.get().state().equals("running") || s.get().pid() != processes[i].pid()) {
          return false;
        }
        statuses.add(s.get());
      }
      return statuses.stream().allMatch(s -> s.members().size() == size)
          && statuses.stream().map(NodeStatus::viewId).distinct().count() == 1;
    });
  }

  private void assertReadsAll(int node, String range, String when) throws Exception {
    Properties read = request(node, "op=read\n" + range);
    assertThat(read.getProperty("error")).as("read error on node %d %s", node, when).isNull();
    assertThat(read.getProperty("good")).as("pages node %d read as written %s (first other: %s)", node, when,
        read.getProperty("firstBad")).isEqualTo(Integer.toString(PAGES));
  }

  /** Drops a self-test request into node {@code i}'s data directory and waits for its result. */
  private Properties request(int i, String body) throws Exception {
    return awaitResult(submit(i, body));
  }

  /** Hands node {@code i} a self-test request; returns where its result will be. */
  private Path submit(int i, String body) throws IOException {
    Path tests = data(i).resolve(SelfTest.DIRECTORY);
    Files.createDirectories(tests);
    String name = String.format("%04d.properties", ++requests);
    Path tmp = tests.resolve("tmp-" + name);
    Files.writeString(tmp, body + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, tests.resolve("request-" + name));
    return tests.resolve("result-" + name);
  }

  private Properties awaitResult(Path result) throws Exception {
    awaitTrue("result " + result, () -> Files.exists(result));
    return NodeStatus.read(result);
  }

  private void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
    while (!condition.getAsBoolean()) {
      for (Process p : processes) {
        if (p != null && !p.isAlive() && p.exitValue() != 137 && p.exitValue() != 143) {
          throw new AssertionError("a node process exited with " + p.exitValue() + " while waiting for " + what);
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(200);
    }
  }

  private void printLogs() {
    for (int i = 0; i < NODES; i++) {
      try {
        System.out.println("---- node " + i + " (" + log(i) + ") ----");
        if (Files.exists(log(i))) {
          System.out.println(Files.readString(log(i)));
        }
      } catch (IOException e) {
        System.out.println("cannot read " + log(i) + ": " + e);
      }
    }
  }

}
