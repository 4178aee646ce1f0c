package io.quire.node;

import io.quire.core.ClusterNode;
import io.quire.core.GridConfigurationException;
import io.quire.core.GridConfig;
import io.quire.core.GridStats;
import io.quire.core.NodeDataDirectory;
import io.quire.core.NodeId;
import io.quire.core.coherence.CoherenceEngine;
import io.quire.core.coherence.Topology;
import io.quire.core.runtime.SystemRuntime;
import io.quire.jcache.QuireCachingProvider;
import io.quire.jcache.config.DescriptorParser;
import io.quire.jcache.config.NodeDescriptor;
import io.quire.spi.transport.View;
import io.quire.transport.jgroups.JGroupsTransport;
import io.quire.transport.jgroups.ClusterSecurity;
import io.quire.transport.jgroups.JGroupsTransportFactory;
import io.quire.transport.jgroups.KeystoreFile;
import io.quire.transport.jgroups.SecurityFiles;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.cache.CacheManager;
import javax.cache.Caching;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code quire node}: runs one member of a cluster over JGroups until the process is told to stop (SIGTERM, Ctrl-C),
 * then hands its pages to the others (k copies hold throughout) and closes. It logs every view it installs and writes
 * its {@link NodeStatus} to its data directory every second, for {@code quire status}.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
    description = "Runs one cluster member over JGroups until SIGTERM/Ctrl-C, then hands its pages to the others and "
        + "exits. Writes <data>/" + NodeStatus.FILE + " every second (see 'quire status').")
final class NodeCommand implements Callable<Integer> {
  private static final Pattern MEMBER = Pattern.compile("(.+?)(?:\\[(\\d+)]|:(\\d+))?");

  @Option(names = "--config", paramLabel = "quire.xml", description = "A Quire descriptor (file path or URI, e.g. "
      + "classpath:quire.xml): its <node> element gives data-directory, cluster, replication (k), ram-budget, "
      + "page-size and group; the options here override it.")
  String config;

  @Option(names = "--data", description = "The node's data directory (created if absent; it fixes the node's id, "
      + "so a restart from it is the same node). Required unless --config gives data-directory.")
  Path data;

  @Option(names = "--cluster", description = "Cluster name: only nodes with the same name meet (default: "
      + JGroupsTransportFactory.DEFAULT_CLUSTER + ").")
  String cluster;

  @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(names = "--port", defaultValue = "7800", description = "Port to bind (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--members", split = ",", paramLabel = "host[port]",
      description = "Initial members to ask when joining (TCPPING), e.g. 127.0.0.1[7800],127.0.0.1[7801]; list "
          + "every node. Default: this node only.")
  List<String> members = new ArrayList<>();

  @Option(names = "--k", description = "How many nodes hold each page (default: 2).")
  Integer k;

  @Option(names = "--group", paramLabel = "PATH", description = "This node's failure group, e.g. site-a/rack-1 "
      + "(default: the descriptor's group, else default). Carried in the node's JGroups address, so every member "
      + "knows every other's: replicas are spread across groups. Shown by 'quire status'.")
  String group;

  @Option(names = "--stack", description = "JGroups stack: a resource of jgroups-transport (quire-tcp-loopback.xml, "
      + "quire-tcp.xml, quire-udp.xml) or a file. Default: the loopback stack for a loopback --bind, else "
      + "quire-tcp.xml.")
  String stack;

  @Option(names = "--ram-mb", description = "RAM tier budget in MiB (default: 64).")
  Long ramMegabytes;

  @Option(names = "--auth-secret-file", paramLabel = "FILE", description = "Only nodes with the same secret may "
      + "join (JGroups AUTH with an HMAC of the secret). The file holds the secret (at least 16 bytes; one trailing "
      + "line break is ignored), e.g. from 'openssl rand -base64 32'. A file, so that the secret is not in ps.")
  Path authSecretFile;

  @Option(names = "--encryption", paramLabel = "KIND", description = "none, symmetric (JGroups SYM_ENCRYPT with "
      + "the AES key of --keystore) or asymmetric (JGroups ASYM_ENCRYPT: the coordinator hands a group key to each "
      + "authenticated joiner; no key files, needs --auth-secret-file or --auth-keystore). Default: symmetric with "
      + "--keystore, else none.")
  String encryption;

