package io.quire.jcache.serial;

import static io.quire.jcache.serial.Serializers.LOADER;
import static org.assertj.core.api.Assertions.assertThat;

import io.quire.jcache.serial.fixtures.Isolated;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/**
 * The loader passed to {@code deserialize} is the one that resolves classes. A child-first loader over the test
 * classes defines its own {@link Isolated}: same name, different class, as under two JCache managers.
 */
class KryoSerialClassLoaderTest {

  @Test
  void deserialize_resolvesClassesThroughTheGivenLoader_andDoesNotReuseAnotherLoadersClass() throws Exception {
    URL testClasses = Isolated.class.getProtectionDomain().getCodeSource().getLocation();
    // Parent = platform loader, so the application's copy of Isolated is invisible to this loader.
    try (URLClassLoader isolating = new URLClassLoader(new URL[] {testClasses}, ClassLoader.getPlatformClassLoader())) {
      Class<?> foreign = isolating.loadClass(Isolated.class.getName());
      assertThat(foreign).isNotSameAs(Isolated.class);

      KryoValueSerializer serializer = Serializers.fixtures();
      Isolated local = new Isolated();
      local.text = "hi";
      byte[] bytes = serializer.serialize(local);

      Object viaForeign = serializer.deserialize(bytes, isolating);
      assertThat(viaForeign.getClass()).isSameAs(foreign);
      assertThat(foreign.getField("text").get(viaForeign)).isEqualTo("hi");

      Object viaApp = serializer.deserialize(bytes, LOADER);
      assertThat(viaApp).isInstanceOf(Isolated.class);
      assertThat(((Isolated) viaApp).text).isEqualTo("hi");

      // And back again: a pooled Kryo must not keep handing out the class it resolved for the other loader.
      assertThat(serializer.deserialize(bytes, isolating).getClass()).isSameAs(foreign);
    }
  }
}
