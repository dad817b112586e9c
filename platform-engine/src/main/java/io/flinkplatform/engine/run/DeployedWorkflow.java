package io.flinkplatform.engine.run;

import io.flinkplatform.engine.dag.Workflow;
import java.time.Instant;

/**
 * A deployed version of a workflow.
 *
 * @param id the version's row id
 * @param version 1 for the first deployment of this name, then 2, 3, ...
 * @param workflow the definition, exactly as deployed
 * @param createdAt when it was deployed
 */
public record DeployedWorkflow(long id, int version, Workflow workflow, Instant createdAt) {}
