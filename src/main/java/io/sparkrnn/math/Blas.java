package io.sparkrnn.math;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Row-major float32 BLAS on top of {@code dev.ludovic.netlib}, the only class that calls netlib.
 *
 * <p>netlib is column-major. A row-major matrix with row stride {@code ld} is the same memory
 * as its transpose in column-major order, so row-major {@code C = op(A)·op(B)} is computed as
 * column-major {@code Cᵀ = op(B)ᵀ·op(A)ᵀ}: swap the operands, keep the flags and the strides.
 *
 * <p>The backend is chosen once per JVM: the system's libblas.so.3 through JNI where it is an optimised build
 * (OpenBLAS, BLIS, MKL), else the OpenBLAS bundled in the application jar, else the system's reference BLAS if a
 * short timed sgemm finds it faster than the Java backend (Vector API when {@code --add-modules
 * jdk.incubator.vector} is given), else the Java backend. The system property
 * {@code sparkrnn.blas=system|bundled|java} forces one ({@code native} is {@code system}).
 */
public final class Blas {
  private static final Logger LOG = LoggerFactory.getLogger(Blas.class);
  /** Below this rate a "native" BLAS is the reference implementation, not an optimised one. */
  private static final double SLOW_GFLOPS = 12.0;
  /** Which library JNIBLAS loaded (set by loadNative), and the backend as backend() names it; before IMPL. */
  private static String nativeLib = "";
  private static String description = "";
  private static String loadError = "";
  private static final BLAS IMPL = choose();

  private Blas() {}

  /**
   * The backend: its class and, for the JNI one, which library it runs on, e.g. {@code JNIBLAS (system libblas.so.3)},
   * {@code JNIBLAS (bundled OpenBLAS 0.3.31)} or {@code VectorBLAS}.
   */
  public static String backend() {
    return description;
  }

