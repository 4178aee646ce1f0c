/**
 * The Quire Spring Boot starter: {@link io.quire.spring.QuireAutoConfiguration} makes a Quire JCache manager the
 * application's cache manager, configured by {@link io.quire.spring.QuireProperties} ({@code quire.*}); Hibernate's
 * second-level cache and a health indicator join it when their libraries are present.
 */
package io.quire.spring;
