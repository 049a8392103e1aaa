package org.xdv.cdcr.runtime.core;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.Random;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * Guards the pure core (STYLE §2-3, DESIGN §3): decisions are a function of the view and the input only, so the
 * core packages may not reach Pekko, the actor glue, clocks, randomness, threads or hash-ordered collections.
 */
@AnalyzeClasses(packages = "org.xdv.cdcr.runtime.core", importOptions = ImportOption.DoNotIncludeTests.class)
class CoreArchitectureTest {

    private static final String CORE = "org.xdv.cdcr.runtime.core..";

    @ArchTest
    static final ArchRule noPekko = noClasses().that().resideInAPackage(CORE)
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.pekko..", "akka..", "scala..")
            .because("the core is plain Java; the actor glue turns its decisions into effects");

    @ArchTest
    static final ArchRule noActorGlue = noClasses().that().resideInAPackage(CORE)
            .should().dependOnClassesThat().resideInAnyPackage("org.xdv.cdcr.runtime.container..",
                    "org.xdv.cdcr.runtime.orchestrator..", "org.xdv.cdcr.runtime.node..", "org.xdv.cdcr.runtime",
                    "org.xdv.cdcr.node..")
            .because("the glue depends on the core, never the other way round");

    @ArchTest
    static final ArchRule noWireTypes = noClasses().that().resideInAPackage(CORE)
            .should().dependOnClassesThat().resideInAnyPackage("io.grpc..", "com.google.protobuf..");

    @ArchTest
    static final ArchRule noRandomness = noClasses().that().resideInAPackage(CORE)
            .should().dependOnClassesThat().areAssignableTo(Random.class)
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.UUID")
            .orShould().callMethod(Math.class, "random")
            .orShould().callMethod(StrictMath.class, "random")
            .because("randomness would make a replayed decision differ (seeded values are captured in events)");

    @ArchTest
    static final ArchRule noClock = noClasses().that().resideInAPackage(CORE)
            .should().dependOnClassesThat().areAssignableTo(Clock.class)
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.InstantSource")
            .orShould().callMethod(System.class, "currentTimeMillis")
            .orShould().callMethod(System.class, "nanoTime")
            .orShould().callMethodWhere(describe("a java.time now() method",
                    (JavaMethodCall call) -> call.getTarget().getName().equals("now")
                            && call.getTargetOwner().getPackageName().startsWith("java.time")))
            .because("time is captured in events at decide time, never read in the core");

    @ArchTest
    static final ArchRule noHashOrder = noClasses().that().resideInAPackage(CORE)
            .should().dependOnClassesThat().haveFullyQualifiedName("java.util.HashMap")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.HashSet")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.Hashtable")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.IdentityHashMap")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.WeakHashMap")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.concurrent.ConcurrentHashMap")
            .orShould().callMethod(System.class, "identityHashCode")
            .because("iteration in hash order differs between JVMs; use sorted maps (TreeMap, TreePMap)");

    @ArchTest
    static final ArchRule noThreads = noClasses().that().resideInAPackage(CORE)
            .should().dependOnClassesThat().areAssignableTo(Thread.class)
            .orShould().dependOnClassesThat().resideInAPackage("java.util.concurrent..")
            .because("decisions must not depend on thread timing");

    /** The rules above must see the core: an empty import would make every rule pass vacuously. */
    @Test
    void theRulesSeeTheCore() {
        JavaClasses core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.xdv.cdcr.runtime.core");
        assertThat(core.stream().map(JavaClass::getName)).contains(
                "org.xdv.cdcr.runtime.core.Lifecycle",
                "org.xdv.cdcr.runtime.core.dao.Orchestration",
                "org.xdv.cdcr.runtime.core.dao.DaoState",
                "org.xdv.cdcr.runtime.core.spec.SpecParser",
                "org.xdv.cdcr.runtime.core.container.ContainerState");
        assertThat(core.stream().map(JavaClass::getName)).noneMatch(n -> n.endsWith("Test"));
        // and the rules do fail on a core class that breaks them (this one lives in the test tree)
        JavaClasses offender = new ClassFileImporter().importClasses(Offender.class);
        assertThat(noHashOrder.evaluate(offender).hasViolation()).isTrue();
        assertThat(noClock.evaluate(offender).hasViolation()).isTrue();
        assertThat(noRandomness.evaluate(offender).hasViolation()).isTrue();
        assertThat(noPekko.evaluate(offender).hasViolation()).isFalse();
    }

    /** A core-package class that uses a hash map, the clock and randomness, for the self-check above. */
    static final class Offender {
        long now() {
            return new java.util.HashMap<String, Long>().getOrDefault("t", System.currentTimeMillis())
                    + new Random(1).nextInt();
        }
    }
}
