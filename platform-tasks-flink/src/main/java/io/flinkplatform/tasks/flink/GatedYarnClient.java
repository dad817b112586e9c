package io.flinkplatform.tasks.flink;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationSubmissionContext;
import org.apache.hadoop.yarn.client.api.impl.YarnClientImpl;
import org.apache.hadoop.yarn.exceptions.YarnException;

/**
 * The plugin's YARN client. It refuses to submit the application of a deployment that was given up
 * (its deploy timeout passed while Flink still uploaded its files), so that an abandoned deployment
 * can never start a cluster later: once {@link #refuse} returned, the application with that tag
 * either is known to YARN already (and can be found and killed by its tag) or is never submitted.
 */
final class GatedYarnClient extends YarnClientImpl {
  private final Set<String> refused = ConcurrentHashMap.newKeySet();
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  @Override
  public ApplicationId submitApplication(ApplicationSubmissionContext context)
      throws YarnException, IOException {
    Optional<String> tag = platformTag(context);
    if (tag.isEmpty()) {
      return super.submitApplication(context);
    }
    synchronized (lock(tag.get())) {
      if (refused.contains(tag.get())) {
        throw new YarnException(
            "the deployment of "
                + tag.get()
                + " was given up at "
                + FlinkSettings.YARN_DEPLOY_TIMEOUT
                + ": its application is not submitted");
      }
      return super.submitApplication(context);
    }
  }

  /**
   * No application with {@code tag} is submitted from now on; returns after a submission already
   * under way ended, so YARN knows everything this client submitted with the tag.
   */
  void refuse(String tag) {
    synchronized (lock(tag)) {
      refused.add(tag);
    }
  }

  boolean refused(String tag) {
    return refused.contains(tag);
  }

  /** Forgets {@code tag} once the deployment that used it ended. */
  void forget(String tag) {
    refused.remove(tag);
    locks.remove(tag);
  }

  private Object lock(String tag) {
    return locks.computeIfAbsent(tag, t -> new Object());
  }

  private static Optional<String> platformTag(ApplicationSubmissionContext context) {
    Set<String> tags = context.getApplicationTags();
    return tags == null
        ? Optional.empty()
        : tags.stream().filter(t -> t.startsWith(YarnTags.TAG_PREFIX)).findFirst();
  }
}
