package io.quire.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.jcache.config.DescriptorException;
import io.quire.transport.jgroups.LoopbackPorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryUpdatedListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Three provider-managed nodes in one JVM, each its own JGroups channel on 127.0.0.1 (the loopback stack, free ports,
 * one cluster name per run), configured only through descriptors with {@code transport="jgroups"}. The nodes are
 * started once, one after the other (each joins the running cluster); every test uses cache names of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JGroupsCachesIT {
  private static final int NODES = 3;
  private static final long WAIT_SECONDS = 20;
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private Path dir;
  private final List<QuireCachingProvider> providers = new ArrayList<>();
  private final List<QuireCacheManager> managers = new ArrayList<>();

  @BeforeAll
  void startCluster() throws IOException {
    dir = Files.createTempDirectory("quire-jgroups-it-");
    String cluster = "quire-it-" + UUID.randomUUID();
    List<Integer> ports = LoopbackPorts.free(NODES);
    String members = String.join(",", ports.stream().map(p -> "127.0.0.1:" + p).toList());
    // Every test here runs over an authenticated and encrypted cluster, configured by the descriptors alone.
    Path secret = Files.writeString(dir.resolve("secret"), "secret-" + UUID.randomUUID());
    Path keystorePassword = Files.writeString(dir.resolve("keystore.pw"), "pw-" + UUID.randomUUID());
    Path keystore = aesKeystore(dir.resolve("cluster.p12"), Files.readString(keystorePassword).toCharArray());
    for (int i = 0; i < NODES; i++) {
      Path descriptor = dir.resolve("node-" + i + ".xml");
      Files.writeString(descriptor, """
          <?xml version="1.0" encoding="UTF-8"?>
          <quire xmlns="urn:io.quire:cache:1.0">
            <node name="n%d" data-directory="%s" ram-budget="8MiB" transport="jgroups" cluster="%s"
                  stack="quire-tcp-loopback.xml" bind-address="127.0.0.1" port="%d" initial-members="%s"
                  auth-secret-file="%s" keystore="%s" keystore-password-file="%s"/>
            <cache name="declared" key-type="java.lang.String" value-type="java.lang.Integer"/>
          </quire>
          """.formatted(i, dir.resolve("data-" + i), cluster, ports.get(i), members, secret, keystore,
          keystorePassword));
      QuireCachingProvider provider = new QuireCachingProvider();
      providers.add(provider);
      managers.add((QuireCacheManager) provider.getCacheManager(descriptor.toUri(), getClass().getClassLoader()));
    }
    for (QuireCacheManager manager : managers) {
      assertThat(manager.gridMetrics().members()).as("members seen by %s", manager.getURI()).isEqualTo(NODES);
    }
  }

  @AfterAll
  void stopCluster() {
    for (int i = NODES - 1; i >= 0; i--) {
      providers.get(i).close();
    }
    SingleNodeGrid.deleteTree(dir);
  }

  /** A PKCS12 keystore at {@code file} with a random AES key under the default alias {@code quire}. */
  private static Path aesKeystore(Path file, char[] password) throws IOException {
    try {
      java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
      store.load(null, null);
      javax.crypto.KeyGenerator generator = javax.crypto.KeyGenerator.getInstance("AES");
      generator.init(256);
      store.setEntry("quire", new java.security.KeyStore.SecretKeyEntry(generator.generateKey()),
          new java.security.KeyStore.PasswordProtection(password));
      try (var out = Files.newOutputStream(file)) {
        store.store(out, password);
      }
      return file;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("cannot make a test keystore", e);
    }
  }

  @Test
  void aKeystorePasswordFileThatIsMissing_failsNamingTheDescriptorTheAttributeAndTheFile() throws IOException {
    Path descriptor = dir.resolve("bad-keystore.xml");
    Files.writeString(descriptor, """
        <?xml version="1.0" encoding="UTF-8"?>
        <quire xmlns="urn:io.quire:cache:1.0">
          <node data-directory="%s" transport="jgroups" stack="quire-tcp-loopback.xml" bind-address="127.0.0.1"
                keystore="%s" keystore-password-file="%s"/>
        </quire>
        """.formatted(dir.resolve("bad-keystore-data"), dir.resolve("cluster.p12"), dir.resolve("no-such.pw")));
    URI uri = descriptor.toUri();
    assertThatThrownBy(() -> new QuireCachingProvider().getCacheManager(uri, getClass().getClassLoader()))
        .isInstanceOf(javax.cache.CacheException.class)
        .hasMessageContaining("bad-keystore.xml:4:")
        .hasMessageContaining("keystore-password-file")
        .hasMessageContaining("no-such.pw");
  }

  private QuireCacheManager node(int i) {
    return managers.get(i);
  }

  private static MutableConfiguration<String, Integer> typed() {
    return new MutableConfiguration<String, Integer>().setTypes(String.class, Integer.class);
  }

  @Test
  void aCacheCreatedOnOneNode_isFoundByNameOnTheOthers_andWhatOnePutsAnotherGets() {
    Cache<String, Integer> onFirst = node(0).createCache("orders", typed());
    Cache<String, Integer> onSecond = node(1).getCache("orders", String.class, Integer.class);
    Cache<String, Integer> onThird = node(2).getCache("orders", String.class, Integer.class);
    assertThat(onSecond).as("found by name on node 1").isNotNull();
    assertThat(onThird).as("found by name on node 2").isNotNull();
    assertThat(node(2).getCacheNames()).contains("orders", "declared");

    onFirst.put("a", 1);
    assertThat(onSecond.get("a")).isEqualTo(1);
    onThird.put("a", 3);
    assertThat(onFirst.get("a")).isEqualTo(3);
    assertThat(onSecond.getAndRemove("a")).isEqualTo(3);
    assertThat(onThird.containsKey("a")).isFalse();

    assertThatThrownBy(() -> node(1).createCache("orders", typed())).isInstanceOf(CacheException.class)
        .hasMessageContaining("already exists");
  }

  @Test
  void aCacheDeclaredOnEveryNode_isOneRangeInTheCatalog_sharedByAll() {
    Optional<CatalogEntry> first = node(0).grid().catalog().find("declared");
    assertThat(first).isPresent();
    for (int i = 1; i < NODES; i++) {
      assertThat(node(i).grid().catalog().find("declared")).as("node %d", i).isEqualTo(first);
    }
    node(1).getCache("declared", String.class, Integer.class).put("d", 4);
    assertThat(node(2).getCache("declared", String.class, Integer.class).get("d")).isEqualTo(4);
  }

  @Test
  void everyNodeCreatingOneCacheAtOnce_endsWithOneRange_oneCreatorAndTheOthersRefused() throws Exception {
    CyclicBarrier start = new CyclicBarrier(NODES);
    ExecutorService pool = Executors.newFixedThreadPool(NODES);
    List<Future<Cache<String, Integer>>> attempts = new ArrayList<>();
    try {
      for (int i = 0; i < NODES; i++) {
        QuireCacheManager manager = node(i);
        attempts.add(pool.submit(() -> {
          start.await(WAIT_SECONDS, TimeUnit.SECONDS);
          return manager.createCache("race", typed());
        }));
      }
      int created = 0;
      for (Future<Cache<String, Integer>> attempt : attempts) {
        try {
          attempt.get(60, TimeUnit.SECONDS);
          created++;
        } catch (ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(CacheException.class).hasMessageContaining("already exists");
        }
      }
      assertThat(created).as("nodes whose createCache succeeded").isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    Optional<CatalogEntry> recorded = node(0).grid().catalog().find("race");
    assertThat(recorded).isPresent();
    for (int i = 0; i < NODES; i++) {
      assertThat(node(i).grid().catalog().find("race")).as("node %d", i).isEqualTo(recorded);
      node(i).getCache("race", String.class, Integer.class).put("from-" + i, i);
    }
    Cache<String, Integer> any = node(1).getCache("race", String.class, Integer.class);
    for (int i = 0; i < NODES; i++) {
      assertThat(any.get("from-" + i)).as("entry put through node %d", i).isEqualTo(i);
    }
  }

  @Test
  void aListenerOnOneNode_hearsChangesMadeOnAnother() throws Exception {
    Cache<String, Integer> onFirst = node(0).createCache("heard", typed());
    Cache<String, Integer> onSecond = node(1).getCache("heard", String.class, Integer.class);
    HEARD.clear();
    onSecond.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(Heard.class), null, true, false));

    onFirst.put("k", 1);
    onFirst.put("k", 2);
    assertThat(HEARD.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("CREATED k=1");
    assertThat(HEARD.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("UPDATED k=2 was 1");
    node(2).getCache("heard", String.class, Integer.class).put("third", 3);
    assertThat(HEARD.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("CREATED third=3");
  }

  @Test
  void aCacheDestroyedOnOneNode_leavesTheCatalog_isClosedWhereItWasOpen_andItsNameCanBeCreatedAgain() {
    Cache<String, Integer> creator = node(0).createCache("temporary", typed());
    creator.put("x", 1);
    node(2).destroyCache("temporary");
    for (int i = 0; i < 200 && !creator.isClosed(); i++) {
      sleepMillis(50);
    }
    assertThat(creator.isClosed()).as("the creator's instance, closed by the destroy on another node").isTrue();
    assertThatThrownBy(() -> creator.get("x")).isInstanceOf(IllegalStateException.class);
    assertThat(node(1).getCache("temporary")).isNull();
    assertThat(node(1).getCacheNames()).doesNotContain("temporary");
    Cache<String, Integer> again = node(1).createCache("temporary", typed());
    assertThat(again.get("x")).as("a new cache, empty").isNull();
  }

  @Test
  void aJGroupsDescriptorWithoutJGroupsOnTheClasspath_failsNamingTheFileAndLine() throws IOException {
    Path descriptor = dir.resolve("no-jgroups.xml");
    Files.writeString(descriptor, """
        <?xml version="1.0" encoding="UTF-8"?>
        <quire xmlns="urn:io.quire:cache:1.0">
          <node data-directory="%s" transport="jgroups"/>
        </quire>
        """.formatted(dir.resolve("data-none")));
    ClassLoader withoutTransports = new ClassLoader(getClass().getClassLoader()) {
      @Override
      public Enumeration<URL> getResources(String name) throws IOException {
        return name.startsWith("META-INF/services/io.quire.spi.transport.")
            ? Collections.emptyEnumeration() : super.getResources(name);
      }
    };
    assertThatThrownBy(() -> new QuireCachingProvider().getCacheManager(descriptor.toUri(), withoutTransports))
        .isInstanceOf(DescriptorException.class)
        .hasMessageContaining("no-jgroups.xml:3:")
        .hasMessageContaining("no jgroups transport on the classpath");
  }

  @Test
  void badInitialMembers_failNamingTheFileAndLine() throws IOException {
    Path descriptor = dir.resolve("bad-members.xml");
    Files.writeString(descriptor, """
        <?xml version="1.0" encoding="UTF-8"?>
        <quire xmlns="urn:io.quire:cache:1.0">
          <node transport="jgroups" initial-members="127.0.0.1:7800,localhost"/>
        </quire>
        """);
    URI uri = descriptor.toUri();
    assertThatThrownBy(() -> new QuireCachingProvider().getCacheManager(uri, getClass().getClassLoader()))
        .isInstanceOf(DescriptorException.class)
        .hasMessageContaining("bad-members.xml:3:")
        .hasMessageContaining("'localhost' is not host:port or host[port]");
  }

  private static void sleepMillis(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }


  static final BlockingQueue<String> HEARD = new LinkedBlockingQueue<>();

  /** Records created and updated events as text into {@link #HEARD}. */
  public static final class Heard implements CacheEntryCreatedListener<String, Integer>,
      CacheEntryUpdatedListener<String, Integer> {
    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends Integer>> events) {
      events.forEach(e -> HEARD.add("CREATED " + e.getKey() + "=" + e.getValue()));
    }

    @Override
    public void onUpdated(Iterable<CacheEntryEvent<? extends String, ? extends Integer>> events) {
      events.forEach(e -> HEARD.add("UPDATED " + e.getKey() + "=" + e.getValue() + " was " + e.getOldValue()));
    }
  }
}
