/**
 * Uploaded resources (docs/resources.md): the uploads, versions, reads and deletes a client asks
 * for ({@link io.flinkplatform.engine.internal.resource.ResourceLibrary}), the references a
 * deployed task makes to them ({@link
 * io.flinkplatform.engine.internal.resource.ResourceReferences}), and their resolution to local
 * files for plugins ({@link io.flinkplatform.engine.internal.resource.ResourceResolver}, the SPI's
 * {@code StoredResources}).
 *
 * <p>It owns {@code t_resource} (through the store) and the {@code resources/} keys of the resource
 * store. It may call {@code store}, {@code access}, {@code common} and the public API; {@code
 * query}'s client facade and the root package (plugin contexts) call it.
 */
package io.flinkplatform.engine.internal.resource;
