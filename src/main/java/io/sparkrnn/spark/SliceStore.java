package io.sparkrnn.spark;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.network.TransportContext;
import org.apache.spark.network.client.RpcResponseCallback;
import org.apache.spark.network.client.TransportClient;
import org.apache.spark.network.client.TransportClientBootstrap;
import org.apache.spark.network.client.TransportClientFactory;
import org.apache.spark.network.crypto.AuthClientBootstrap;
import org.apache.spark.network.crypto.AuthServerBootstrap;
import org.apache.spark.network.server.OneForOneStreamManager;
import org.apache.spark.network.server.RpcHandler;
import org.apache.spark.network.server.StreamManager;
import org.apache.spark.network.server.TransportServer;
import org.apache.spark.network.server.TransportServerBootstrap;
import org.apache.spark.network.util.MapConfigProvider;
import org.apache.spark.network.util.TransportConf;

/**
 * Where the all-reduce's blocks live: a map in every JVM, served to the others by a small server of this JVM
 * on Spark's own transport (netty, with spark.authenticate's handshake and spark.network.crypto's encryption
 * when they are on). Every block of a generation has a home, the JVM of the task that ran its partition in
 * the generation's first job ({@link #setHomes}); puts, reads and removes of partition p's blocks go to p's
 * home, so a task that Spark runs elsewhere finds the blocks the others published and publishes its own where
 * they look. Nothing of this involves the driver: no block manager master, no location queries. A task sends the
 * reads of one phase (the parameter slices, a round's optimizer slices, the gradient blocks for its slice, the
 * norms) all at once, so a phase costs one round trip however many partitions there are; a read of a block that
 * is not there yet is held by its home until the block arrives (or {@link #holdMs} pass), so waiting costs no
 * polls.
 *
 * <p>In local mode every task runs in the driver's JVM and every home is this one: no server starts.
 */
final class SliceStore {
  private SliceStore() {}

  private static final byte GET = 0;
  private static final byte PUT = 1;
  private static final byte REMOVE = 2;
  /** A read that the home holds until the block arrives, instead of answering "absent". */
  private static final byte GET_WAITING = 3;
  private static final long TIMEOUT_MS = 120_000;

  /** This JVM's blocks by name. A stored buffer is read in place: its owner reuses it only once it is removed. */
  private static final Map<String, ByteBuffer> BLOCKS = new ConcurrentHashMap<>();
  /** Reads held until their block arrives, by block name: the home answers them when it is put ({@link #store}). */
  private static final Map<String, List<Held>> WAITING = new ConcurrentHashMap<>();
  /**
   * How long a home holds a read before it answers "absent" (the reader asks again): well below Spark's idle
   * timeout of a connection with a request open (spark.network.timeout, 120 s by default), and so that the reads
   * of a task that was killed, or of a generation that was given up, do not stay.
   */
  static volatile long holdMs = 20_000;
  /** Ends holds; a hold answered before its end is taken off (not kept, with its reader, until then). */
  private static final java.util.concurrent.ScheduledThreadPoolExecutor HOLD_TIMER = holdTimer();

