package io.quire.jcache.config;

/** How a node reaches its peers. */
public enum Transport {
  /** In-process transport: a single node, or nodes sharing one JVM in tests. */
  LOCAL,
  /** JGroups, for nodes in separate processes or hosts. */
  JGROUPS
}
