package io.flinkplatform.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Module boundaries across the whole project: plugins see only the SPI, nobody sees internals. */
class ArchitectureTest {
  private static final JavaClasses ALL =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
          .importPackages("io.flinkplatform");

  private static final JavaClasses ALL_WITH_JARS =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.flinkplatform");

  @Test
  void nothingOutsideTheEngineUsesItsInternals() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.flinkplatform.engine..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.flinkplatform.engine.internal..")
        .check(ALL_WITH_JARS);
  }

  @Test
  void taskPluginsDependOnTheSpiOnly() {
    noClasses()
        .that()
        .resideInAPackage("io.flinkplatform.tasks..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.flinkplatform.engine..", "io.flinkplatform.examples..")
        .check(ALL_WITH_JARS);
  }

  @Test
  void examplesUseThePublicApiOnly() {
    noClasses()
        .that()
        .resideInAPackage("io.flinkplatform.examples..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.flinkplatform.engine.internal..")
        .check(ALL);
  }
}
