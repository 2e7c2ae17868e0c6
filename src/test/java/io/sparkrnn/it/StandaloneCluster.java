package io.sparkrnn.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Spark standalone cluster on 127.0.0.1 made of the project's Maven jars: one master and
 * {@code workers} workers of one core each, as separate JVMs. SPARK_HOME is a folder whose jars/ is the
 * project's target/lib, which is all a worker needs to launch executors. {@link #close} stops every
 * process it started, by process handle, executors included.
 */
final class StandaloneCluster implements AutoCloseable {
  final Path home;
  final int port;
  final int webPort;
  private final List<Process> processes = new ArrayList<>();
  private final List<String> flags;

  StandaloneCluster(Path dir, int workers) throws Exception {
    this(dir, workers, List.of());
  }

  /** With {@code flags} (such as -Dspark.authenticate=true) on the master's and the workers' JVMs. */
  StandaloneCluster(Path dir, int workers, List<String> flags) throws Exception {
    this.flags = flags;
    this.home = dir.resolve("spark-home");
    Files.createDirectories(home);
    Files.createSymbolicLink(home.resolve("jars"), Processes.ROOT.resolve("target/lib"));
    this.port = freePort();
    this.webPort = freePort();
    try {
      start(dir.resolve("master.log"), "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
          "--port", String.valueOf(port), "--webui-port", String.valueOf(webPort));
      for (int i = 0; i < workers; i++) {
        start(dir.resolve("worker" + i + ".log"), "org.apache.spark.deploy.worker.Worker", url(), "--host",
            "127.0.0.1", "--cores", "1", "--memory", "1g", "--webui-port", String.valueOf(freePort()),
            "--work-dir", dir.resolve("work" + i).toString());
      }
      awaitWorkers(workers, 90);
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  String url() {
    return "spark://127.0.0.1:" + port;
  }

  private void start(Path log, String main, String... args) throws IOException {
    List<String> cmd = Processes.java(flags.toArray(String[]::new));
    cmd.addAll(List.of("-cp", home.resolve("jars") + "/*", main));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SPARK_HOME", home.toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1"); // also inherited by the executors
    pb.environment().put("OPENBLAS_NUM_THREADS", "1");
    processes.add(pb.start());
  }

  /** Polls the master's JSON status until {@code n} workers are alive. */
  private void awaitWorkers(int n, int seconds) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    Pattern alive = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");
    while (System.nanoTime() < deadline) {
      try {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + "/json/"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = alive.matcher(body);
        if (m.find() && Integer.parseInt(m.group(1)) >= n) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the standalone cluster did not get " + n + " workers in " + seconds + " s");
  }

  /** Process handles of the executor JVMs the workers launched (descendants of the workers). */
  List<ProcessHandle> executors() {
    List<ProcessHandle> out = new ArrayList<>();
    for (Process p : processes) {
      p.descendants().filter(h -> h.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
          .forEach(out::add);
    }
    return out;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    for (Process p : processes) {
      try {
        p.waitFor(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
