package io.quire.jcache.config;

/** The JCache expiry policies a descriptor can name; each maps to one {@code javax.cache.expiry} class. */
public enum ExpiryPolicyKind {
  /** Never expires ({@code EternalExpiryPolicy}). */
  ETERNAL,
  /** Expires a fixed time after creation ({@code CreatedExpiryPolicy}). */
  CREATED,
  /** Expires a fixed time after the last access ({@code AccessedExpiryPolicy}). */
  ACCESSED,
  /** Expires a fixed time after the last creation or update ({@code ModifiedExpiryPolicy}). */
  MODIFIED,
  /** Expires a fixed time after the last creation, update or access ({@code TouchedExpiryPolicy}). */
  TOUCHED
}
