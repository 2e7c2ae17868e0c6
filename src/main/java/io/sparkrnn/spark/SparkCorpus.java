package io.sparkrnn.spark;

import io.sparkrnn.data.IntList;
import io.sparkrnn.data.TokenStreams;
import io.sparkrnn.data.Tokenizer;
import io.sparkrnn.data.Vocab;
import io.sparkrnn.nn.ModelSpec;
import io.sparkrnn.train.Objective;
import io.sparkrnn.train.Shard;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * A corpus on any Hadoop path (a file, a folder or a glob) turned into cached stream partitions:
 * the vocabulary by a distributed word count, then the token ids cut by global position so that
 * partition p holds exactly the contiguous streams [p·B/P, (p+1)·B/P) of the in-process layout
 * ({@link TokenStreams}), whatever the input splits were.
 */
final class SparkCorpus {
  private SparkCorpus() {}

  /**
   * One partition's examples (its token streams), or none (a partition may get no evaluation stream); the first
   * is example {@code first} of the whole split.
   */
  record Part(Serializable data, int first) implements Serializable {
    /** A shard over all of the partition's examples; {@code objective} is the one the data was cut for. */
    @SuppressWarnings("unchecked")
    <D> Shard shard(Objective<D> objective) {
      D d = (D) data;
      return objective.shard(d, 0, objective.examples(d), first);
    }
  }

  /** A range of ids that starts at global token position {@code start}. */
  record Piece(long start, int[] ids) implements Serializable {}

  /** The result of cutting a split: its partitions, its token count and how many read as {@code <unk>}. */
  record Split(JavaRDD<Part> parts, long tokens, long unknown, int[] streamsPerPartition) {}

  /** The vocabulary of a training text, counted on the executors. */
  static Vocab vocab(SparkText text, int minCount, int maxSize) {
    org.apache.spark.SparkContext sc = text.lines().context();
    LongAccumulator binary = sc.longAccumulator("lines with invalid UTF-8");
    LongAccumulator tokens = sc.longAccumulator("tokens");
    // Counted per partition first, so memory grows with the distinct words, not with the tokens of a
    // line (a corpus may be one line of millions of tokens).
    Map<String, Long> kept = text.lines()
        .mapPartitionsToPair(it -> {
          Map<String, Long> counts = new HashMap<>();
          long n = 0;
          long bad = 0;
          while (it.hasNext()) {
            String line = it.next();
            if (line.indexOf('\uFFFD') >= 0 || line.indexOf('\0') >= 0) {
              bad++;
            }
            n += Tokenizer.tokens(line, w -> counts.merge(w, 1L, Long::sum));
          }
          tokens.add(n);
          binary.add(bad);
          List<Tuple2<String, Long>> out = new ArrayList<>(counts.size());
          counts.forEach((w, c) -> out.add(new Tuple2<>(w, c)));
          return out.iterator();
        })
        .reduceByKey(Long::sum)
        .filter(e -> e._2() > minCount)
        .collectAsMap();
    if (binary.value() > 0) {
      throw new IllegalArgumentException("the corpus " + text.name() + " is not UTF-8 text: " + binary.value()
          + " line(s) hold invalid bytes (binary data?)");
    }
    if (tokens.value() == 0) {
      throw new IllegalArgumentException("the corpus " + text.name() + " holds no tokens");
    }
    return Vocab.fromCounts(kept, minCount, maxSize);
  }

  /** Tokens of the text in each part of the vocabulary ({@link ModelSpec#part}), counted on the executors. */
  static long[] tokensBelow(SparkText text, Broadcast<Vocab> vocab, int[] cuts) {
    return text.lines().mapPartitions(it -> {
      long[] n = new long[cuts.length + 1];
      Vocab v = vocab.value();
      while (it.hasNext()) {
        Tokenizer.tokens(it.next(), w -> n[ModelSpec.part(v.id(w), cuts)]++);
      }
      return List.of(n).iterator();
    }).reduce((a, b) -> {
      for (int i = 0; i < a.length; i++) {
        a[i] += b[i];
      }
      return a;
    });
  }

