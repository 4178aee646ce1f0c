package io.quire.jcache.config;

/**
 * Glob matching for cache names and class names: {@code *} matches any run of characters (dots included), {@code ?}
 * exactly one, every other character itself. Hand-written rather than translated to a regex so that names containing
 * regex metacharacters ({@code $}, {@code .}) need no escaping and matching cannot backtrack catastrophically.
 */
public final class Glob {
  private Glob() {}

  /** Whether {@code text} matches {@code glob} in full. */
  public static boolean matches(String glob, String text) {
    int g = 0;
    int t = 0;
    int starG = -1;
    int starT = 0;
    while (t < text.length()) {
      if (g < glob.length() && (glob.charAt(g) == '?' || glob.charAt(g) == text.charAt(t))) {
        g++;
        t++;
      } else if (g < glob.length() && glob.charAt(g) == '*') {
        starG = g++;
        starT = t;
      } else if (starG >= 0) {
        // Let the last star swallow one more character and retry from there.
        g = starG + 1;
        t = ++starT;
      } else {
        return false;
      }
    }
    while (g < glob.length() && glob.charAt(g) == '*') {
      g++;
    }
    return g == glob.length();
  }
}