  @Option(names = "--keystore", paramLabel = "FILE", description = "Encrypt all cluster traffic (JGroups "
      + "SYM_ENCRYPT, AES) with the secret key in this keystore; every node has the same key. Needs "
      + "--keystore-password-file.")
  Path keystore;

  @Option(names = "--keystore-password-file", paramLabel = "FILE", description = "The file holding the keystore's "
      + "password.")
  Path keystorePasswordFile;

  @Option(names = "--keystore-type", paramLabel = "TYPE", defaultValue = KeystoreFile.DEFAULT_TYPE,
      description = "Keystore type: PKCS12 or JCEKS (default: ${DEFAULT-VALUE}).")
  String keystoreType = KeystoreFile.DEFAULT_TYPE;

  @Option(names = "--key-alias", paramLabel = "ALIAS", defaultValue = KeystoreFile.DEFAULT_ALIAS,
      description = "The alias of the AES key in the keystore (default: ${DEFAULT-VALUE}).")
  String keyAlias = KeystoreFile.DEFAULT_ALIAS;

  @Option(names = "--key-password-file", paramLabel = "FILE", description = "The file holding the key entry's "
      + "password, when it differs from the keystore's.")
  Path keyPasswordFile;

  @Option(names = "--auth-keystore", paramLabel = "FILE", description = "Certificate AUTH instead of "
      + "--auth-secret-file: a PKCS12 keystore with this node's own private key (RSA or EC) and certificate chain, "
      + "issued by a CA in --truststore. Needs --auth-keystore-password-file, --truststore and "
      + "--truststore-password-file.")
  Path authKeystore;

  @Option(names = "--auth-keystore-password-file", paramLabel = "FILE", description = "The file holding the "
      + "password of --auth-keystore (also its key entry's).")
  Path authKeystorePasswordFile;

  @Option(names = "--auth-key-alias", paramLabel = "ALIAS", defaultValue = KeystoreFile.DEFAULT_ALIAS,
      description = "The alias of the private key in --auth-keystore (default: ${DEFAULT-VALUE}).")
  String authKeyAlias = KeystoreFile.DEFAULT_ALIAS;

  @Option(names = "--truststore", paramLabel = "FILE", description = "A PKCS12 keystore whose trusted "
      + "certificates are the CAs whose node certificates may join (certificate AUTH; revocation is not checked).")
  Path truststore;

  @Option(names = "--truststore-password-file", paramLabel = "FILE", description = "The file holding the "
      + "password of --truststore.")
  Path truststorePasswordFile;

  /** For multi-process tests only: run the requests found in {@code <data>/self-test/} (see {@link SelfTest}). */
  @Option(names = "--self-test", hidden = true)
  boolean selfTest;

  /**
   * For {@code quire demo}: close (without a hand-over) and exit when the process with this pid ends, so that no node
   * outlives a demo that was itself killed with SIGKILL.
   */
  @Option(names = "--exit-with", hidden = true, paramLabel = "PID")
  Long exitWith;

  /** The descriptor quire node writes into its data directory when --config does not name that directory. */
  static final String NODE_DESCRIPTOR = "jcache.xml";

  private final PrintStream out = System.out;
  /** The descriptor given by {@code --config} and its {@code <node>}'s data directory; set by resolveConfig. */
  private URI configUri;
  private Path configDataDirectory;
  /** Set once on the main thread before the background threads start; read by them. */
  private volatile CacheManager cacheManager;
  private volatile AutoCloseable cacheAttachment;
  /** The cluster's cache names as last listed (every 2 s), for the status file. */
  private volatile List<String> knownCaches = List.of();
  private volatile String state = "joining";
  /** False when the node stops because {@link #exitWith} ended: every node of the demo stops then, none takes pages. */
  private volatile boolean handOver = true;