  /** The split's ids as B streams over P cached partitions. */
  static Split streams(SparkText text, Broadcast<Vocab> vocab, int streams, int partitions) {
    LongAccumulator unknown = text.lines().context().longAccumulator("unknown words");
    JavaRDD<int[]> chunks = text.lines().mapPartitions(it -> {
      IntList buf = new IntList();
      Vocab v = vocab.value();
      long[] unk = {0};
      while (it.hasNext()) {
        Tokenizer.tokens(it.next(), w -> {
          int id = v.id(w);
          unk[0] += id == Vocab.UNK_ID ? 1 : 0;
          buf.add(id);
        });
      }
      unknown.add(unk[0]);
      return List.of(buf.toArray()).iterator();
    }).persist(StorageLevel.MEMORY_AND_DISK());
    List<Integer> counts = chunks.map(a -> a.length).collect();
    long[] offsets = new long[counts.size()];
    long total = 0;
    for (int i = 0; i < counts.size(); i++) {
      offsets[i] = total;
      total += counts.get(i);
    }
    int length = TokenStreams.lengthFor(total, streams);
    int[] per = new int[partitions];
    for (int p = 0; p < partitions; p++) {
      per[p] = (int) ((long) (p + 1) * streams / partitions - (long) p * streams / partitions);
    }
    final long n = total;
    JavaPairRDD<Integer, Piece> pieces = chunks.mapPartitionsWithIndex((i, it) -> {
      List<Tuple2<Integer, Piece>> out = new ArrayList<>();
      long start = offsets[i];
      int[] ids = it.next();
      for (int p = 0; p < partitions; p++) {
        long[] r = range(p, streams, partitions, length, n);
        long from = Math.max(start, r[0]);
        long to = Math.min(start + ids.length, r[1]);
        if (from < to) {
          out.add(new Tuple2<>(p, new Piece(from, java.util.Arrays.copyOfRange(ids, (int) (from - start),
              (int) (to - start)))));
        }
      }
      return out.iterator();
    }, true).mapToPair(t -> t);
    JavaRDD<Part> parts = pieces.partitionBy(new HashPartitioner(partitions)).mapPartitionsWithIndex((p, it) -> {
      long[] r = range(p, streams, partitions, length, n);
      int[] ids = new int[(int) (r[1] - r[0])];
      while (it.hasNext()) {
        Piece piece = it.next()._2();
        System.arraycopy(piece.ids(), 0, ids, (int) (piece.start() - r[0]), piece.ids().length);
      }
      int first = (int) ((long) p * streams / partitions);
      int count = (int) ((long) (p + 1) * streams / partitions) - first;
      Part part = new Part(count == 0 ? null : new TokenStreams(ids, 0, ids.length, count, length), first);
      return List.of(part).iterator();
    }, true).persist(StorageLevel.MEMORY_ONLY());
    parts.count();
    chunks.unpersist(false);
    return new Split(parts, total, unknown.value(), per);
  }

  /**
   * Data that the driver holds (sentence pairs, word2vec's lanes) as cached partitions, partition p holding
   * {@code parts.get(p)} with {@code examples[p]} examples. The data goes out as a broadcast and the partitions
   * of the RDD are only their numbers: a partition made by parallelize carries its data, and Spark serialises it
   * into every task of every step even when the RDD is cached (measured: a Java serialization of the lanes per
   * task and step). A lost cached partition is made again from the broadcast.
   */
  static Split cached(JavaSparkContext sc, List<? extends Serializable> parts, int[] examples, long tokens) {
    List<Part> wrapped = new ArrayList<>();
    List<Integer> numbers = new ArrayList<>();
    int first = 0;
    for (int p = 0; p < parts.size(); p++) {
      wrapped.add(new Part(parts.get(p), first));
      numbers.add(p);
      first += examples[p];
    }
    Broadcast<List<Part>> data = sc.broadcast(wrapped);
    JavaRDD<Part> rdd = sc.parallelize(numbers, numbers.size()).map(p -> data.value().get(p))
        .persist(StorageLevel.MEMORY_ONLY());
    rdd.count();
    data.unpersist(false); // the executors' copies; fetched again from the driver if a partition is lost
    return new Split(rdd, tokens, 0, examples);
  }

  /** Global token range [from, to) of partition p: its streams' tokens plus the one token they overlap. */
  static long[] range(int p, int streams, int partitions, int length, long total) {
    long first = (long) p * streams / partitions;
    long end = (long) (p + 1) * streams / partitions;
    long from = Math.min(total, first * length);
    long to = Math.min(total, end * length + 1);
    return new long[] {from, Math.max(from, to)};
  }
}
