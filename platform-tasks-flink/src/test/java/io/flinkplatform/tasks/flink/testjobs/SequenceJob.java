package io.flinkplatform.tasks.flink.testjobs;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.DiscardingSink;

/**
 * A jar job for tests: counts to args[0] and discards the numbers; with args[1] = "fail" it fails
 * once it reaches args[0] / 2.
 */
public final class SequenceJob {
  private SequenceJob() {}

  public static void main(String[] args) throws Exception {
    long n = Long.parseLong(args[0]);
    boolean fail = args.length > 1 && args[1].equals("fail");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.fromSequence(1, n)
        .map(
            x -> {
              if (fail && x == n / 2) {
                throw new IllegalStateException("planned failure at " + x);
              }
              return x;
            })
        .returns(Long.class)
        .addSink(new DiscardingSink<>());
    env.execute("sequence-" + n);
  }
}
