/**
 * The entries of a cache as bytes in grid pages: bucket pages chosen by a hash of the key's serialised bytes, split
 * as they fill, with large values in pages of their own. The pages are the only store of the data.
 */
package io.quire.jcache.store;
