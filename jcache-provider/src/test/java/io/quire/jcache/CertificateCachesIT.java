package io.quire.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.transport.jgroups.LoopbackPorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Certificate AUTH configured by descriptors alone (issue 5): two provider-managed nodes on 127.0.0.1 with
 * {@code auth-keystore}, {@code truststore} and {@code encryption="asymmetric"} form a cluster and share a cache; a
 * missing keystore fails naming the descriptor's line, the attribute and the file. The certificates are made with
 * the JDK's keytool, as an operator would.
 */
class CertificateCachesIT {
  private static final String PASSWORD = "pw-" + UUID.randomUUID();
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private Path dir;
  private final List<QuireCachingProvider> providers = new ArrayList<>();

  @BeforeEach
  void makeDirectory() throws IOException {
    dir = Files.createTempDirectory("quire-cert-it-");
  }

  @AfterEach
  void close() {
    for (int i = providers.size() - 1; i >= 0; i--) {
      providers.get(i).close();
    }
    SingleNodeGrid.deleteTree(dir);
  }

  private void keytool(String... arguments) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(arguments));
    command.addAll(List.of("-storepass", PASSWORD, "-storetype", "PKCS12"));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
    assertThat(process.exitValue()).as("keytool %s: %s", arguments[0], output).isZero();
  }

  /** A CA, a trust store holding it, and one node key signed by it (both nodes use it; their addresses differ). */
  private void makeCertificates() throws Exception {
    keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=Test Cluster CA",
        "-ext", "bc:c", "-validity", "2", "-keystore", "ca.p12");
    keytool("-exportcert", "-rfc", "-alias", "ca", "-file", "ca.pem", "-keystore", "ca.p12");
    keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "trust.p12");
    keytool("-genkeypair", "-alias", "quire", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=cache-node",
        "-validity", "2", "-keystore", "node.p12");
    keytool("-certreq", "-alias", "quire", "-file", "node.csr", "-keystore", "node.p12");
    keytool("-gencert", "-alias", "ca", "-infile", "node.csr", "-outfile", "node.pem", "-rfc", "-validity", "2",
        "-keystore", "ca.p12");
    keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "node.p12");
    keytool("-importcert", "-alias", "quire", "-file", "node.pem", "-keystore", "node.p12");
    Files.writeString(dir.resolve("pw"), PASSWORD + "\n");
  }

  private Path descriptor(String name, int node, String cluster, int port, String members, String truststore)
      throws IOException {
    return Files.writeString(dir.resolve(name), """
        <?xml version="1.0" encoding="UTF-8"?>
        <quire xmlns="urn:io.quire:cache:1.0">
          <node name="n%d" data-directory="%s" ram-budget="8MiB" transport="jgroups" cluster="%s"
                stack="quire-tcp-loopback.xml" bind-address="127.0.0.1" port="%d" initial-members="%s"
                auth-keystore="%s" auth-keystore-password-file="%s"
                truststore="%s" truststore-password-file="%s" encryption="asymmetric"/>
        </quire>
        """.formatted(node, dir.resolve("data-" + node), cluster, port, members, dir.resolve("node.p12"),
        dir.resolve("pw"), truststore, dir.resolve("pw")));
  }

  private QuireCacheManager open(Path descriptor) {
    QuireCachingProvider provider = new QuireCachingProvider();
    providers.add(provider);
    return (QuireCacheManager) provider.getCacheManager(descriptor.toUri(), getClass().getClassLoader());
  }

  @Test
  void nodesWithCertificatesFromTheTrustedCa_formACluster_andShareACache() throws Exception {
    makeCertificates();
    String cluster = "quire-cert-it-" + UUID.randomUUID();
    List<Integer> ports = LoopbackPorts.free(2);
    String members = "127.0.0.1:" + ports.get(0) + ",127.0.0.1:" + ports.get(1);
    String trust = dir.resolve("trust.p12").toString();

    QuireCacheManager first = open(descriptor("n0.xml", 0, cluster, ports.get(0), members, trust));
    QuireCacheManager second = open(descriptor("n1.xml", 1, cluster, ports.get(1), members, trust));

    assertThat(first.gridMetrics().members()).isEqualTo(2);
    assertThat(second.gridMetrics().members()).isEqualTo(2);
    Cache<String, Integer> onFirst = first.createCache("certified",
        new MutableConfiguration<String, Integer>().setTypes(String.class, Integer.class));
    onFirst.put("a", 1);
    assertThat(second.getCache("certified", String.class, Integer.class).get("a")).isEqualTo(1);
  }

  @Test
  void anAuthKeystoreThatIsMissing_failsNamingTheDescriptorLineTheAttributeAndTheFile() throws Exception {
    Files.writeString(dir.resolve("pw"), PASSWORD + "\n");
    URI uri = descriptor("bad.xml", 0, "quire-cert-bad-" + UUID.randomUUID(), LoopbackPorts.free(1).get(0),
        "127.0.0.1:7800", dir.resolve("trust.p12").toString()).toUri();

    assertThatThrownBy(() -> new QuireCachingProvider().getCacheManager(uri, getClass().getClassLoader()))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("bad.xml:6:")
        .hasMessageContaining("auth-keystore " + dir.resolve("node.p12"))
        .hasMessageContaining("does not exist");
  }

}
