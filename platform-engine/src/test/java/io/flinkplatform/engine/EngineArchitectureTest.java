package io.flinkplatform.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The engine keeps its machinery private, its internal packages in one direction along the data
 * path (no cycles), the run model free of the database, and the SPI free of dependencies.
 */
class EngineArchitectureTest {
  private static final JavaClasses ENGINE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.flinkplatform");

  /** The internal packages in data-path order (docs/architecture.md); each has a package-info. */
  private static final String[] INTERNAL_PACKAGES = {
    "common",
    "store",
    "access",
    "identity",
    "console",
    "alert",
    // alert-channels: the built-in AlertChannel types, beside the path like store and common
    "channel",
    "model",
    "definition",
    "claim",
    "progress",
    "worker",
    "lease",
    "command",
    "rerun",
    "schedule",
    "query",
    "resource",
    "housekeeping",
    "metrics"
  };

  @Test
  void onlyThePlatformEntryPointReachesIntoInternal() {
    // the testkit's bridge is the one other entry: it starts the engine in manual mode
    noClasses()
        .that()
        .resideOutsideOfPackage("io.flinkplatform.engine.internal..")
        .and()
        .doNotHaveFullyQualifiedName(Platform.class.getName())
        .and()
        .doNotHaveFullyQualifiedName("io.flinkplatform.engine.testing.LoopDriver")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.flinkplatform.engine.internal..")
        .check(ENGINE);
  }

  @Test
  void onlyTheMicrometerMetersTouchMicrometer() {
    // Micrometer is optional: a host without it must never load a class that refers to it
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName("io.flinkplatform.engine.internal.metrics.MicrometerMeters")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.micrometer..")
        .check(ENGINE);
  }

  @Test
  void nothingInTheEngineUsesTheTestkit() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.flinkplatform.engine.testing..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.flinkplatform.engine.testing..")
        .check(ENGINE);
  }

  @Test
  void internalPackagesHaveNoCycles() {
    slices()
        .matching("io.flinkplatform.engine.internal.(*)..")
        .should()
        .beFreeOfCycles()
        .check(ENGINE);
  }

  @Test
  void theRunModelIsPure() {
    classes()
        .that()
        .resideInAPackage("io.flinkplatform.engine.internal.model..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "io.flinkplatform.engine.internal.model..",
            "io.flinkplatform.engine.dag..",
            "io.flinkplatform.engine.run..")
        .check(ENGINE);
  }

  @Test
  void theStoreAndCommonHelpersDependOnNoOtherInternalPackage() {
    for (String low : new String[] {"store", "common", "model"}) {
      noClasses()
          .that()
          .resideInAPackage("io.flinkplatform.engine.internal." + low + "..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(otherInternalPackages(low))
          .check(ENGINE);
    }
  }

  // alert-channels: the built-in channels are plugins in all but module; they see only the SPI
  @Test
  void theBuiltInAlertChannelsDependOnNoOtherInternalPackage() {
    noClasses()
        .that()
        .resideInAPackage("io.flinkplatform.engine.internal.channel..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(otherInternalPackages("channel"))
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.flinkplatform.engine",
            "io.flinkplatform.engine.alert..",
            "io.flinkplatform.engine.access..")
        .check(ENGINE);
  }

  @Test
  void everyInternalPackageSaysWhatItOwnsAndMayCall() throws IOException {
    Path internal = Path.of("src/main/java/io/flinkplatform/engine/internal");
    try (Stream<Path> dirs = Files.list(internal)) {
      assertThat(dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()))
          .containsExactlyInAnyOrder(INTERNAL_PACKAGES);
    }
    for (String p : INTERNAL_PACKAGES) {
      assertThat(Files.readString(internal.resolve(p).resolve("package-info.java")))
          .as("package-info of internal.%s", p)
          .contains("It may call");
    }
  }

  @Test
  void theArchitecturePageNamesEveryPackage() throws IOException {
    String page = Files.readString(Path.of("..", "docs", "architecture.md"));
    for (String p : INTERNAL_PACKAGES) {
      assertThat(page).as("internal.%s in docs/architecture.md", p).contains("`" + p + "`");
    }
    try (Stream<Path> dirs = Files.list(Path.of("src/main/java/io/flinkplatform/engine"))) {
      dirs.filter(Files::isDirectory)
          .map(d -> d.getFileName().toString())
          .filter(d -> !d.equals("internal"))
          .forEach(
              d ->
                  assertThat(page)
                      .as("public package .%s in docs/architecture.md", d)
                      .contains("`." + d + "`"));
    }
  }

  private static String[] otherInternalPackages(String except) {
    return Arrays.stream(INTERNAL_PACKAGES)
        .filter(p -> !p.equals(except))
        .map(p -> "io.flinkplatform.engine.internal." + p + "..")
        .toArray(String[]::new);
  }

  @Test
  void theSpiDependsOnTheJdkOnly() {
    classes()
        .that()
        .resideInAPackage("io.flinkplatform.spi..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "javax.sql..", "io.flinkplatform.spi..")
        .check(ENGINE);
  }

  @Test
  void publicPackagesDoNotDependOnEachOthersInternals() {
    noClasses()
        .that()
        .resideInAPackage("io.flinkplatform.engine.dag..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.flinkplatform.engine.internal..", "io.flinkplatform.engine.run..")
        .check(ENGINE);
  }
}
