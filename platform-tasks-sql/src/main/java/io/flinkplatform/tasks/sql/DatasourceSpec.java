package io.flinkplatform.tasks.sql;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a host gives to create or update a datasource. Built with {@link #builder}; {@link
 * Builder#build()} checks every field and reports all problems at once. {@link #toString()} never
 * shows the password, nor values of properties whose names look secret.
 */
public final class DatasourceSpec {
  /** The longest name. */
  public static final int MAX_NAME_LENGTH = 64;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");

  private final String name;
  private final DatasourceType type;
  private final String url;
  private final String user;
  private final Map<String, String> properties;
  private final Password password;

  private DatasourceSpec(Builder b) {
    this.name = b.name;
    this.type = b.type;
    this.url = b.url;
    this.user = b.user;
    this.properties = Collections.unmodifiableMap(new TreeMap<>(b.properties));
    this.password = b.password;
  }

  /** A builder for a datasource called {@code name} of {@code type} at {@code url}. */
  public static Builder builder(String name, DatasourceType type, String url) {
    return new Builder(name, type, url);
  }

  public String name() {
    return name;
  }

  public DatasourceType type() {
    return type;
  }

  public String url() {
    return url;
  }

  /** The user name, or {@code null} for none. */
  public String user() {
    return user;
  }

  /** Driver properties, sorted by name. */
  public Map<String, String> properties() {
    return properties;
  }

  public Password password() {
    return password;
  }

  @Override
  public String toString() {
    return "DatasourceSpec{name="
        + name
        + ", type="
        + type
        + ", url="
        + Redaction.url(url)
        + ", user="
        + user
        + ", properties="
        + Redaction.properties(properties)
        + ", password="
        + password
        + "}";
  }

  /** Builds a {@link DatasourceSpec}. */
  public static final class Builder {
    private final String name;
    private final DatasourceType type;
    private final String url;
    private String user;
    private final Map<String, String> properties = new TreeMap<>();
    private Password password = Password.none();

    private Builder(String name, DatasourceType type, String url) {
      this.name = name;
      this.type = type;
      this.url = url;
    }

    public Builder user(String user) {
      this.user = user;
      return this;
    }

    public Builder password(Password password) {
      this.password = requireNonNull(password, "password is null");
      return this;
    }

    public Builder property(String key, String value) {
      requireNonNull(key, "key is null");
      properties.put(key, requireNonNull(value, "value of property " + key + " is null"));
      return this;
    }

    public Builder properties(Map<String, String> properties) {
      requireNonNull(properties, "properties is null").forEach(this::property);
      return this;
    }

    /**
     * Checks every field.
     *
     * @throws IllegalArgumentException listing every problem, each naming its field
     */
    public DatasourceSpec build() {
      List<String> problems = new ArrayList<>();
      if (name == null || !NAME.matcher(name).matches()) {
        problems.add(
            "name '"
                + name
                + "' must be 1 to "
                + MAX_NAME_LENGTH
                + " letters, digits, '_', '.' or '-', not starting with '.' or '-'");
      }
      if (type == null) {
        problems.add(
            "type is missing; use one of " + java.util.Arrays.toString(DatasourceType.values()));
      }
      if (url == null || url.isBlank()) {
        problems.add("url is missing");
      } else {
        if (type != null && !type.accepts(url)) {
          problems.add(
              "url of a " + type + " datasource must start with " + type.describePrefixes());
        }
        if (io.flinkplatform.spi.Redaction.urlHoldsPassword(url)) {
          problems.add(
              "url must not hold a password (user:password@, user/password@ or a parameter"
                  + " such as password, sslpassword, trustStorePassword); give it as the password"
                  + " or as a driver property, which are stored sealed");
        }
        if (url.length() > 2048) {
          problems.add("url must not be longer than 2048 characters");
        }
      }
      if (user != null && (user.isEmpty() || user.length() > 255)) {
        problems.add("user must be 1 to 255 characters, or not given");
      }
      for (String key : properties.keySet()) {
        String lower = key.toLowerCase(Locale.ROOT);
        if (key.isBlank()) {
          problems.add("properties hold a blank name");
        } else if (lower.equals("password") || lower.equals("user")) {
          problems.add(
              "properties must not hold '" + key + "'; give it as the " + lower + " instead");
        }
      }
      if (password instanceof Password.Secret secret && secret.reference().isBlank()) {
        problems.add("password secret reference must not be blank");
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(
            "invalid datasource '" + name + "': " + String.join("; ", problems));
      }
      return new DatasourceSpec(this);
    }
  }
}
