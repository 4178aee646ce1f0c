package io.quire.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.core.GridConfigurationException;
import io.quire.transport.jgroups.ClusterSecurity;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

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
    assertThat(fromFile.group).isEqualTo("default");

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
  void group_comesFromTheDescriptor_orTheOption_andMustBeAPath() throws Exception {
    Path xml = dir.resolve("quire.xml");
    Files.writeString(xml, "<quire xmlns=\"urn:io.quire:cache:1.0\">\n"
        + "  <node data-directory=\"" + dir.resolve("n1") + "\" group=\"site-a/rack-1\" transport=\"jgroups\"/>\n"
        + "</quire>\n");
    NodeCommand fromFile = new NodeCommand();
    fromFile.config = xml.toString();
    fromFile.resolveConfig();
    assertThat(fromFile.group).isEqualTo("site-a/rack-1");

    NodeCommand overridden = new NodeCommand();
    overridden.config = xml.toString();
    overridden.group = "site-b/rack-2";
    overridden.resolveConfig();
    assertThat(overridden.group).isEqualTo("site-b/rack-2");

    NodeCommand parsed = new NodeCommand();
    new CommandLine(parsed).parseArgs("--data", dir.resolve("n2").toString(), "--group", "site-c");
    parsed.resolveConfig();
    assertThat(parsed.group).isEqualTo("site-c");

    for (String bad : List.of("", "site-a//rack-1", "/site-a", "site-a/")) {
      NodeCommand command = new NodeCommand();
      command.data = dir.resolve("n3");
      command.group = bad;
      assertThatThrownBy(command::resolveConfig).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("site-a/rack-1").hasMessageContaining("'" + bad + "'");
    }
  }

  /* ---- security options ---- */

  @Test
  void securityOptions_readTheSecretAndKeyFromFiles_andShowNeither() throws Exception {
    Path secret = Files.writeString(dir.resolve("secret"), "0123456789abcdef0123456789abcdef\n");
    Path password = Files.writeString(dir.resolve("store-password"), "keystore-pass\n");
    Path keystore = keytoolAesKey(dir.resolve("cluster.p12"), "cluster-key", "keystore-pass");
    NodeCommand command = parse("--data", dir.resolve("n").toString(), "--auth-secret-file", secret.toString(),
        "--keystore", keystore.toString(), "--keystore-password-file", password.toString(),
        "--key-alias", "cluster-key");

    ClusterSecurity security = command.security();

    assertThat(security.authenticated()).isTrue();
    assertThat(security.encryption()).isEqualTo(ClusterSecurity.Encryption.SYMMETRIC);
    assertThat(security.toString()).contains("cluster.p12").doesNotContain("0123456789abcdef")
        .doesNotContain("keystore-pass");
  }

  @Test
  void encryptionAsymmetric_needsTheSecret_andTakesNoKeystore() throws Exception {
    Path secret = Files.writeString(dir.resolve("secret"), "0123456789abcdef0123456789abcdef\n");

    ClusterSecurity security = parse("--auth-secret-file", secret.toString(), "--encryption", "asymmetric")
        .security();

    assertThat(security.encryption()).isEqualTo(ClusterSecurity.Encryption.ASYMMETRIC);
    assertThatThrownBy(() -> parse("--encryption", "asymmetric").security())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--encryption asymmetric needs "
            + "--auth-secret-file");
  }

  @Test
  void certificateAuthOptions_readTheKeystoreAndTrustStore_andExcludeTheSecret() throws Exception {
    Path password = Files.writeString(dir.resolve("pw"), "cert-pass\n");
    keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=Node CA",
        "-ext", "bc:c", "-validity", "2", "-keystore", "ca.p12");
    keytool("-exportcert", "-rfc", "-alias", "ca", "-file", "ca.pem", "-keystore", "ca.p12");
    keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "trust.p12");
    keytool("-genkeypair", "-alias", "node-key", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=node-1",
        "-validity", "2", "-keystore", "node.p12");
    String[] options = {"--auth-keystore", dir.resolve("node.p12").toString(), "--auth-keystore-password-file",
        password.toString(), "--auth-key-alias", "node-key", "--truststore", dir.resolve("trust.p12").toString(),
        "--truststore-password-file", password.toString(), "--encryption", "asymmetric"};

    ClusterSecurity security = parse(options).security();

    assertThat(security.certificateAuthenticated()).isTrue();
    assertThat(security.encryption()).isEqualTo(ClusterSecurity.Encryption.ASYMMETRIC);
    assertThat(security.toString()).contains("CN=node-1").doesNotContain("cert-pass");
    String[] withSecret = java.util.stream.Stream.concat(java.util.Arrays.stream(options), java.util.stream.Stream.of(
        "--auth-secret-file", Files.writeString(dir.resolve("secret"), "0123456789abcdef0123456789abcdef").toString()))
        .toArray(String[]::new);
    assertThatThrownBy(() -> parse(withSecret).security()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--auth-secret-file and --auth-keystore exclude each other");
    assertThatThrownBy(() -> parse("--auth-keystore", dir.resolve("node.p12").toString()).security())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--auth-keystore-password-file is missing");
  }

  private void keytool(String... arguments) throws Exception {
    java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
        Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(java.util.List.of(arguments));
    command.addAll(java.util.List.of("-storepass", "cert-pass", "-storetype", "PKCS12"));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
    assertThat(process.exitValue()).as("keytool %s: %s", arguments[0], output).isZero();
  }

  @Test
  void noSecurityOptions_meanNoSecurity() {
    assertThat(parse("--data", dir.toString()).security()).isSameAs(ClusterSecurity.NONE);
  }

  @Test
  void securityOptionErrors_nameTheOptionAndFile() throws Exception {
    Path password = Files.writeString(dir.resolve("store-password"), "wrong-pass");
    Path keystore = keytoolAesKey(dir.resolve("cluster.p12"), "quire", "keystore-pass");
    Path absent = dir.resolve("absent");

    assertThatThrownBy(() -> parse("--auth-secret-file", absent.toString()).security())
        .isInstanceOf(GridConfigurationException.class).hasMessageContaining("--auth-secret-file")
        .hasMessageContaining(absent.toString());
    assertThatThrownBy(() -> parse("--auth-secret-file", Files.writeString(dir.resolve("short"), "short").toString())
        .security()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 16");
    assertThatThrownBy(() -> parse("--keystore", keystore.toString()).security())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--keystore-password-file");
    assertThatThrownBy(() -> parse("--keystore", keystore.toString(), "--keystore-password-file",
        password.toString()).security()).isInstanceOf(GridConfigurationException.class)
        .hasMessageContaining("--keystore " + keystore).hasMessageContaining("wrong keystore password")
        .hasMessageNotContaining("wrong-pass");
    assertThatThrownBy(() -> parse("--keystore", absent.toString(), "--keystore-password-file",
        password.toString()).security()).isInstanceOf(GridConfigurationException.class)
        .hasMessageContaining(absent.toString()).hasMessageContaining("does not exist");
  }

  private static NodeCommand parse(String... args) {
    NodeCommand command = new NodeCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  /** An AES key made the way the jgroups-transport README says: keytool -genseckey into a PKCS12 store. */
  private static Path keytoolAesKey(Path store, String alias, String password) throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process process = new ProcessBuilder(keytool.toString(), "-genseckey", "-keyalg", "AES", "-keysize", "256",
        "-alias", alias, "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", password)
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("keytool finished").isTrue();
    assertThat(process.exitValue()).as("keytool: %s", output).isZero();
    return store;
  }

  @Test
  void statusFile_roundTrips() {
    NodeStatus status = status("node-a", ProcessHandle.current().pid(), "running", 7, 16, 4, 1_000);
    status.writeTo(dir);
    assertThat(NodeStatus.readFrom(dir)).contains(status);
    assertThat(NodeStatus.readFrom(dir.resolve("absent"))).isEmpty();
  }

  @Test
  void statusFile_fromAnOlderNode_readsTheNewFieldsAsUnknown() throws Exception {
    Files.writeString(dir.resolve(NodeStatus.FILE), String.join("\n", "node=node-a", "pid=42", "state=running",
        "address=127.0.0.1[7800]", "cluster=c", "k=2", "view.id=3", "view.members=node-a,node-b", "pages.owned=5",
        "pages.replicas=6", "replication=satisfied", "caches=", "updated=1000", ""));
    NodeStatus old = NodeStatus.readFrom(dir).orElseThrow();
    assertThat(old.group()).isEqualTo(NodeStatus.UNKNOWN);
    assertThat(List.of(old.ramPages(), old.ramBytes(), old.diskPages(), (long) old.directoryDepth()))
        .containsOnly(-1L);
    assertThat(List.of(old.ownedPages(), old.replicaPages(), old.viewId())).containsExactly(5L, 6L, 3L);

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    StatusCommand.print(List.of(old), 100_000, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertThat(bytes.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("node-a")).findFirst()
        .orElseThrow()).matches("node-a .* 3 +5 +6 +\\? +\\? +\\? +- .* \\?");
  }

  @Test
  void sizes_fitInFourCharacters() {
    assertThat(List.of(0L, 999L, 1000L, 4096L, 491_520L, 1_572_864L, 64L << 20, 2L << 30))
        .extracting(StatusCommand::bytes)
        .containsExactly("0", "999", "1.0K", "4.0K", "480K", "1.5M", "64M", "2.0G");
    assertThat(StatusCommand.ram(120, 491_520)).isEqualTo("120/480K");
    assertThat(StatusCommand.ram(-1, -1)).isEqualTo("?");
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
    assertThat(table.lines().filter(l -> l.startsWith("NODE")).findFirst().orElseThrow())
        .contains("OWNED", "BACKUPS", "RAM", "DISK", "DEPTH", "K", "GROUP");
    assertThat(table.lines().filter(l -> l.startsWith("node-a")).findFirst().orElseThrow())
        .contains("running").contains(" 16 ").contains(" 20/80K ").contains(" 3 ").contains("2 ok")
        .endsWith(" site-a/rack-1");
    // 111 columns before the group, which comes last (a node id is as wide as NODE's column)
    assertThat(table.lines().skip(1).mapToInt(l -> l.lastIndexOf(' ')).max().orElseThrow()).isLessThanOrEqualTo(111);
    assertThat(table.lines().filter(l -> l.startsWith("node-c")).findFirst().orElseThrow()).contains("down");
    assertThat(exit).isEqualTo(1);
    assertThat(StatusCommand.print(List.of(), now, new PrintStream(new ByteArrayOutputStream()))).isEqualTo(2);
  }

  private static NodeStatus status(String node, long pid, String state, long view, long owned, long replicas,
      long updated) {
    return new NodeStatus(node, pid, state, "127.0.0.1[7800]", "site-a/rack-1", "c", 2, view,
        view == 7 ? List.of("node-a", "node-b") : List.of("node-a", "node-b", "node-c"), owned, replicas, 20,
        20 * 4096, 36, 3, "satisfied", List.of(), updated);
  }
}
