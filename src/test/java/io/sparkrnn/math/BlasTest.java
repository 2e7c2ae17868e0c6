package io.sparkrnn.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The row-major wrapper against a naive triple loop: every transpose flag, prime sizes, offsets, beta. */
class BlasTest {
  @Test
  void gemmMatchesNaiveLoopForEveryFlagOffsetAndBeta() {
    Rng rng = new Rng(11);
    int m = 7;
    int n = 5;
    int k = 3;
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        for (float beta : new float[] {0f, 1f, 0.5f}) {
          int lda = (ta ? m : k) + 2;
          int ldb = (tb ? k : n) + 1;
          int ldc = n + 3;
          float[] a = random(4 + (ta ? k : m) * lda, rng);
          float[] b = random(2 + (tb ? n : k) * ldb, rng);
          float[] c = random(1 + m * ldc, rng);
          if (beta == 0f) {
            java.util.Arrays.fill(c, Float.NaN);
          }
          float[] expect = c.clone();
          for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
              double s = 0;
              for (int q = 0; q < k; q++) {
                float av = ta ? a[4 + q * lda + i] : a[4 + i * lda + q];
                float bv = tb ? b[2 + j * ldb + q] : b[2 + q * ldb + j];
                s += av * bv;
              }
              int idx = 1 + i * ldc + j;
              expect[idx] = (float) (1.5 * s + (beta == 0f ? 0 : beta * c[idx]));
            }
          }
          Blas.gemm(ta, tb, m, n, k, 1.5f, a, 4, lda, b, 2, ldb, beta, c, 1, ldc);
          for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
              int idx = 1 + i * ldc + j;
              assertEquals(expect[idx], c[idx], 1e-5, "ta=" + ta + " tb=" + tb + " beta=" + beta);
            }
          }
        }
      }
    }
  }

  /**
   * Every backend, each in a JVM of its own (the backend is chosen once per JVM): the bundled OpenBLAS, the pure-Java
   * one, and the system's libblas.so.3 where it exists, each running this class's gemm and gemv checks.
   */
  @Test
  void everyBackendPassesTheChecksInAJvmOfItsOwn() throws Exception {
    java.util.List<String> kinds = new java.util.ArrayList<>(java.util.List.of("bundled", "java"));
    if (java.nio.file.Files.exists(java.nio.file.Path.of("/usr/lib/x86_64-linux-gnu/libblas.so.3"))) {
      kinds.add("system");
    }
    for (String kind : kinds) {
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "--add-modules=jdk.incubator.vector", "-Dsparkrnn.blas=" + kind, "-cp", System.getProperty("java.class.path"),
          Checks.class.getName()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertEquals(0, p.waitFor(), kind + ":\n" + out);
      String backend = out.lines().filter(l -> l.startsWith("backend ")).findFirst().orElse("none");
      assertTrue(switch (kind) {
        case "bundled" -> backend.equals("backend JNIBLAS (bundled OpenBLAS " + BundledOpenBlas.VERSION + ")");
        case "system" -> backend.equals("backend JNIBLAS (system libblas.so.3)");
        default -> backend.equals("backend VectorBLAS") || backend.equals("backend JavaBLAS");
      }, kind + ": " + backend);
      boolean bundledMapped = out.lines().anyMatch(l -> l.startsWith("mapped ") && l.contains("spark-rnn-openblas"));
      boolean systemMapped = out.lines().anyMatch(l -> l.startsWith("mapped ") && l.contains("libblas.so.3"));
      if (kind.equals("bundled")) {
        assertTrue(bundledMapped && !systemMapped, "the bundled library is not the one loaded:\n" + out);
      } else if (kind.equals("system")) {
        assertTrue(systemMapped && !bundledMapped, "the system library is not the one loaded:\n" + out);
      }
    }
  }

  /** The checks of this class outside JUnit, for a JVM with one backend; exits 1 on the first failure. */
  static final class Checks {
    public static void main(String[] args) {
      BlasTest t = new BlasTest();
      try {
        t.gemmMatchesNaiveLoopForEveryFlagOffsetAndBeta();
        t.gemvTransposedIsColumnSumsOfTheRowMajorMatrix();
      } catch (AssertionError e) {
        System.out.println("failed: " + e.getMessage());
        System.exit(1);
      }
      System.out.println("backend " + Blas.backend());
      try { // which BLAS the process really mapped (a label could be wrong where netlib ignored the choice)
        for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/maps"))) {
          if (line.contains("libopenblas.so") || line.contains("libblas.so")) {
            System.out.println("mapped " + line.substring(line.indexOf('/')));
          }
        }
      } catch (java.io.IOException e) {
        System.out.println("maps unreadable: " + e);
      }
    }
  }

  /** The bundled library's release in BundledOpenBlas is the pom's. */
  @Test
  void theBundledReleaseIsThePoms() throws Exception {
    assertTrue(java.nio.file.Files.readString(Path.of("pom.xml")).contains("<version>" + BundledOpenBlas.VERSION + "-"));
  }

  @Test
  void gemvTransposedIsColumnSumsOfTheRowMajorMatrix() {
    Rng rng = new Rng(12);
    int m = 9;
    int n = 13;
    int lda = 15;
    float[] a = random(2 + m * lda, rng);
    float[] x = random(m + 1, rng);
    float[] y = random(n + 3, rng);
    float[] expect = y.clone();
    for (int j = 0; j < n; j++) {
      double sum = 0;
      for (int i = 0; i < m; i++) {
        sum += a[2 + i * lda + j] * x[1 + i];
      }
      expect[3 + j] = (float) (0.5 * sum + 2 * y[3 + j]);
    }
    Blas.gemvTransposed(m, n, 0.5f, a, 2, lda, x, 1, 2f, y, 3);
    for (int j = 0; j < y.length; j++) {
      assertEquals(expect[j], y[j], 1e-5, "y[" + j + "]");
    }
    assertThrows(IllegalArgumentException.class, () -> Blas.gemvTransposed(m, n, 1f, a, 2, lda, x, 2, 0f, y, 3));
  }

  @Test
  void shapesThatDoNotFitAreRejectedWithBothShapes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Blas.gemm(false, false, 3, 3, 3, 1f, new float[8], 0, 3, new float[9], 0, 3, 0f, new float[9], 0, 3));
    assertEquals(true, e.getMessage().contains("(3, 3)"));
  }

  private static float[] random(int n, Rng rng) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) rng.nextGaussian();
    }
    return a;
  }
}
