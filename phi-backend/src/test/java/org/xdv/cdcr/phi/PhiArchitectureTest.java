package org.xdv.cdcr.phi;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The allocator (package {@code org.xdv.cdcr.phi}) decides; {@code org.xdv.cdcr.phi.execution} observes. Spec §10:
 * physical Φ stability variations must not alter decisions, so the deciding package may not even see the observing
 * one, nor any clock, unseeded randomness or hash-ordered collection.
 */
@AnalyzeClasses(packages = "org.xdv.cdcr.phi", importOptions = ImportOption.DoNotIncludeTests.class)
class PhiArchitectureTest {

    @ArchTest
    static final ArchRule decisionsNeverSeeObservations = noClasses()
            .that().resideInAPackage("org.xdv.cdcr.phi")
            .should().dependOnClassesThat().resideInAPackage("org.xdv.cdcr.phi.execution..");

    @ArchTest
    static final ArchRule decisionsUseNoClockNoUnseededRandomnessNoHashOrder = noClasses()
            .that().resideInAPackage("org.xdv.cdcr.phi")
            .should().dependOnClassesThat().haveFullyQualifiedName("java.util.Random")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.concurrent.ThreadLocalRandom")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.HashMap")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.HashSet")
            .orShould().dependOnClassesThat().resideInAPackage("java.time..")
            .orShould().callMethod(System.class, "currentTimeMillis")
            .orShould().callMethod(System.class, "nanoTime")
            .orShould().callMethod(Math.class, "random");

    @ArchTest
    static final ArchRule plainJavaOnly = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.pekko..", "io.grpc..", "akka..");
}
