/**
 * Time for grid-core, injected: {@link io.quire.core.runtime.GridRuntime} bundles a clock and a scheduler. Production
 * uses {@link io.quire.core.runtime.SystemRuntime}; simulations use virtual time. grid-core code reads no system clock
 * and starts no timer thread of its own.
 */
package io.quire.core.runtime;