  /**
   * C(M,N) = alpha·op(A)·op(B) + beta·C, all row-major; op(A) is (M,K), op(B) is (K,N).
   * With beta = 0, C is written without being read (NaN in C is ignored).
   */
  public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta,
      float[] c, int cOff, int ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    check(a, aOff, transA ? k : m, transA ? m : k, lda, "A");
    check(b, bOff, transB ? n : k, transB ? k : n, ldb, "B");
    check(c, cOff, m, n, ldc, "C");
    if (k == 0) {
      scaleRows(c, cOff, m, n, ldc, beta);
      return;
    }
    IMPL.sgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, alpha,
        b, bOff, ldb, a, aOff, lda, beta, c, cOff, ldc);
  }

  /**
   * y(N) = alpha·A(M,N)ᵀ·x(M) + beta·y for a row-major A: the memory of a column-major (N, M) matrix,
   * so a non-transposed column-major sgemv.
   */
  public static void gemvTransposed(int m, int n, float alpha, float[] a, int aOff, int lda, float[] x, int xOff,
      float beta, float[] y, int yOff) {
    if (n == 0) {
      return;
    }
    check(a, aOff, m, n, lda, "A");
    if (xOff < 0 || xOff + m > x.length || yOff < 0 || yOff + n > y.length) {
      throw new IllegalArgumentException("gemv: x of " + m + " at " + xOff + " or y of " + n + " at " + yOff
          + " out of range (" + x.length + ", " + y.length + ")");
    }
    if (m == 0) {
      scaleRows(y, yOff, 1, n, n, beta);
      return;
    }
    IMPL.sgemv("N", n, m, alpha, a, aOff, lda, x, xOff, 1, beta, y, yOff, 1);
  }

  /** y(n) += alpha·x(n), both at offsets. */
  public static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
    if (xOff + n > x.length || yOff + n > y.length) {
      throw new IllegalArgumentException("axpy of " + n + " elements out of range: x " + x.length
          + " at " + xOff + ", y " + y.length + " at " + yOff);
    }
    IMPL.saxpy(n, alpha, x, xOff, 1, y, yOff, 1);
  }

  private static void scaleRows(float[] c, int cOff, int m, int n, int ldc, float beta) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        int idx = cOff + i * ldc + j;
        c[idx] = beta == 0f ? 0f : beta * c[idx];
      }
    }
  }

  private static void check(float[] x, int off, int rows, int cols, int ld, String name) {
    if (ld < Math.max(1, cols) || off < 0 || (rows > 0 && off + (long) (rows - 1) * ld + cols > x.length)) {
      throw new IllegalArgumentException("gemm: matrix " + name + " of shape (" + rows + ", " + cols
          + ") with row stride " + ld + " at offset " + off + " does not fit an array of " + x.length);
    }
  }

  private static BLAS choose() {
    String forced = System.getProperty("sparkrnn.blas", "auto");
    if (!List.of("auto", "system", "native", "bundled", "java").contains(forced)) {
      throw new IllegalArgumentException("sparkrnn.blas must be auto, system, bundled or java, not '" + forced + "'");
    }
    // netlib loads its JNI library, and the BLAS that one opens, as soon as any of its classes is first used (even
    // JavaBLAS): which library it opens is settled before. Auto: an optimised system BLAS, else the bundled OpenBLAS.
    boolean optimised = BundledOpenBlas.systemIsOptimised();
    if (forced.equals("bundled") || forced.equals("auto") && !optimised && BundledOpenBlas.available()) {
      useBundled();
    } else {
      nativeLib = "system libblas.so.3";
    }
    BLAS java = JavaBLAS.getInstance();
    BLAS nat = forced.equals("java") ? null : loadNative();
    BLAS chosen;
    switch (forced) {
      case "java" -> chosen = java;
      case "system", "native" -> chosen = require(nat, "sparkrnn.blas=" + forced + " but libblas.so.3 could not be"
          + " loaded; install one with: apt-get install libopenblas0-pthread");
      case "bundled" -> chosen = require(nat, "sparkrnn.blas=bundled but the bundled OpenBLAS could not be loaded"
          + " (it is built for linux-x86_64 and ships in the application jar)");
      default -> { // auto
        if (nat == null) {
          LOG.warn("No native BLAS could be loaded ({}); using {}. For speed: apt-get install libopenblas0-pthread",
              loadError, java.getClass().getSimpleName());
          chosen = java;
        } else if (optimised || !nativeLib.startsWith("system")) {
          chosen = nat;
        } else { // a system BLAS of unknown kind, where nothing is bundled: timed
          double nativeRate = gflops(nat);
          chosen = nat;
          if (nativeRate < SLOW_GFLOPS) {
            LOG.warn(String.format("The native BLAS (libblas.so.3) is slow, %.1f GFLOP/s: it is probably"
                + " the reference BLAS. Fix: apt-get install libopenblas0-pthread (or -openmp).", nativeRate));
            chosen = gflops(java) > nativeRate ? java : nat;
          }
        }
      }
    }
    description = chosen == java ? java.getClass().getSimpleName() : chosen.getClass().getSimpleName() + " ("
        + nativeLib + ")";
    LOG.info("BLAS backend: {}", description);
    return chosen;
  }

  /** Points netlib at the bundled OpenBLAS, written out to a local folder (netlib reads the property once). */
  private static void useBundled() {
    nativeLib = "bundled OpenBLAS " + BundledOpenBlas.VERSION;
    try {
      if (!BundledOpenBlas.available()) {
        throw new IOException("the class path holds no OpenBLAS for " + System.getProperty("os.name") + " "
            + System.getProperty("os.arch"));
      }
      System.setProperty("dev.ludovic.netlib.blas.nativeLibPath", BundledOpenBlas.extract().toString());
    } catch (IOException e) {
      loadError = nativeLib + ": " + e.getMessage();
    }
  }

  /** netlib's JNI BLAS on the library chosen above; null where it cannot load. */
  private static BLAS loadNative() {
    if (!loadError.isEmpty()) {
      return null;
    }
    try {
      return NativeBLAS.getInstance();
    } catch (Throwable e) {
      LOG.debug("native BLAS not loadable", e);
      loadError = nativeLib + ": " + e;
      return null;
    }
  }

  private static BLAS require(BLAS nat, String error) {
    if (nat == null) {
      throw new IllegalStateException(error + " (" + loadError + ")");
    }
    return nat;
  }

  /** A short timed sgemm (best of three, 128³), enough to tell OpenBLAS from reference BLAS. */
  private static double gflops(BLAS blas) {
    int n = 128;
    float[] a = new float[n * n];
    float[] c = new float[n * n];
    java.util.Arrays.fill(a, 0.5f);
    double best = Double.MAX_VALUE;
    for (int rep = 0; rep < 4; rep++) {
      long t0 = System.nanoTime();
      blas.sgemm("N", "N", n, n, n, 1f, a, n, a, n, 0f, c, n);
      best = Math.min(best, System.nanoTime() - t0);
    }
    return 2.0 * n * n * n / best;
  }
}
