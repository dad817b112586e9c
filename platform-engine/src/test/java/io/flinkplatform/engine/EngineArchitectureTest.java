package io.flinkplatform.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The engine keeps its machinery private and the SPI free of dependencies. */
class EngineArchitectureTest {
  private static final JavaClasses ENGINE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.flinkplatform");

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
