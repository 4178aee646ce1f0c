package io.quire.benchmarks;

import java.io.Serializable;
import java.util.Objects;

/**
 * The small value object of {@link JCacheBench}: four fields, a public no-argument constructor. {@link Serializable}
 * because Caffeine's and Ehcache's store-by-value copy through Java serialisation; Quire writes it with Kryo, by
 * name, once {@code io.quire.benchmarks.*} is on its allow-list ({@code quire.serializer.allow}).
 */
public final class Item implements Serializable {
  private static final long serialVersionUID = 1L;

  private long id;
  private String name;
  private int quantity;
  private double price;

  public Item() {}

  public Item(long id, String name, int quantity, double price) {
    this.id = id;
    this.name = name;
    this.quantity = quantity;
    this.price = price;
  }

  public long id() {
    return id;
  }

  public String name() {
    return name;
  }

  public int quantity() {
    return quantity;
  }

  public double price() {
    return price;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Item other && id == other.id && quantity == other.quantity
        && Double.compare(price, other.price) == 0 && Objects.equals(name, other.name);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, name, quantity, price);
  }

  @Override
  public String toString() {
    return "Item[" + id + ", " + name + ", " + quantity + ", " + price + "]";
  }
}