  @Override
  public Integer call() throws Exception {
    GridConfig config = resolveConfig();
    if (k < 1) {
      throw new IllegalArgumentException("--k must be at least 1, not " + k);
    }
    if (bind.indexOf(':') < 0 && System.getProperty("java.net.preferIPv4Stack") == null) {
      System.setProperty("java.net.preferIPv4Stack", "true"); // JGroups' advice for IPv4 addresses
    }
    Path dir = config.dataDirectory();
    NodeId id = NodeDataDirectory.open(dir, config.pageSize()).nodeId();
    List<InetSocketAddress> initial = members.isEmpty()
        ? List.of(new InetSocketAddress(bind, port)) : parseMembers(members, port);
    JGroupsTransportFactory factory = JGroupsTransportFactory.builder()
        .clusterName(cluster)
        .stack(stack != null ? stack : defaultStack(bind))
        .bindAddress(bind)
        .bindPort(port)
        .initialMembers(initial)
        .security(security())
        .group(group)
        .build();
    log("starting %s from %s: cluster '%s', %s[%d], k = %d, group %s, initial members %s, %s", id, dir, cluster,
        bind, port, k, group, initial, factory.security());
    SystemRuntime system = SystemRuntime.start();
    JGroupsTransport transport = factory.create(id, system.runtime());
    Status status = new Status(id, dir, transport);
    status.write(null);
    ClusterNode node;
    try {
      node = ClusterNode.open(config, new ViewLoggingTransport(transport, this::logView), system.runtime(), k);
    } catch (RuntimeException e) {
      system.close();
      throw e;
    }
    URI jcacheDescriptor = exposeCaches(node, config);
    state = "running";
    ScheduledExecutorService background = Executors.newScheduledThreadPool(3, runnable -> {
      Thread thread = new Thread(runnable, "quire-node-background");
      thread.setDaemon(true);
      return thread;
    });
    background.scheduleWithFixedDelay(() -> status.write(node), 0, 1, TimeUnit.SECONDS);
    if (jcacheDescriptor != null) {
      background.execute(() -> openCacheManager(jcacheDescriptor, background));
    }
    // Apart from the status: listing caches reads the catalog's pages, which may wait for a view change to settle.
    background.scheduleWithFixedDelay(() -> guarded("cache names", () -> knownCaches = cacheNames()), 0, 2,
        TimeUnit.SECONDS);
    if (selfTest) {
      SelfTest test = new SelfTest(node, config.pageSize(), dir, out, () -> cacheManager);
      background.scheduleWithFixedDelay(() -> guarded("self-test", test::poll), 0, 200, TimeUnit.MILLISECONDS);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> leave(node, background, status, system),
        "quire-node-leave"));
    if (exitWith != null) {
      exitWith(exitWith);
    }
    log("%s is running; SIGTERM or Ctrl-C hands its pages over and stops it", id);
    new CountDownLatch(1).await(); // until the JVM shuts down
    return 0;
  }

  /**
   * The grid settings from the descriptor's {@code <node>} (if {@code --config}), overridden by the options; sets
   * {@link #data}, {@link #cluster}, {@link #k} and {@link #group} to the values in force.
   */
  GridConfig resolveConfig() {
    NodeDescriptor node = NodeDescriptor.defaults();
    if (config != null) {
      URI uri = config.contains(":") && !Path.of(config).isAbsolute() ? URI.create(config) : Path.of(config)
          .toAbsolutePath().toUri();
      node = new DescriptorParser().parse(uri, NodeCommand.class.getClassLoader()).node();
      configUri = uri;
      configDataDirectory = node.effectiveDataDirectory().toAbsolutePath();
      if (data == null && node.dataDirectory().isEmpty()) {
        throw new IllegalArgumentException(config + " has no data-directory on <node>: give --data");
      }
    } else if (data == null) {
      throw new IllegalArgumentException("give --data (or --config with a data-directory)");
    }
    data = (data != null ? data : node.effectiveDataDirectory()).toAbsolutePath();
    cluster = cluster != null ? cluster : node.cluster();
    k = k != null ? k : node.replication();
    group = group != null ? group : node.group();
    if (group.isEmpty() || !Topology.isGroupPath(group)) {
      throw new IllegalArgumentException("the group (--group or <node group>) must be a path of segments of "
          + "letters, digits, '.', '_' or '-' such as site-a/rack-1, not '" + group + "'");
    }
    long ram = ramMegabytes != null ? ramMegabytes << 20 : node.ramBudgetBytes();
    return GridConfig.defaults(data).withPageSize(node.pageSize()).withRamBudgetBytes(ram);
  }

  /**
   * The cluster's authentication and encryption from the options; secrets are read from their files here.
   *
   * @throws IllegalArgumentException for options that need another one
   * @throws GridConfigurationException naming the option and file for a file that cannot be read, a wrong password,
   *     a missing key
   */
  ClusterSecurity security() {
    return new SecurityFiles(authSecretFile, keystore, keystoreType, keystorePasswordFile, keyAlias, keyPasswordFile,
        encryption, authKeystore, authKeystorePasswordFile, authKeyAlias, truststore, truststorePasswordFile)
        .load(name -> "--" + name);
  }


  /**
   * Exits when process {@code pid} ends, or now if it is gone, closing without a hand-over: the demo's other nodes
   * stop at the same moment, so a graceful leave would find no one to take the pages and wait for its timeout. The
   * pages stay on the nodes' disks.
   */
  private void exitWith(long pid) {
    Runnable exit = () -> {
      log("process %d, which this node was started to exit with, ended: closing without a hand-over", pid);
      handOver = false;
      System.exit(0);
    };
    ProcessHandle.of(pid).ifPresentOrElse(p -> p.onExit().thenRun(exit), exit);
  }

  /** The shutdown hook: a graceful leave (pages and backups handed over), then close. */
  private void leave(ClusterNode node, ScheduledExecutorService background, Status status, SystemRuntime system) {
    state = "leaving";
    if (handOver) {
      log("%s is leaving: handing its pages over", node.id());
    }
    background.shutdownNow();
    try {
      background.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    status.write(node);
    closeCaches();
    try {
      if (!handOver) {
        log("%s closes without a hand-over; its pages stay in its data directory", node.id());
      } else if (status.transport.currentView().size() <= 1) {
        // grid-core's leave waits for a member to take the pages, which the last one never finds.
        log("%s is the last member: nothing to hand over; its pages stay in its data directory", node.id());
      } else {
        node.leave();
        log("%s handed its pages over and left", node.id());
      }
    } catch (RuntimeException e) {
      log("%s could not hand everything over (%s); closing anyway, the others promote their copies", node.id(), e);
    } finally {
      View last = status.transport.currentView(); // a closed transport's view is not to be relied on
      try {
        node.close();
      } catch (RuntimeException e) {
        log("%s did not close cleanly: %s", node.id(), e);
      }
      state = handOver ? "left" : "stopped";
      status.write(null, last);
      system.close();
    }
  }

  /**
   * Attaches the node to this JVM's Quire JCache provider: any manager whose descriptor names this node's data
   * directory runs on it (so JCache clients in this JVM, such as an application embedding the launcher, share the
   * cluster's caches).
   *
   * @return the descriptor this node's own manager opens (--config's, or DIR/jcache.xml written now), or null
   */
  private URI exposeCaches(ClusterNode node, GridConfig config) {
    cacheAttachment = provider().attach(node, config.dataDirectory(), config.pageSize());
    URI descriptor = configUri;
    if (descriptor == null || !configDataDirectory.equals(config.dataDirectory())) {
      // A descriptor that names this node, for this JVM's clients and the node's own manager.
      Path generated = config.dataDirectory().resolve(NODE_DESCRIPTOR);
      try {
        Path tmp = generated.resolveSibling(NODE_DESCRIPTOR + ".tmp");
        java.nio.file.Files.writeString(tmp, String.join("\n",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<!-- Written by quire node: a JCache manager for this URI runs on the node of this data directory. -->",
            "<quire xmlns=\"urn:io.quire:cache:1.0\">",
            "  <node data-directory=\"" + xmlAttribute(config.dataDirectory().toString()) + "\"/>",
            "</quire>", ""));
        java.nio.file.Files.move(tmp, generated, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (java.io.IOException e) {
        log("cannot write %s (%s): JCache clients in this JVM get no manager on this node", generated, e);
        return null;
      }
      if (descriptor != null) {
        log("--data %s overrides the descriptor's data-directory %s: its caches are not opened here",
            config.dataDirectory(), configDataDirectory);
      }
      descriptor = generated.toUri();
    }
    return descriptor;
  }

  private static QuireCachingProvider provider() {
    return (QuireCachingProvider) Caching.getCachingProvider(QuireCachingProvider.class.getName(),
        NodeCommand.class.getClassLoader());
  }

  /**
   * Opens this node's own manager in the background: it reads the cluster's cache catalog, which waits while a view
   * change settles, and a node must not die of that at start. Tries again every 5 s until it opens or the node stops.
   */
  private void openCacheManager(URI descriptor, ScheduledExecutorService background) {
    try {
      cacheManager = provider().getCacheManager(descriptor, NodeCommand.class.getClassLoader());
      log("JCache: managers for %s run on this node; caches: %s", descriptor, String.join(", ", cacheNames()));
    } catch (RuntimeException e) {
      log("JCache manager for %s not open yet (%s); trying again in 5 s", descriptor, e.getMessage());
      if (!background.isShutdown()) {
        background.schedule(() -> openCacheManager(descriptor, background), 5, TimeUnit.SECONDS);
      }
    }
  }

  private static String xmlAttribute(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  /** The cluster's cache names as this node's manager sees them; empty without one. */
  private List<String> cacheNames() {
    CacheManager manager = cacheManager;
    if (manager == null || manager.isClosed()) {
      return List.of();
    }
    List<String> names = new java.util.ArrayList<>();
    manager.getCacheNames().forEach(names::add);
    java.util.Collections.sort(names);
    return names;
  }

  private void closeCaches() {
    CacheManager manager = cacheManager;
    cacheManager = null;
    try {
      if (manager != null) {
        manager.close();
      }
      if (cacheAttachment != null) {
        cacheAttachment.close();
      }
    } catch (Exception e) {
      log("closing the JCache view of this node failed: %s", e);
    }
  }

  /** Writes this node's status file from the transport's view and the engine's holdings. */
  private final class Status {
    private final NodeId id;
    private final Path dir;
    private final JGroupsTransport transport;
    private final long pid = ProcessHandle.current().pid();

    Status(NodeId id, Path dir, JGroupsTransport transport) {
      this.id = id;
      this.dir = dir;
      this.transport = transport;
    }

    void write(ClusterNode node) {
      guarded("status", () -> write(node, transport.currentView()));
    }

    void write(ClusterNode node, View view) {
      guarded("status", () -> {
        CoherenceEngine.Holdings holdings = null;
        GridStats stats = null;
        if (node != null && !state.equals("left")) {
          try {
            holdings = node.engine().holdings().get(2, TimeUnit.SECONDS);
          } catch (Exception e) {
            // A busy or closing engine: report what is known.
          }
          try {
            stats = node.stats();
          } catch (RuntimeException e) {
            // A closing node: its tiers are gone.
          }
        }
        new NodeStatus(id.toString(), pid, state, bind + "[" + port + "]", group, cluster, k, view.viewId(),
            view.members().stream().map(NodeId::toString).toList(),
            holdings == null ? -1 : holdings.ownedPages(), holdings == null ? -1 : holdings.replicaPages(),
            stats == null ? -1 : stats.ramPages(), stats == null ? -1 : stats.ramBytes(),
            stats == null ? -1 : stats.diskPages(), stats == null ? -1 : stats.directoryDepth(),
            replication(holdings, view), knownCaches, System.currentTimeMillis()).writeTo(dir);
      });
    }
  }

  /**
   * {@code satisfied} only when the engine has processed the transport's current view: until then its answer is about
   * the previous view, and a watcher (the demo, {@code quire status}) would take k as rebuilt too early.
   */
  private static String replication(CoherenceEngine.Holdings holdings, View view) {
    if (holdings == null) {
      return "unknown";
    }
    return holdings.replicationSatisfied() && holdings.viewId() == view.viewId() ? "satisfied" : "pending";
  }

  private void logView(View view) {
    guarded("view log", () -> log("view %d: %d members %s", view.viewId(), view.size(), view.members()));
  }

  private void guarded(String what, Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      log("%s failed: %s", what, e);
    }
  }

  private void log(String format, Object... args) {
    out.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " " + String.format(format, args));
    out.flush();
  }

  /** {@code host[port]}, {@code host:port} or {@code host} (then {@code defaultPort}), for each entry. */
  static List<InetSocketAddress> parseMembers(List<String> members, int defaultPort) {
    List<InetSocketAddress> parsed = new ArrayList<>();
    for (String member : members) {
      Matcher m = MEMBER.matcher(member.trim());
      if (!m.matches()) {
        throw new IllegalArgumentException("not a member: '" + member + "'; use host[port]");
      }
      String port = m.group(2) != null ? m.group(2) : m.group(3);
      parsed.add(new InetSocketAddress(m.group(1), port != null ? Integer.parseInt(port) : defaultPort));
    }
    return parsed;
  }

  private static String defaultStack(String bind) throws UnknownHostException {
    return InetAddress.getByName(bind).isLoopbackAddress()
        ? JGroupsTransportFactory.LOOPBACK_STACK : JGroupsTransportFactory.TCP_STACK;
  }
}
