package io.flinkplatform.tasks.flink.testjobs;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.DiscardingSink;

/**
 * A jar job for tests: counts to args[0] and discards the numbers; with args[1] = "fail" it fails
 * once it reaches args[0] / 2, with args[1] = "fail-when" once the file args[2] exists.
 */
public final class SequenceJob {
  private SequenceJob() {}

  public static void main(String[] args) throws Exception {
    long n = Long.parseLong(args[0]);
    boolean fail = args.length > 1 && args[1].equals("fail");
    String failWhen = args.length > 2 && args[1].equals("fail-when") ? args[2] : null;
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.fromSequence(1, n)
        .map(
            x -> {
              if (fail && x == n / 2) {
                throw new IllegalStateException("planned failure at " + x);
              }
              if (failWhen != null
                  && x % 10_000 == 0
                  && java.nio.file.Files.exists(java.nio.file.Path.of(failWhen))) {
                throw new IllegalStateException("failure asked for by " + failWhen);
              }
              return x;
            })
        .returns(Long.class)
        .addSink(new DiscardingSink<>());
    env.execute("sequence-" + n);
  }
}
