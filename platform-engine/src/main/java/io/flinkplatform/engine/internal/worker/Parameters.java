package io.flinkplatform.engine.internal.worker;

import io.flinkplatform.engine.dag.DateMacros;
import io.flinkplatform.engine.internal.claim.Claim;
import io.flinkplatform.engine.internal.common.Json;
import io.flinkplatform.engine.internal.definition.Dag;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A task's parameters: global &lt; workflow &lt; run &lt; task, date macros rendered against the
 * run's logical date. Upstream outputs are data and never join them (a run parameter could
 * otherwise stand in for an output, and an output reach places meant for parameters): tasks read
 * them from {@code TaskContext.upstreamOutputs()}.
 */
final class Parameters {
  private final Map<String, String> global;

  Parameters(Map<String, String> global) {
    this.global = Map.copyOf(global);
  }

  /** The layered, rendered and type-checked parameters of the claimed attempt's task. */
  Map<String, String> of(Dag dag, Claim claim) {
    Map<String, String> layered = new LinkedHashMap<>(global);
    layered.putAll(dag.workflow.parameters());
    layered.putAll(Json.stringMap(claim.run().params));
    layered.putAll(dag.tasks.get(claim.attempt().taskId).parameters());
    ZoneId zone = DateMacros.zone(layered);
    Instant logicalDate = Instant.ofEpochMilli(claim.run().logicalDate);
    Map<String, String> out = new LinkedHashMap<>();
    layered.forEach(
        (k, v) -> out.put(k, DateMacros.render("parameter '" + k + "'", v, logicalDate, zone)));
    // typed parameters hold a value of their type once rendered (a later deploy may add types)
    out.forEach((k, v) -> dag.workflow.parameterType(k).check(k, v));
    return out;
  }
}
