package io.flinkplatform.engine.internal.store;

/** One version of an uploaded resource (t_resource). */
public final class ResourceRow {
  public long id;
  public String workspace;
  public String name;
  public int version;
  public String sha256;
  public long size;
  public String blobKey;
  public String createdBy;
  public long createdAt;
}