  private static java.util.concurrent.ScheduledThreadPoolExecutor holdTimer() {
    java.util.concurrent.ScheduledThreadPoolExecutor timer = new java.util.concurrent.ScheduledThreadPoolExecutor(1,
        r -> {
          Thread t = new Thread(r, "sparkrnn-slice-hold");
          t.setDaemon(true);
          return t;
        });
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  /** A held read, answered once: by its block, by "absent" when its hold ends, or by "gone" ({@link #forget}). */
  private static final class Held {
    private final Consumer<ByteBuffer> reader;
    private final java.util.concurrent.atomic.AtomicBoolean answered = new java.util.concurrent.atomic.AtomicBoolean();
    /** The end of its hold, cancelled when it is answered before. */
    private volatile java.util.concurrent.ScheduledFuture<?> end;

    Held(Consumer<ByteBuffer> reader) {
      this.reader = reader;
    }

    /** Hands over {@code b} (null: none) unless answered before; a reader that fails does not stop the others. */
    void answer(ByteBuffer b) {
      if (answered.compareAndSet(false, true)) {
        java.util.concurrent.ScheduledFuture<?> hold = end;
        if (hold != null) {
          hold.cancel(false);
        }
        try {
          reader.accept(b);
        } catch (RuntimeException e) {
          // The reader's channel is gone (its task was killed): nothing to tell it.
        }
      }
    }
  }
  /** Per generation, the home address of each partition's blocks. */
  private static final Map<String, String[]> HOMES = new ConcurrentHashMap<>();
  /** Names this JVM in local mode, where it is the only one. */
  private static final String IN_JVM = "in-jvm:" + UUID.randomUUID();

  /**
   * This thread's requests to other JVMs besides the reads that return a block (puts and removes for a partition
   * whose task runs away from its home, reads that found nothing or failed; counted from the transport's threads
   * for the reads sent at once) and their time: {calls, nanoseconds}. A task resets and reads it
   * ({@link #controlCalls}).
   */
  private static final ThreadLocal<long[]> CONTROL = ThreadLocal.withInitial(() -> new long[2]);

  private static TransportContext context;
  private static TransportServer server;
  private static TransportClientFactory clients;
  private static volatile String address;

  /** This JVM's address for other JVMs ("host:port" of its server, started at the first call). */
  static synchronized String address() {
    if (address == null) {
      SparkEnv env = SparkEnv.get();
      if (env.conf().get("spark.master", "").startsWith("local")) {
        address = IN_JVM;
      } else {
        String host = env.blockManager().blockManagerId().host();
        server = transport().createServer(host, 0, serverBootstraps(env));
        address = host + ":" + server.getPort();
      }
    }
    return address;
  }

  /** This thread's control calls since the last call of this method (see {@link #CONTROL}), and resets them. */
  static long[] controlCalls() {
    long[] own = CONTROL.get();
    synchronized (own) { // transport threads add to it (see count)
      long[] c = own.clone();
      java.util.Arrays.fill(own, 0);
      return c;
    }
  }

  /** Records where the blocks of generation {@code gen} live, partition by partition. */
  static void setHomes(String gen, String[] homes) {
    HOMES.put(gen, homes);
  }

  /** Forgets the homes and drops the blocks of the generations whose names match (they start with their run's). */
  static void forget(Predicate<String> which) {
    HOMES.keySet().removeIf(which);
    BLOCKS.keySet().removeIf(which);
    for (String name : List.copyOf(WAITING.keySet())) {
      if (which.test(name)) {
        answerHeld(name, null); // "gone": the reader's caller decides what that means
      }
    }
  }

  /** Stores a block of this JVM and answers the reads held for it. */
  private static void store(String name, ByteBuffer block) {
    BLOCKS.put(name, block);
    answerHeld(name, block);
  }

  /** Answers the reads held for {@code name} with a view of {@code block} (null: none), and stops holding them. */
  private static void answerHeld(String name, ByteBuffer block) {
    List<Held> w = WAITING.remove(name);
    if (w != null) {
      w.forEach(h -> h.answer(block == null ? null : block.duplicate()));
    }
  }

  /**
   * Hands this JVM's block {@code name} to {@code reader} now, once it is stored, or null after {@link #holdMs}
   * (or when its generation is forgotten, or removed in between): once in every case. The reader is registered
   * before the second look, so a block stored in between is handed over by one of the two.
   */
  private static void whenStored(String name, Consumer<ByteBuffer> reader) {
    ByteBuffer b = BLOCKS.get(name);
    if (b != null) {
      reader.accept(b.duplicate());
      return;
    }
    Held held = new Held(reader);
    WAITING.compute(name, (k, list) -> {
      List<Held> l = list == null ? new ArrayList<>() : list;
      l.add(held);
      return l;
    });
    if (BLOCKS.containsKey(name)) {
      answerHeld(name, BLOCKS.get(name));
    }
    held.end = HOLD_TIMER.schedule(() -> {
      WAITING.computeIfPresent(name, (k, list) -> {
        list.remove(held);
        return list.isEmpty() ? null : list;
      });
      held.answer(null);
    }, holdMs, TimeUnit.MILLISECONDS);
    if (held.answered.get()) { // answered before its end was set
      held.end.cancel(false);
    }
  }

  /** The home of partition p's blocks in {@code gen}: this JVM before the generation's homes are known. */
  private static String home(String gen, int p) {
    String[] homes = HOMES.get(gen);
    return homes == null ? address() : homes[p];
  }

  /** Whether {@code home} is this JVM (the driver, which only reads, never starts a server for it). */
  private static boolean isHere(String home) {
    return home.equals(IN_JVM) || home.equals(address);
  }

  /** Stores {@code block} (from its position to its limit, not copied when it stays here) as partition p's. */
  static void put(String gen, int p, String name, ByteBuffer block) {
    String home = home(gen, p);
    if (isHere(home)) {
      store(name, block);
    } else {
      call(home, PUT, name, block, true);
    }
  }

  /** Partition p's block {@code name} (a read-only view), or null when its home does not hold it. */
  static ByteBuffer get(String gen, int p, String name) {
    String home = home(gen, p);
    if (isHere(home)) {
      ByteBuffer b = BLOCKS.get(name);
      return b == null ? null : b.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }
    ByteBuffer reply = call(home, GET, name, null, false);
    return reply == null || !reply.hasRemaining() ? null : reply.order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Reads of blocks {@code names[i]} of partitions {@code producers[i]}, with every request in flight at once: one
   * round trip for all of them where reading them in turn cost one each; the replies arrive while the caller goes
   * on ({@link #joinAll}). With {@code wait}, a home that does not hold a block yet keeps the request and answers
   * when the block arrives (or "absent" after {@link #holdMs}), so waiting costs no polls. A reply is null where
   * the block is absent or its home cannot be reached.
   */
  static CompletableFuture<ByteBuffer>[] requestAll(String gen, int[] producers, String[] names, boolean wait) {
    return requestAll(gen, producers, names, new int[names.length][], wait);
  }

  /**
   * As {@link #requestAll(String, int[], String[], boolean)}, where {@code byteRanges[i]}, when not null, asks for
   * parts of block i only ((offset, length) pairs of bytes, inside the block): its home answers with them one after
   * the other ({@link #select}), so what the reader does not need stays off the wire.
   */
  static CompletableFuture<ByteBuffer>[] requestAll(String gen, int[] producers, String[] names, int[][] byteRanges,
      boolean wait) {
    int n = names.length;
    @SuppressWarnings("unchecked")
    CompletableFuture<ByteBuffer>[] replies = new CompletableFuture[n];
    Map<String, TransportClient> reached = new HashMap<>(); // one connection attempt per home (null: unreachable)
    for (int i = 0; i < n; i++) {
      String home = home(gen, producers[i]);
      CompletableFuture<ByteBuffer> f = new CompletableFuture<>();
      replies[i] = f;
      if (!isHere(home)) {
        if (!reached.containsKey(home)) {
          reached.put(home, connect(home));
        }
        send(reached.get(home), wait ? GET_WAITING : GET, names[i], byteRanges[i], f);
      } else if (wait) {
        int[] ranges = byteRanges[i];
        whenStored(names[i], b -> f.complete(select(b, ranges)));
      } else {
        ByteBuffer b = BLOCKS.get(names[i]);
        f.complete(select(b == null ? null : b.duplicate(), byteRanges[i]));
      }
    }
    return replies;
  }

  /** The replies of {@link #requestAll}, once they have all come (read-only little-endian views, null: absent). */
  static ByteBuffer[] joinAll(CompletableFuture<ByteBuffer>[] replies) {
    int n = replies.length;
    ByteBuffer[] out = new ByteBuffer[n];
    for (int i = 0; i < n; i++) {
      ByteBuffer b = join(replies[i]);
      out[i] = b == null || !b.hasRemaining() ? null : b.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }
    return out;
  }

  /** A connection to {@code home}, or null when it cannot be reached (lost with its executor). */
  private static TransportClient connect(String home) {
    try {
      return client(home);
    } catch (IOException | RuntimeException e) {
      countControl(System.nanoTime());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reaching " + home, e);
    }
  }

  /**
   * The parts {@code byteRanges} of {@code block} ((offset, length) pairs of bytes) one after the other in a new
   * buffer, after their count (little-endian), so that the reply is not empty (which means absent) when there are
   * none; the block itself when {@code byteRanges} is null (and null for null).
   */
  static ByteBuffer select(ByteBuffer block, int[] byteRanges) {
    if (block == null || byteRanges == null) {
      return block;
    }
    int bytes = 4;
    for (int i = 0; i < byteRanges.length; i += 2) {
      if (byteRanges[i] < 0 || byteRanges[i + 1] < 0 || byteRanges[i] > block.remaining() - byteRanges[i + 1]) {
        throw new IllegalArgumentException("bytes [" + byteRanges[i] + ", +" + byteRanges[i + 1] + ") outside a block"
            + " of " + block.remaining());
      }
      bytes += byteRanges[i + 1];
    }
    ByteBuffer out = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(byteRanges.length / 2);
    int at = block.position();
    for (int i = 0; i < byteRanges.length; i += 2) {
      out.put(block.slice(at + byteRanges[i], byteRanges[i + 1]));
    }
    return out.flip();
  }

  /**
   * What a read asks for after the block's name: nothing for the whole block, else the count of byte ranges and
   * the ranges (so that no range, an empty reply's count, differs from the whole block).
   */
  static ByteBuffer rangesPayload(int[] byteRanges) {
    if (byteRanges == null) {
      return null;
    }
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * byteRanges.length).order(ByteOrder.BIG_ENDIAN);
    b.putInt(byteRanges.length / 2);
    for (int v : byteRanges) {
      b.putInt(v);
    }
    return b.flip();
  }

  /** The byte ranges of {@link #rangesPayload} at the message's position (null: the whole block). */
  static int[] rangesOf(ByteBuffer message) {
    if (!message.hasRemaining()) {
      return null;
    }
    ByteBuffer m = message.duplicate().order(ByteOrder.BIG_ENDIAN);
    int[] ranges = new int[2 * m.getInt()];
    for (int i = 0; i < ranges.length; i++) {
      ranges[i] = m.getInt();
    }
    return ranges;
  }

  /** A read sent without waiting for its answer, which completes {@code reply} (null: absent or unreachable). */
  private static void send(TransportClient client, byte op, String name, int[] byteRanges,
      CompletableFuture<ByteBuffer> reply) {
    if (client == null) {
      reply.complete(null);
      return;
    }
    long t0 = System.nanoTime();
    long[] control = CONTROL.get(); // the caller's counters: the callback runs on a transport thread
    try {
      client.sendRpc(message(op, name, rangesPayload(byteRanges)), new RpcResponseCallback() {
        @Override
        public void onSuccess(ByteBuffer response) {
          if (!response.hasRemaining()) {
            count(control, t0);
          }
          // The transport releases the response's buffer once this returns.
          ByteBuffer copy = ByteBuffer.allocate(response.remaining());
          reply.complete(copy.put(response).flip());
        }

        @Override
        public void onFailure(Throwable e) {
          count(control, t0);
          reply.complete(null);
        }
      });
    } catch (RuntimeException e) {
      count(control, t0);
      reply.complete(null);
    }
  }

  /** The reply, checking every 100 ms whether Spark wants the task killed. */
  private static ByteBuffer join(CompletableFuture<ByteBuffer> reply) {
    while (true) {
      try {
        return reply.get(100, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        TaskContext task = TaskContext.get();
        if (task != null) {
          task.killTaskIfInterrupted();
        }
      } catch (ExecutionException e) {
        return null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for an all-reduce block", e);
      }
    }
  }

  /** Removes partition p's block {@code name} if its home holds it. */
  static void remove(String gen, int p, String name) {
    String home = home(gen, p);
    if (isHere(home)) {
      BLOCKS.remove(name);
    } else {
      call(home, REMOVE, name, null, false);
    }
  }

  /**
   * One request to another JVM's server; null when it cannot be reached (lost with its executor), which a read
   * reports as a missing block. A put that cannot reach the home throws: the block would be lost.
   */
  private static ByteBuffer call(String home, byte op, String name, ByteBuffer payload, boolean mustArrive) {
    ByteBuffer msg = message(op, name, payload);
    long t0 = System.nanoTime();
    try {
      ByteBuffer reply = client(home).sendRpcSync(msg, TIMEOUT_MS);
      if (op != GET || !reply.hasRemaining()) {
        countControl(t0);
      }
      return reply;
    } catch (IOException | RuntimeException e) {
      countControl(t0);
      if (mustArrive) {
        throw new IllegalStateException("cannot store an all-reduce block at " + home + ": " + e.getMessage(), e);
      }
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reaching " + home, e);
    }
  }

  private static ByteBuffer message(byte op, String name, ByteBuffer payload) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    ByteBuffer msg = ByteBuffer.allocate(1 + 4 + n.length + (payload == null ? 0 : payload.remaining()));
    msg.put(op).putInt(n.length).put(n);
    if (payload != null) {
      msg.put(payload.duplicate());
    }
    return msg.flip();
  }

  private static TransportClient client(String home) throws IOException, InterruptedException {
    int colon = home.lastIndexOf(':');
    return clients().createClient(home.substring(0, colon), Integer.parseInt(home.substring(colon + 1)));
  }

  private static void countControl(long t0) {
    count(CONTROL.get(), t0);
  }

  private static void count(long[] control, long t0) {
    synchronized (control) {
      control[0]++;
      control[1] += System.nanoTime() - t0;
    }
  }

  /** Answers the requests of other JVMs from {@link #BLOCKS}. */
  private static final class Handler extends RpcHandler {
    private final StreamManager streams = new OneForOneStreamManager();

    @Override
    public void receive(TransportClient client, ByteBuffer message, RpcResponseCallback callback) {
      byte op = message.get();
      byte[] n = new byte[message.getInt()];
      message.get(n);
      String name = new String(n, StandardCharsets.UTF_8);
      switch (op) {
        case GET -> {
          // No block is empty, so an empty reply means absent. The block goes out in place (see BLOCKS).
          ByteBuffer b = BLOCKS.get(name);
          answer(callback, b == null ? null : b.duplicate(), rangesOf(message));
        }
        // Absent (an empty reply) when the hold ends first: the reader asks again.
        case GET_WAITING -> {
          int[] ranges = rangesOf(message);
          whenStored(name, b -> answer(callback, b, ranges));
        }
        case PUT -> {
          // The message's buffer belongs to the transport once this returns.
          ByteBuffer copy = ByteBuffer.allocate(message.remaining()).order(ByteOrder.LITTLE_ENDIAN);
          copy.put(message).flip();
          store(name, copy);
          callback.onSuccess(ByteBuffer.allocate(0));
        }
        case REMOVE -> {
          BLOCKS.remove(name);
          callback.onSuccess(ByteBuffer.allocate(0));
        }
        default -> callback.onFailure(new IllegalArgumentException("unknown all-reduce request " + op));
      }
    }

    /** Answers a read with the ranges of {@code block} it asked for ({@link #select}; empty: absent). */
    private static void answer(RpcResponseCallback callback, ByteBuffer block, int[] ranges) {
      if (block == null) {
        callback.onSuccess(ByteBuffer.allocate(0));
        return;
      }
      try {
        callback.onSuccess(select(block, ranges));
      } catch (IllegalArgumentException e) {
        callback.onFailure(e);
      }
    }

    @Override
    public StreamManager getStreamManager() {
      return streams;
    }
  }

  private static synchronized TransportContext transport() {
    if (context == null) {
      Map<String, String> settings = new HashMap<>();
      for (scala.Tuple2<String, String> kv : SparkEnv.get().conf().getAll()) {
        settings.put(kv._1(), kv._2());
      }
      context = new TransportContext(new TransportConf("sparkrnn", new MapConfigProvider(settings)), new Handler());
    }
    return context;
  }

  private static synchronized TransportClientFactory clients() {
    if (clients == null) {
      SparkEnv env = SparkEnv.get();
      List<TransportClientBootstrap> auth = env.securityManager().isAuthenticationEnabled()
          ? List.of(new AuthClientBootstrap(conf(), env.conf().getAppId(), env.securityManager())) : List.of();
      clients = transport().createClientFactory(auth);
    }
    return clients;
  }

  private static List<TransportServerBootstrap> serverBootstraps(SparkEnv env) {
    return env.securityManager().isAuthenticationEnabled()
        ? List.of(new AuthServerBootstrap(conf(), env.securityManager())) : List.of();
  }

  private static TransportConf conf() {
    return transport().getConf();
  }
}
