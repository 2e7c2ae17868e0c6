package io.sparkrnn.math;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * The OpenBLAS that ships inside the application jar (the {@code org.bytedeco:openblas} build for linux-x86_64),
 * written once per JVM to a temporary folder for netlib to load by path: executors get a native BLAS without any
 * system package. The library finds its GCC runtime beside it ($ORIGIN), so the four files go together.
 */
final class BundledOpenBlas {
  /** The OpenBLAS release of the org.bytedeco:openblas artifact in the pom (BlasTest checks that they agree). */
  static final String VERSION = "0.3.31";
  private static final String DIR = "/org/bytedeco/openblas/linux-x86_64/";
  private static final List<String> FILES = List.of("libopenblas.so.0", "libgfortran.so.5", "libquadmath.so.0",
      "libgcc_s.so.1");
  private static final String DONE = "complete";

  private BundledOpenBlas() {}

  /** Whether this JVM's class path carries the library for its platform. */
  static boolean available() {
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
        && System.getProperty("os.arch", "").equals("amd64") && BundledOpenBlas.class.getResource(DIR + FILES.get(0))
        != null;
  }

  /**
   * Writes the library and its runtime once per machine and release, to a folder of the temporary directory named by
   * the release (an executor killed by its cluster manager never runs exit hooks, so a folder per JVM would pile up);
   * a JVM that finds it complete uses it, and a new one is written aside and renamed into place. Returns the
   * library's path.
   */
  static Path extract() throws IOException {
    Path home = Path.of(System.getProperty("java.io.tmpdir"), "spark-rnn-openblas-" + VERSION + "-"
        + System.getProperty("user.name", "user"));
    if (!complete(home)) {
      Path tmp = Files.createTempDirectory(home.getParent(), home.getFileName() + ".");
      for (String name : FILES) {
        try (InputStream in = BundledOpenBlas.class.getResourceAsStream(DIR + name)) {
          if (in == null) {
            throw new IOException("the application jar lacks " + DIR + name);
          }
          Files.copy(in, tmp.resolve(name));
        }
      }
      Files.writeString(tmp.resolve(DONE), VERSION);
      try {
        Files.move(tmp, home, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException raced) { // another JVM put a complete one in place first
        for (String name : FILES) {
          Files.deleteIfExists(tmp.resolve(name));
        }
        Files.deleteIfExists(tmp.resolve(DONE));
        Files.deleteIfExists(tmp);
        if (!complete(home)) {
          throw raced;
        }
      }
    }
    return home.resolve(FILES.get(0));
  }

  /** A folder holds every file once its marker is written, which happens last. */
  private static boolean complete(Path dir) {
    return Files.exists(dir.resolve(DONE));
  }

  /**
   * Whether the system's libblas.so.3 in the standard library folders is an optimised BLAS: Debian's alternatives link
   * it to the OpenBLAS, BLIS or MKL build, whose real path names them; the reference BLAS's does not. (A library that
   * LD_LIBRARY_PATH puts first is not looked at; sparkrnn.blas=system uses it.)
   */
  static boolean systemIsOptimised() {
    for (String dir : List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib")) {
      Path lib = Path.of(dir, "libblas.so.3");
      if (Files.exists(lib)) {
        try {
          String real = lib.toRealPath().toString().toLowerCase(Locale.ROOT);
          return real.contains("openblas") || real.contains("blis") || real.contains("mkl");
        } catch (IOException e) {
          return false;
        }
      }
    }
    return false;
  }
}
